import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenancy/tenant.table.ts';

/** `sending`: claimed by a runner, whose lease (next_attempt_at) lets another take it over once run out. */
export const DELIVERY_STATUSES = ['queued', 'deferred', 'sending', 'sent', 'failed', 'suppressed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * One notification to one recipient: written in the caller's transaction (so a rollback sends
 * nothing), then claimed by deliverDue. The row is also the delivery log: attempts, the
 * provider's message id, the last error, and when it was sent or given up on.
 */
export const notifyDelivery = pgTable(
  'notify_delivery',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenantTable.id),
    id: uuid('id').notNull().defaultRandom(),
    channel: text('channel').$type<Channel>().notNull(),
    recipient: text('recipient').notNull(),
    template: text('template').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    timeZone: text('time_zone'),
    /** Deferred out of quiet hours: always for SMS, for email only when asked. */
    quietHours: boolean('quiet_hours').notNull(),
    status: text('status').$type<DeliveryStatus>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** When it is due next (queued, deferred), or when a claim's lease runs out (sending). Null once settled. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** The current claim (notify_claim_due): only its holder may record the outcome. */
    claimToken: uuid('claim_token'),
    providerMessageId: text('provider_message_id'),
    error: text('error'),
    requestId: text('request_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    // The cross-tenant claim's scan: due or lease-expired rows, oldest first.
    index('notify_delivery_claim_idx')
      .on(table.nextAttemptAt)
      .where(sql`${table.status} IN ('queued', 'deferred', 'sending')`),
    index('notify_delivery_tenant_created_idx').on(table.tenantId, table.createdAt),
    check('notify_delivery_status_known', sql`${table.status} IN ('queued', 'deferred', 'sending', 'sent', 'failed', 'suppressed')`),
    check('notify_delivery_channel_known', sql`${table.channel} IN ('email', 'sms')`),
    check('notify_delivery_due_when_pending', sql`${table.status} NOT IN ('queued', 'deferred', 'sending') OR ${table.nextAttemptAt} IS NOT NULL`),
  ],
);

/** A recipient who asked for no more messages on a channel from this tenant (SMS STOP, email unsubscribe). */
export const notifyOptOut = pgTable(
  'notify_opt_out',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenantTable.id),
    channel: text('channel').$type<Channel>().notNull(),
    recipient: text('recipient').notNull(),
    /** How they asked: the SMS keyword, or `unsubscribe-link`. */
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.channel, table.recipient] }),
    check('notify_opt_out_channel_known', sql`${table.channel} IN ('email', 'sms')`),
  ],
);

/** A tenant's own notification settings; without a row the configured defaults apply. */
export const notifySettings = pgTable(
  'notify_settings',
  {
    tenantId: uuid('tenant_id')
      .primaryKey()
      .references(() => tenantTable.id),
    /** `HH:MM-HH:MM` local to the recipient. */
    quietHours: text('quiet_hours'),
    /** Display name on the tenant's email (the address stays NOTIFY_FROM's); null: NOTIFY_FROM as configured. */
    senderName: text('sender_name'),
    /** Where replies to the tenant's email go. */
    replyTo: text('reply_to'),
    /** False: the tenant sends no SMS; queued texts are suppressed. */
    smsEnabled: boolean('sms_enabled').notNull().default(true),
  },
  (table) => [check('notify_settings_quiet_hours_format', sql`${table.quietHours} ~ '^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$'`)],
);
