import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/kernel/config/index.ts';
import { APP_ROLE, createDatabase, type Database } from '../src/kernel/db/index.ts';
import { z } from 'zod';
import { defineEventHandler, defineEvents, emit, JOBS_DEFAULTS, startJobs, type JobsRuntime, type PayloadsOf } from '../src/kernel/jobs/index.ts';
import { defineModule } from '../src/kernel/module/index.ts';
import { createLogger } from '../src/kernel/observability/logger.ts';
import { ensureTenant, withTenantTx, type UnitOfWork } from '../src/kernel/tenancy/index.ts';
import { planEditions } from '../src/editions/compose.ts';
import { migrate } from '../src/main.ts';
import type { LoadResult } from './lib/load.ts';
import { scratchDatabase, type ScratchDatabase } from './lib/scratch-database.ts';
import type { Benchmark } from './lib/types.ts';
import { waitingOn } from './lib/watchdog.ts';

const EVENTS = Number(process.env.BENCH_OUTBOX_EVENTS ?? 2000);
/** Events per emitting transaction. */
const EMIT_BATCH = Number(process.env.BENCH_OUTBOX_EMIT_BATCH ?? 100);
/** Jobs a worker fetches per poll (pg-boss batchSize), and rows the baseline consumer claims at once. */
const WORK_BATCH = Number(process.env.BENCH_OUTBOX_WORK_BATCH ?? JOBS_DEFAULTS.workBatchSize);
/** pg-boss polling interval, seconds (its minimum is 0.5). */
const POLL_SECONDS = Number(process.env.BENCH_OUTBOX_POLL_SECONDS ?? JOBS_DEFAULTS.pollingIntervalSeconds);
const EVENT_TYPE = 'bench.outbox.measured';
const benchEvents = defineEvents({ [EVENT_TYPE]: z.object({ run: z.string(), i: z.number().int() }) });

declare module '../src/kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof benchEvents> {}
}
const log = createLogger('warn');

/** One row per handled event, whichever path handled it: what both variants are timed by. */
const SETUP = `
  CREATE TABLE bench_outbox_effect (
    run text NOT NULL, event_id uuid NOT NULL, emitted_at timestamptz NOT NULL, handled_at timestamptz NOT NULL DEFAULT clock_timestamp());
  CREATE INDEX ON bench_outbox_effect (run);
  CREATE TABLE bench_outbox_queue (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), run text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  GRANT SELECT, INSERT ON bench_outbox_effect, bench_outbox_queue TO ${APP_ROLE};`;

const benchModule = defineModule({
  id: 'bench',
  permissions: [],
  emits: benchEvents,
  eventHandlers: [
    defineEventHandler({
      name: 'record',
      events: [EVENT_TYPE],
      async handle({ tx }, event) {
        await tx.execute(sql`INSERT INTO bench_outbox_effect (run, event_id, emitted_at) VALUES (${event.payload.run}, ${event.id}, ${event.occurredAt})`);
      },
    }),
  ],
});

interface Setup {
  owner: Database;
  app: Database;
  tenantId: string;
}

/** Writes `count` rows in tenant transactions of EMIT_BATCH rows each, one statement per row. */
async function produce(setup: Setup, count: number, write: (uow: UnitOfWork<{ tenantId: string }>, i: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < count; start += EMIT_BATCH) {
    await withTenantTx({ db: setup.app.db, tenantId: setup.tenantId }, async (uow) => {
      for (let i = start; i < Math.min(count, start + EMIT_BATCH); i++) await write(uow, i);
    });
  }
}

/**
 * The baseline's consumer: claims up to WORK_BATCH queued rows (FOR UPDATE SKIP LOCKED), deletes
 * them and records each one's effect, in one statement; straight on while rows come back, else
 * after 5 ms. Runs until `done` answers true.
 */
