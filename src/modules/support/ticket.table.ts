import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { TicketCategory, TicketPriority, TicketStatus } from './domain/ticket.ts';

/** A tenant's request for help from platform staff; the SLA clock runs on its due timestamps. */
export const supportTicket = pgTable(
  'support_ticket',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    subject: text('subject').notNull(),
    /** The opening message, written by the requester. */
    body: text('body').notNull(),
    category: text('category').$type<TicketCategory>().notNull(),
    priority: text('priority').$type<TicketPriority>().notNull(),
    status: text('status').$type<TicketStatus>().notNull().default('new'),
    requesterUserId: uuid('requester_user_id').notNull(),
    /** A platform staff member (a user of the platform tenant), or nobody yet. */
    assigneeUserId: uuid('assignee_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    firstResponseDueAt: timestamp('first_response_due_at', { withTimezone: true }).notNull(),
    firstRespondedAt: timestamp('first_responded_at', { withTimezone: true }),
    resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** When the SLA schedule marked the breach (and emitted its event); set once, never cleared. */
    firstResponseBreachedAt: timestamp('first_response_breached_at', { withTimezone: true }),
    resolutionBreachedAt: timestamp('resolution_breached_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('support_ticket_tenant_updated_idx').on(table.tenantId, table.updatedAt, table.id),
    index('support_ticket_updated_idx').on(table.updatedAt, table.id),
    check('support_ticket_priority_known', sql`${table.priority} IN ('low', 'normal', 'high', 'urgent')`),
    check('support_ticket_status_known', sql`${table.status} IN ('new', 'open', 'waiting_on_customer', 'waiting_on_platform', 'resolved', 'closed')`),
  ],
);

/** A reply in a ticket's thread: public (both sides see it) or an internal note (platform staff only). */
export const supportMessage = pgTable(
  'support_message',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    ticketId: uuid('ticket_id').notNull(),
    authorUserId: uuid('author_user_id').notNull(),
    side: text('side').$type<'customer' | 'staff'>().notNull(),
    internal: boolean('internal').notNull().default(false),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    foreignKey({ columns: [table.tenantId, table.ticketId], foreignColumns: [supportTicket.tenantId, supportTicket.id] }).onDelete('cascade'),
    index('support_message_ticket_idx').on(table.tenantId, table.ticketId, table.createdAt),
    check('support_message_side_known', sql`${table.side} IN ('customer', 'staff')`),
    // Only staff write internal notes.
    check('support_message_internal_by_staff', sql`NOT ${table.internal} OR ${table.side} = 'staff'`),
  ],
);

/** A file uploaded with a ticket or one of its messages; its bytes live in attachment storage under `storage_key`. */
export const supportAttachment = pgTable(
  'support_attachment',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    ticketId: uuid('ticket_id').notNull(),
    /** Null: attached to the ticket's opening message. */
    messageId: uuid('message_id'),
    /** Copied from the message: a file on an internal note is as hidden as the note. */
    internal: boolean('internal').notNull().default(false),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    /** Hex SHA-256 of the bytes, checked again on every download. */
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedByUserId: uuid('uploaded_by_user_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    foreignKey({ columns: [table.tenantId, table.ticketId], foreignColumns: [supportTicket.tenantId, supportTicket.id] }).onDelete('cascade'),
    index('support_attachment_ticket_idx').on(table.tenantId, table.ticketId),
    check('support_attachment_size_positive', sql`${table.sizeBytes} > 0`),
    check('support_attachment_sha256_hex', sql`${table.sha256} ~ '^[0-9a-f]{64}$'`),
  ],
);
