import { sql } from 'drizzle-orm';
import type { ReadinessCheck } from '../module/index.ts';

/** An event waiting longer than this means no dispatcher is running (or it cannot keep up). */
export const DISPATCH_LAG_LIMIT_SECONDS = 60;

/** Ready while events leave the outbox: the oldest waiting one is younger than the limit. */
export const dispatcherReadiness: ReadinessCheck = {
  name: 'dispatcher',
  async check(db) {
    const { rows } = await db.execute<{ pending: string; oldest_seconds: number }>(sql`SELECT pending, oldest_seconds FROM jobs_outbox_backlog()`);
    const backlog = rows[0];
    if (!backlog || backlog.oldest_seconds <= DISPATCH_LAG_LIMIT_SECONDS) return 'ok';
    return { problem: `${backlog.pending} events waiting, the oldest for ${Math.round(backlog.oldest_seconds)} s` };
  },
};
