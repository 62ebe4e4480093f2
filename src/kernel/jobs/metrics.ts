import { sql } from 'drizzle-orm';
import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../db/index.ts';
import { DEAD_LETTER_QUEUE } from './queues.ts';

/**
 * Job counts read from pg-boss's tables at scrape time, so any app node reports the work of
 * every worker process (which serve no HTTP themselves): jobs by state, dead letters, and the
 * outbox backlog waiting for the dispatcher.
 */
export function registerJobMetrics(registry: Registry, db: Db): void {
  new Gauge({
    name: 'plinth_jobs',
    help: 'Jobs by state (pg-boss), dead letters counted apart',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const { rows } = await db.execute<{ state: string; dead: boolean; count: number }>(
        sql`SELECT state::text AS state, name = ${DEAD_LETTER_QUEUE} AS dead, count(*)::int AS count FROM pgboss.job GROUP BY 1, 2`,
      );
      this.reset();
      for (const row of rows) this.inc({ state: row.dead ? 'dead_letter' : row.state }, row.count);
    },
  });
  new Gauge({
    name: 'plinth_outbox_pending_events',
    help: 'Domain events waiting in the outbox for the dispatcher',
    registers: [registry],
    async collect() {
      const { rows } = await db.execute<{ pending: string }>(sql`SELECT pending FROM jobs_outbox_backlog()`);
      this.set(Number(rows[0]?.pending ?? 0));
    },
  });
}
