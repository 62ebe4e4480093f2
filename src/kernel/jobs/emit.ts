import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../context.ts';
import type { UnitOfWork } from '../tenancy/unit-of-work.ts';
import type { EventInput } from './types.ts';

const EVENT_TYPE = /^[a-z][a-z0-9]*(\.[a-z][a-z0-9_]*){2,}$/;

/**
 * Writes a domain event to the outbox in the unit of work (tenant-scoped, so the row belongs to
 * its tenant): it is written with the unit of work's journal, just before commit (kernel/journal),
 * and dispatched only if that commits. Answers the event id, which handlers use as their
 * idempotency key.
 */
export function emit(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, event: EventInput): string {
  if (!EVENT_TYPE.test(event.type)) throw new Error(`Event type "${event.type}" must look like module.thing.happened.`);
  const id = randomUUID();
  uow.journal.event({ tenantId: uow.tenantId, id, type: event.type, payload: event.payload });
  return id;
}
