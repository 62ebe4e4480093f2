import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../context.ts';
import type { UnitOfWork } from '../tenancy/unit-of-work.ts';
import { EVENT_TYPE } from './define-events.ts';
import type { EventInput, EventSchemas } from './types.ts';

/**
 * The declared events emit checks payloads against, when configured to (tests): undefined in
 * production, where the types alone keep emit calls honest and the hot path pays nothing.
 * Process-wide because emit has nothing of the app; apps built in one process add theirs.
 */
let checked: Map<string, EventSchemas[string]> | undefined;

/** From now on, emit refuses an event no registered module declares and a payload its schema refuses. */
export function checkEmittedEvents(declared: EventSchemas): void {
  checked ??= new Map();
  for (const [type, schema] of Object.entries(declared)) checked.set(type, schema);
}

function check(declared: ReadonlyMap<string, EventSchemas[string]>, event: { type: string; payload: unknown }): void {
  const schema = declared.get(event.type);
  if (!schema) throw new Error(`Event ${event.type} is declared by no registered module: add it to the emitting module's events.ts and manifest \`emits\`.`);
  const parsed = schema.safeParse(event.payload);
  if (!parsed.success) throw new Error(`Event ${event.type}: the payload does not match its schema: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ')}`);
}

/**
 * Writes a domain event to the outbox in the unit of work (tenant-scoped, so the row belongs to
 * its tenant): it is written with the unit of work's journal, just before commit (kernel/journal),
 * and dispatched only if that commits. Answers the event id, which handlers use as their
 * idempotency key.
 */
export function emit(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, event: EventInput): string {
  if (!EVENT_TYPE.test(event.type)) throw new Error(`Event type "${event.type}" must look like module.thing.happened.`);
  if (checked) check(checked, event);
  const id = randomUUID();
  uow.journal.event({ tenantId: uow.tenantId, id, type: event.type, payload: event.payload });
  return id;
}
