import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../context.ts';
import { prepared, type Tx } from '../db/index.ts';
import { jobsOutbox } from './outbox.table.ts';
import type { EventInput } from './types.ts';

const insertEvent = prepared('jobs_emit', (tx) =>
  tx
    .insert(jobsOutbox)
    .values({ tenantId: sql.placeholder('tenantId'), type: sql.placeholder('type'), payload: sql.placeholder('payload') })
    .returning({ id: jobsOutbox.id }),
);

const EVENT_TYPE = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*){2,}$/;

/**
 * Writes a domain event to the outbox inside the use case's transaction (tenant-scoped, so the
 * row belongs to ctx.tenantId): it is dispatched only if that transaction commits. Answers the
 * event id, which handlers use as their idempotency key.
 */
export async function emit(tx: Tx, ctx: Pick<ServiceContext, 'tenantId'>, event: EventInput): Promise<string> {
  if (!EVENT_TYPE.test(event.type)) throw new Error(`Event type "${event.type}" must look like module.thing.happened.`);
  const [row] = await insertEvent.execute(tx, { tenantId: ctx.tenantId, type: event.type, payload: event.payload });
  if (!row) throw new Error('outbox insert returned no row');
  return row.id;
}
