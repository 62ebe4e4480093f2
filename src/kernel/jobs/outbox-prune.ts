import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';

/** How long dispatched outbox rows are kept (for tracing an event to its jobs). */
export const OUTBOX_KEEP_DAYS = 7;

/** Deletes outbox rows dispatched more than `keepDays` ago; answers how many. */
export async function pruneOutbox(db: Db, keepDays = OUTBOX_KEEP_DAYS): Promise<number> {
  const { rows } = await db.execute<{ pruned: number }>(sql`SELECT jobs_prune_outbox(make_interval(days => ${keepDays})) AS pruned`);
  return rows[0]?.pruned ?? 0;
}
