import type { FastifyBaseLogger } from 'fastify';
import type { ServiceContext } from '../context.ts';
import type { Database } from '../db/index.ts';
import type { Logger } from '../observability/logger.ts';
import { withTenantTx, type UnitOfWork } from '../tenancy/index.ts';
import { jobsProcessedEvent } from './outbox.table.ts';
import type { HandlerJobData, RegisteredHandler } from './queues.ts';
import type { DomainEvent } from './types.ts';

/** Events of one tenant handled in one transaction at most; keeps a batch's locks short. */
const EVENTS_PER_TRANSACTION = 25;

function contextOf(database: Database, log: Logger, handler: RegisteredHandler, data: HandlerJobData): ServiceContext {
  return { db: database.db, ...scopeOf(log, handler, data) };
}

/** The handler's actor and the event's request id and logger; the tenant is the event's. */
function scopeOf(log: Logger, handler: RegisteredHandler, data: HandlerJobData): Omit<ServiceContext, 'db'> {
  return {
    tenantId: data.tenantId,
    actor: { kind: 'system', process: `jobs:${handler.name}` },
    requestId: `event:${data.id}`,
    log: log.child({ handler: handler.name, eventId: data.id }) as FastifyBaseLogger,
  };
}

/**
 * In the caller's unit of work: records (handler, event id) for each event and runs the handler for
 * those recorded now. One recorded before (or by a parallel delivery, whose uncommitted insert this
 * waits on) is skipped. Ids are inserted in sorted order so parallel deliveries of overlapping sets
 * lock them in the same order. Answers how many ran.
 */
async function handleOnce(uow: UnitOfWork, database: Database, log: Logger, handler: RegisteredHandler, events: readonly HandlerJobData[]): Promise<number> {
  const sorted = [...events].sort((a, b) => (a.id < b.id ? -1 : 1));
  const recorded = await uow.tx
    .insert(jobsProcessedEvent)
    .values(sorted.map((event) => ({ tenantId: event.tenantId, handler: handler.name, eventId: event.id })))
    .onConflictDoNothing()
    .returning({ eventId: jobsProcessedEvent.eventId });
  const fresh = new Set(recorded.map((row) => row.eventId));
  for (const data of sorted) {
    if (!fresh.has(data.id)) continue;
    const { handler: _queue, ...event } = data;
    // Each event under its own request id and logger, in the one unit of work. The queue is the
    // handler's, so the event is of a type it handles; its payload is what emit was given for it.
    await handler.definition.handle({ ...uow, ...scopeOf(log, handler, data) }, event as DomainEvent, { db: database.db });
  }
  return fresh.size;
}

/**
 * Runs one handler's delivery of one event in a transaction of the event's tenant, with no second
 * effect for a redelivery. Answers whether it ran.
 */
export async function deliverEvent(database: Database, log: Logger, handler: RegisteredHandler, data: HandlerJobData): Promise<boolean> {
  const ctx = contextOf(database, log, handler, data);
  return (await withTenantTx(ctx, (uow) => handleOnce(uow, database, log, handler, [data]))) === 1;
}

/**
 * Delivers a fetched batch: a tenant's events together, up to EVENTS_PER_TRANSACTION per
 * transaction (a transaction per event costs most of the time of a cheap handler). If a shared
 * transaction fails, nothing of it stays, and its events are delivered again one per transaction,
 * so one failing event fails alone. `failed` is called for each event that failed on its own.
 */
export async function deliverBatch(
  database: Database,
  log: Logger,
  handler: RegisteredHandler,
  batch: readonly HandlerJobData[],
  failed: (data: HandlerJobData, error: unknown) => Promise<void>,
): Promise<void> {
  const groups: HandlerJobData[][] = [];
  const open = new Map<string, HandlerJobData[]>();
  for (const data of batch) {
    let group = open.get(data.tenantId);
    if (!group || group.length === EVENTS_PER_TRANSACTION) {
      group = [];
      groups.push(group);
      open.set(data.tenantId, group);
    }
    group.push(data);
  }
  const alone = async (data: HandlerJobData) => {
    try {
      await deliverEvent(database, log, handler, data);
    } catch (error) {
      await failed(data, error);
    }
  };
  await Promise.all(
    groups.map(async (group) => {
      const [first] = group;
      if (!first || group.length === 1) return Promise.all(group.map(alone));
      try {
        await withTenantTx(contextOf(database, log, handler, first), (uow) => handleOnce(uow, database, log, handler, group));
      } catch {
        await Promise.all(group.map(alone));
      }
    }),
  );
}
