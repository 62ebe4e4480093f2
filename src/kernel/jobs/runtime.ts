import pg from 'pg';
import PgBoss from 'pg-boss';
import type { FastifyBaseLogger } from 'fastify';
import type { ServiceContext } from '../context.ts';
import type { Database } from '../db/index.ts';
import type { ModuleManifest } from '../module/index.ts';
import type { Logger } from '../observability/logger.ts';
import { withTenantTx } from '../tenancy/index.ts';
import { dispatchBatch, startDispatcher } from './dispatcher.ts';
import { jobsProcessedEvent } from './outbox.table.ts';
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

export interface JobsOptions {
  /**
   * The owner's connection string (the login role migrations use). pg-boss and the dispatcher
   * keep that role: pg-boss's create_queue() adds partitions to its job table (DDL the app role
   * may not run), and the outbox claim function is not granted to the app role. Handlers and
   * schedules do not use it: they run on `database`, the app pool under row-level security.
   */
  url: string;
  database: Database;
  modules: readonly ModuleManifest[];
  log: Logger;
  /** Outbox events per dispatch transaction (default 100). */
  batchSize?: number;
  /** Pause of the dispatcher when the outbox is drained, ms (default 500). */
  dispatchIntervalMs?: number;
  /** How often each worker polls its queue, seconds (default 1; pg-boss's minimum is 0.5). */
  pollingIntervalSeconds?: number;
  /** Jobs a worker fetches at once and runs side by side (default 10). */
  workBatchSize?: number;
  /** A job still active after this long counts as lost (worker died) and is retried (default 900). */
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

/**
 * Runs one handler's delivery of one event: in a transaction of the event's tenant, first records
 * (handler, event id), then runs the handler. A second delivery finds the record (or waits on the
 * first one's uncommitted insert, then finds it) and does nothing. Answers whether it ran.
 */
export async function deliverEvent(database: Database, log: Logger, handler: RegisteredHandler, data: HandlerJobData): Promise<boolean> {
  const { handler: _queue, ...event } = data;
  const ctx: ServiceContext = {
    db: database.db,
    tenantId: event.tenantId,
    actor: { kind: 'system', process: `jobs:${handler.name}` },
    requestId: `event:${event.id}`,
    log: log.child({ handler: handler.name, eventId: event.id }) as FastifyBaseLogger,
  };
  return withTenantTx(ctx, async (tx) => {
    const first = await tx
      .insert(jobsProcessedEvent)
      .values({ tenantId: event.tenantId, handler: handler.name, eventId: event.id })
      .onConflictDoNothing()
      .returning({ eventId: jobsProcessedEvent.eventId });
    if (first.length === 0) return false;
    await handler.definition.handle(tx, ctx, event);
    return true;
  });
}

/** Starts the outbox dispatcher and a worker per declared handler and schedule. */
export async function startJobs(options: JobsOptions): Promise<JobsRuntime> {
  const log = options.log.child({ component: 'jobs' });
  const { handlers, schedules } = collectJobs(options.modules);
  const routes = routeTable(handlers);
  const batchSize = options.batchSize ?? 100;
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 1;
  const expireInSeconds = options.expireInSeconds ?? 900;
  const workBatchSize = options.workBatchSize ?? 10;

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
          await Promise.all(
            jobs.map(async (job) => {
              try {
                await deliverEvent(options.database, log, handler, job.data);
              } catch (error) {
                log.warn({ err: error, handler: handler.name, eventId: job.data.id }, 'event handler failed');
                await boss.fail(handler.name, job.id, error instanceof Error ? { message: error.message } : { message: String(error) });
              }
            }),
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
          await definition.run({ database: options.database, log: log.child({ schedule: schedule.name }) });
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
  const dispatcher = options.dispatch === false ? undefined : startDispatcher(dispatchOnce, batchSize, options.dispatchIntervalMs ?? 500, log);
  log.info({ handlers: handlers.map((h) => h.name), schedules: schedules.map((s) => s.name) }, 'jobs started');
  return {
    handlers,
    schedules,
    dispatchOnce,
    stop: async () => {
      await dispatcher?.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      await pool.end();
    },
  };
}
