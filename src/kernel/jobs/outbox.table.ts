import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenancy/tenant.table.ts';

/**
 * Domain events written by use cases in their own transaction (see emit), waiting for the
 * dispatcher to hand them to pg-boss. A row leaves only if the use case commits; the dispatcher
 * marks it dispatched in the same transaction that enqueues its jobs.
 */
export const jobsOutbox = pgTable(
  'jobs_outbox',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenantTable.id),
    /** The event id: handlers are idempotent by it. */
    id: uuid('id').notNull().defaultRandom(),
    /** `module.thing.happened`. */
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('jobs_outbox_pending_idx').on(table.occurredAt).where(sql`${table.dispatchedAt} IS NULL`),
    check('jobs_outbox_type_format', sql`${table.type} ~ '^[a-z][a-z0-9]*(\\.[a-z][a-z0-9_]*){2,}$'`),
  ],
);

/**
 * Which handler has had which event, written in the same transaction as the handler's effect:
 * a redelivered event finds its row and changes nothing.
 */
export const jobsProcessedEvent = pgTable(
  'jobs_processed_event',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenantTable.id),
    handler: text('handler').notNull(),
    eventId: uuid('event_id').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.handler, table.eventId] })],
);