async function consume(owner: Database, done: () => boolean): Promise<void> {
  while (!done()) {
    const { rowCount } = await owner.pool.query(
      `WITH claimed AS (
         DELETE FROM bench_outbox_queue WHERE id IN (SELECT id FROM bench_outbox_queue LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING id, run, created_at)
       INSERT INTO bench_outbox_effect (run, event_id, emitted_at) SELECT run, id, created_at FROM claimed`,
      [WORK_BATCH],
    );
    if (!rowCount) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const handledCount = async (owner: Database, run: string) =>
  (await owner.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bench_outbox_effect WHERE run = $1', [run])).rows[0]?.n ?? 0;

/**
 * Polls until `count` effects of `run` exist; fails after a minute, or twice the time a worker
 * polling WORK_BATCH jobs every POLL_SECONDS needs at best, whichever is longer.
 */
async function awaitHandled(owner: Database, run: string, count: number): Promise<void> {
  const limitMs = Math.max(60_000, ((2 * count) / WORK_BATCH) * POLL_SECONDS * 1000);
  const deadline = Date.now() + limitMs;
  let handled = 0;
  waitingOn(() => `${run}: ${handled} of ${count} events handled`);
  while ((handled = await handledCount(owner, run)) < count) {
    if (Date.now() > deadline) throw new Error(`${run}: only ${handled} of ${count} events handled after ${limitMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Timed {
  run: string;
  count: number;
  /** Database clock when emitting began. */
  startedAt: Date;
}

/** Plinth: emit() in tenant transactions → dispatcher → pg-boss → handler recording the effect. */
async function throughOutbox(setup: Setup, run: string, count: number): Promise<Timed> {
  const startedAt = await databaseNow(setup.owner);
  await produce(setup, count, async (uow, i) => emit(uow, { type: EVENT_TYPE, payload: { run, i } }));
  await awaitHandled(setup.owner, run, count);
  return { run, count, startedAt };
}

/** Baseline: plain INSERTs in the same transactions, and a SKIP LOCKED consumer doing the same effect write. */
async function throughQueue(setup: Setup, run: string, count: number): Promise<Timed> {
  let finished = false;
  const startedAt = await databaseNow(setup.owner);
  const consumer = consume(setup.owner, () => finished);
  try {
    await produce(setup, count, ({ tx }) => tx.execute(sql`INSERT INTO bench_outbox_queue (run) VALUES (${run})`));
    await awaitHandled(setup.owner, run, count);
  } finally {
    finished = true;
    await consumer;
  }
  return { run, count, startedAt };
}

const databaseNow = async (owner: Database) => (await owner.pool.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]?.now as Date;

/**
 * Events per second over several timed runs (each from its start to its last effect, by the
 * database clock), and the p50/p99 latency from an event's emitting transaction to its effect.
 */
async function summarise(owner: Database, runs: Timed[]): Promise<LoadResult> {
  let seconds = 0;
  for (const { run, startedAt } of runs) {
    const { rows } = await owner.pool.query<{ s: number }>(
      'SELECT extract(epoch FROM max(handled_at) - $2::timestamptz)::float8 AS s FROM bench_outbox_effect WHERE run = $1',
      [run, startedAt],
    );
    seconds += rows[0]?.s ?? 0;
  }
  const { rows } = await owner.pool.query<{ p50: number; p99: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM (SELECT extract(epoch FROM handled_at - emitted_at)::float8 * 1000 AS ms FROM bench_outbox_effect WHERE run = ANY($1)) AS latency`,
    [runs.map((timed) => timed.run)],
  );
  const round = (ms: number | undefined) => Math.round((ms ?? 0) * 10) / 10;
  const events = runs.reduce((sum, timed) => sum + timed.count, 0);
  return { requestsPerSecond: events / seconds, p50Ms: round(rows[0]?.p50), p99Ms: round(rows[0]?.p99), non2xx: 0, errors: 0 };
}

/**
 * BENCH_OUTBOX_EVENTS (default 2,000) events end to end through the jobs kernel (emit → outbox →
 * dispatcher → pg-boss queue → worker → handler transaction recording (handler, event) and one
 * effect row) vs. the same INSERTs into a plain table drained by a FOR UPDATE SKIP LOCKED consumer
 * writing the same effect rows. Each variant runs twice with half the events, interleaved (plinth,
 * baseline, baseline, plinth) after a warm-up of each. Rows show events/s (printed as req/s) and
 * the latency from an event's emitting transaction to its effect; BENCH_DURATION does not apply.
 * Both default to the jobs runtime's defaults (BENCH_OUTBOX_WORK_BATCH, BENCH_OUTBOX_POLL_SECONDS
 * change them): commits wake the dispatcher through NOTIFY and the dispatcher wakes the workers,
 * so the polling interval only paces an idle queue.
 */
export const outboxThroughputBenchmark: Benchmark = {
  name: 'outbox throughput: emit → pg-boss → handler vs plain queue table (events/s)',
  baseline:
    'the same INSERTs (one row per event) in the same tenant transactions into a plain table, drained by one FOR UPDATE SKIP LOCKED ' +
    'consumer deleting a batch and writing the same effect rows in one statement; same database, same event count',
  async run() {
    let database: ScratchDatabase | undefined;
    let owner: Database | undefined;
    let app: Database | undefined;
    let jobs: JobsRuntime | undefined;
    try {
      database = await scratchDatabase();
      waitingOn('migrations of the scratch database');
      await migrate(database.url, planEditions({ editions: undefined }), log);
      owner = createDatabase(database.url, { poolMax: 4, log });
      app = createDatabase(database.url, { poolMax: 20, log, role: APP_ROLE });
      await owner.pool.query(SETUP);
      const tenant = await owner.db.transaction((tx) => ensureTenant(tx, { slug: 'bench-outbox', name: 'Bench outbox', edition: 'retail' }));
      const setup: Setup = { owner, app, tenantId: tenant.id };
      waitingOn('the jobs runtime (pg-boss) to start');
      jobs = await startJobs({ url: database.url, database: app, config: loadConfig({ NODE_ENV: 'test' }), modules: [benchModule], log, pollingIntervalSeconds: POLL_SECONDS, workBatchSize: WORK_BATCH });

      const half = Math.max(1, Math.round(EVENTS / 2));
      const label = (variant: string) => `${variant}-${randomUUID().slice(0, 8)}`;
      await throughOutbox(setup, label('warm-plinth'), Math.min(100, half));
      await throughQueue(setup, label('warm-baseline'), Math.min(100, half));
      const plinth1 = await throughOutbox(setup, label('plinth'), half);
      const baseline1 = await throughQueue(setup, label('baseline'), half);
      const baseline2 = await throughQueue(setup, label('baseline'), half);
      const plinth2 = await throughOutbox(setup, label('plinth'), half);
      const plinth = await summarise(owner, [plinth1, plinth2]);
      const baseline = await summarise(owner, [baseline1, baseline2]);
      return {
        rows: [
          { label: `outbox + pg-boss (batch ${WORK_BATCH}, poll ${POLL_SECONDS} s)`, result: plinth },
          { label: 'plain INSERT + SKIP LOCKED consumer', result: baseline },
        ],
        ratio: { label: 'outbox / plain queue events per second', value: plinth.requestsPerSecond / baseline.requestsPerSecond },
      };
    } finally {
      await jobs?.stop();
      await app?.close();
      await owner?.close();
      await database?.stop();
    }
  },
};
