import pg from 'pg';
import PgBoss from 'pg-boss';
import type { Config } from '../config/index.ts';
import type { Database } from '../db/index.ts';
import { declaredEvents, type ModuleManifest } from '../module/index.ts';
import type { Logger } from '../observability/logger.ts';
import { createPgListener, type PgListener } from '../db/listener.ts';
import { dispatchBatch, OUTBOX_NOTIFY_CHANNEL, startDispatcher } from './dispatcher.ts';
import { deliverBatch } from './deliver.ts';
import {
  collectJobs,
  DEAD_LETTER_QUEUE,
  PGBOSS_SCHEMA,
  retryOptions,
  routeTable,
  type HandlerJobData,
  type RegisteredHandler,
  type RegisteredSchedule,
} from './queues.ts';

/** What startJobs uses for the options left out. */
export const JOBS_DEFAULTS = {
  batchSize: 100,
  dispatchIntervalMs: 5000,
  pollingIntervalSeconds: 1,
  workBatchSize: 50,
  expireInSeconds: 900,
} as const;

export interface JobsOptions {
  /**
   * The owner's connection string (the login role migrations use). pg-boss and the dispatcher
   * keep that role: pg-boss's create_queue() adds partitions to its job table (DDL the app role
   * may not run), and the outbox claim function is not granted to the app role. Handlers and
   * schedules do not use it: they run on `database`, the app pool under row-level security.
   */
  url: string;
  database: Database;
  /** Handed to schedules (ScheduleServices). */
  config: Config;
  modules: readonly ModuleManifest[];
  log: Logger;
  /** Outbox events per dispatch transaction. */
  batchSize?: number;
  /** Longest pause of the dispatcher when the outbox is drained, ms: commits wake it at once through NOTIFY; the pause only covers a lost notification. */
  dispatchIntervalMs?: number;
  /** How often each worker polls its queue, seconds (pg-boss's minimum is 0.5); the dispatcher wakes workers in its process at once. */
  pollingIntervalSeconds?: number;
  /** Jobs a worker fetches at once; a tenant's are handled together, see deliverBatch. */
  workBatchSize?: number;
  /** A job still active after this long counts as lost (worker died) and is retried, seconds. */
  expireInSeconds?: number;
  /** How often pg-boss looks for expired jobs and archives old ones, seconds (default 60). */
  maintenanceIntervalSeconds?: number;
  /** Run only the dispatcher, or only the workers; both by default. */
  dispatch?: boolean;
  work?: boolean;
}

export interface JobsRuntime {
  handlers: readonly RegisteredHandler[];
  schedules: readonly RegisteredSchedule[];
  /** One dispatch transaction now (tests, and the CLI's drain). */
  dispatchOnce(): Promise<number>;
  /** Stops taking jobs, lets running ones finish (pg-boss fails what is left after the timeout), closes the owner pool. */
  stop(): Promise<void>;
}

