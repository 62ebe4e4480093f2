import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Logger } from '../observability/logger.ts';
import { jobIdOf, type HandlerJobData, type RegisteredHandler } from './queues.ts';

/** What the outbox's insert trigger NOTIFYs on commit (migration 0005_outbox_notify.sql). */
export const OUTBOX_NOTIFY_CHANNEL = 'plinth_jobs_outbox';

interface ClaimedEvent {
  tenant_id: string;
  id: string;
  type: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
}

/** pg-boss runs its statements on this client, i.e. inside our transaction. */
export const executorOf = (client: pg.ClientBase): PgBoss.Db => ({
  executeSql: (text, values) => client.query(text, values),
});

/**
 * Moves one batch from the outbox to the handlers' queues, in one transaction on the owner pool:
 * claim (jobs_claim_outbox, FOR UPDATE SKIP LOCKED, marks the rows dispatched), one job per
 * subscribed handler (inserted by pg-boss on the same connection, all in one statement), commit. A crash anywhere
 * before the commit leaves the batch undispatched and no job enqueued; job ids derived from
 * (event, handler) make a second enqueue a no-op all the same. Answers how many events it moved.
 */
export async function dispatchBatch(
  pool: pg.Pool,
  boss: PgBoss,
  routes: ReadonlyMap<string, readonly RegisteredHandler[]>,
  batchSize: number,
): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<ClaimedEvent>('SELECT tenant_id, id, type, payload, occurred_at FROM jobs_claim_outbox($1)', [batchSize]);
    // One multi-row insert per batch (pg-boss's insert: ON CONFLICT DO NOTHING on the derived
    // job id, the queue's retry and dead-letter policy), not a round trip per job.
    const jobs: PgBoss.JobInsert<HandlerJobData>[] = rows.flatMap((row) =>
      (routes.get(row.type) ?? []).map((handler) => ({
        id: jobIdOf(row.id, handler.name),
        name: handler.name,
        data: { id: row.id, type: row.type, tenantId: row.tenant_id, payload: row.payload, occurredAt: row.occurred_at.toISOString(), handler: handler.name },
      })),
    );
    if (jobs.length > 0) await boss.insert(jobs, { db: executorOf(client) });
    await client.query('COMMIT');
    return rows.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export interface DispatcherLoop {
  /** Dispatch again as soon as the current pass is done (new events were committed). */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * Dispatches until stopped: straight on while batches come back full or a wake-up arrived during
 * the pass, else after `intervalMs` or at the next wake-up, whichever comes first.
 */
export function startDispatcher(run: () => Promise<number>, batchSize: number, intervalMs: number, log: Logger): DispatcherLoop {
  let stopped = false;
  // A wake-up that arrives while a pass runs is kept, so events committed just after the claim wait for no interval.
  let woken = false;
  let resume: (() => void) | undefined;
  const pause = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, intervalMs);
      function done() {
        clearTimeout(timer);
        resume = undefined;
        resolve();
      }
      resume = done;
    });
  const loop = (async () => {
    while (!stopped) {
      woken = false;
      let moved = 0;
      try {
        moved = await run();
      } catch (error) {
        log.error({ err: error }, 'outbox dispatch failed');
      }
      if (moved < batchSize && !woken && !stopped) await pause();
    }
  })();
  return {
    wake: () => {
      woken = true;
      resume?.();
    },
    stop: async () => {
      stopped = true;
      resume?.();
      await loop;
    },
  };
}
