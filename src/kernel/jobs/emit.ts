import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { writeEvent } from '../journal/index.ts';
import type { EventInput } from './types.ts';

const EVENT_TYPE = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*){2,}$/;

/**
 * Writes a domain event to the outbox inside the use case's transaction (tenant-scoped, so the
 * row belongs to ctx.tenantId): it is dispatched only if that transaction commits. In a
 * transaction of withTenantTx it is written with the use case's journal, just before commit
 * (kernel/journal). Answers the event id, which handlers use as their idempotency key.
 */
export async function emit(tx: Tx, ctx: Pick<ServiceContext, 'tenantId'>, event: EventInput): Promise<string> {
  if (!EVENT_TYPE.test(event.type)) throw new Error(`Event type "${event.type}" must look like module.thing.happened.`);
  const id = randomUUID();
  await writeEvent(tx, { tenantId: ctx.tenantId, id, type: event.type, payload: event.payload });
  return id;
}