/** Starts the outbox dispatcher and a worker per declared handler and schedule. */
export async function startJobs(options: JobsOptions): Promise<JobsRuntime> {
  const log = options.log.child({ component: 'jobs' });
  // A worker without the app checks what the app would: every handled event has its emitter.
  declaredEvents(options.modules);
  const { handlers, schedules } = collectJobs(options.modules);
  const routes = routeTable(handlers);
  const batchSize = options.batchSize ?? JOBS_DEFAULTS.batchSize;
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? JOBS_DEFAULTS.pollingIntervalSeconds;
  const expireInSeconds = options.expireInSeconds ?? JOBS_DEFAULTS.expireInSeconds;
  const workBatchSize = options.workBatchSize ?? JOBS_DEFAULTS.workBatchSize;

  const pool = new pg.Pool({ connectionString: options.url, max: 2 + handlers.length + schedules.length, application_name: 'plinth-jobs' });
  pool.on('error', (error) => log.warn({ err: error }, 'idle jobs connection lost'));
  const boss = new PgBoss({
    db: { executeSql: (text, values) => pool.query(text, values) },
    schema: PGBOSS_SCHEMA,
    // The schema is the jobs migrations' (0002_pgboss_schema.sql); start() only checks its version.
    migrate: false,
    supervise: options.work !== false,
    schedule: options.work !== false,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
  });
  const workerIds: string[] = [];
  boss.on('error', (error: Error) => log.error({ err: error }, 'pg-boss error'));
  try {
    await boss.start();
    if (options.work !== false) {
      for (const handler of handlers) {
        const queue = { name: handler.name, ...retryOptions(handler.definition.retry), deadLetter: DEAD_LETTER_QUEUE, expireInSeconds };
        await boss.createQueue(handler.name, queue);
        await boss.updateQueue(handler.name, queue);
        // pg-boss fails or completes a fetched batch as a whole; each job is failed on its own here
        // (its retry count, its dead letter), and pg-boss then completes only those still active.
        // Read by the callback, which pg-boss first calls only after its first fetch, i.e. after work() answered.
        const worker = { id: '' };
        worker.id = await boss.work<HandlerJobData>(handler.name, { batchSize: workBatchSize, pollingIntervalSeconds }, async (jobs) => {
          await deliverBatch(
            options.database,
            log,
            handler,
            jobs.map((job) => job.data),
            async (data, error) => {
              log.warn({ err: error, handler: handler.name, eventId: data.id }, 'event handler failed');
              const job = jobs.find((candidate) => candidate.data.id === data.id);
              if (job) await boss.fail(handler.name, job.id, error instanceof Error ? { message: error.message } : { message: String(error) });
            },
          );
          // pg-boss waits out its polling interval after every batch; a full batch means more are
          // waiting, so fetch again at once (the interval then only paces an idle queue).
          if (jobs.length === workBatchSize && worker.id) boss.notifyWorker(worker.id);
        });
        workerIds.push(worker.id);
      }
      for (const schedule of schedules) {
        const { definition } = schedule;
        const queue = { name: schedule.name, ...retryOptions(definition.retry), deadLetter: DEAD_LETTER_QUEUE, expireInSeconds };
        await boss.createQueue(schedule.name, queue);
        await boss.updateQueue(schedule.name, queue);
        await boss.schedule(schedule.name, definition.cron, { handler: schedule.name }, { tz: definition.tz ?? 'UTC' });
        await boss.work(schedule.name, { batchSize: 1, pollingIntervalSeconds }, async () => {
          await definition.run({ database: options.database, log: log.child({ schedule: schedule.name }), config: options.config });
        });
      }
    }
  } catch (error) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    await pool.end();
    throw error;
  }

  // Workers in this process hear of new jobs at once instead of at their next poll.
  const dispatchOnce = async () => {
    const moved = await dispatchBatch(pool, boss, routes, batchSize);
    if (moved > 0) for (const workerId of workerIds) boss.notifyWorker(workerId);
    return moved;
  };
  const dispatcher = options.dispatch === false ? undefined : startDispatcher(dispatchOnce, batchSize, options.dispatchIntervalMs ?? JOBS_DEFAULTS.dispatchIntervalMs, log);
  let wakeUps: PgListener | undefined;
  if (dispatcher) {
    wakeUps = createPgListener({ connection: { connectionString: options.url }, applicationName: 'plinth-jobs-wake', log });
    // A commit anywhere wakes the dispatcher; after a reconnect too, as commits meanwhile told nobody.
    wakeUps.listen(OUTBOX_NOTIFY_CHANNEL, { notification: () => dispatcher.wake(), reconnected: () => dispatcher.wake() });
    try {
      await wakeUps.start();
    } catch (error) {
      await dispatcher.stop();
      await boss.stop({ graceful: false }).catch(() => undefined);
      await pool.end();
      throw error;
    }
  }
  log.info({ handlers: handlers.map((h) => h.name), schedules: schedules.map((s) => s.name) }, 'jobs started');
  return {
    handlers,
    schedules,
    dispatchOnce,
    stop: async () => {
      await wakeUps?.close();
      await dispatcher?.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      await pool.end();
    },
  };
}
