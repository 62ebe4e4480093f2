import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Verified provider events, stored before they are acknowledged: one row per (provider, event
 * id), so a replay — sequential or parallel — finds the row and stores nothing. Platform-level
 * (no tenant_id): an event names its account, and processing routes it to the tenant.
 */
export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set in the same transaction as the event's effect. */
    processedAt: timestamp('processed_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (table) => [uniqueIndex('webhook_inbox_provider_event_key').on(table.provider, table.eventId)],
);
