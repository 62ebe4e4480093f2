import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { RequestStatus, SyncScope } from './domain/request.ts';

/** A member's request for help. `pending` while its author's sign-in was unverified when posted. */
export const requestsRequest = pgTable(
  'requests_request',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    authorUserId: uuid('author_user_id').notNull(),
    status: text('status').$type<RequestStatus>().notNull(),
    /** Whether the record may leave this node in federation bundles: private unless its author or an administrator says so. */
    syncScope: text('sync_scope').$type<SyncScope>().notNull().default('private'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedByUserId: uuid('completed_by_user_id'),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('requests_request_feed_idx').on(table.tenantId, table.createdAt, table.id),
    check('requests_request_status_known', sql`${table.status} IN ('open', 'pending', 'completed')`),
    check('requests_request_scope_known', sql`${table.syncScope} IN ('private', 'public')`),
  ],
);

/** A comment on a request; moderators hide one by soft deletion (kept, with who and why). */
export const requestsComment = pgTable(
  'requests_comment',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    requestId: uuid('request_id').notNull(),
    authorUserId: uuid('author_user_id').notNull(),
    body: text('body').notNull(),
    syncScope: text('sync_scope').$type<SyncScope>().notNull().default('private'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    deletedByUserId: uuid('deleted_by_user_id'),
    deletedReason: text('deleted_reason'),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    foreignKey({ columns: [table.tenantId, table.requestId], foreignColumns: [requestsRequest.tenantId, requestsRequest.id] }).onDelete('cascade'),
    index('requests_comment_request_idx').on(table.tenantId, table.requestId, table.createdAt),
    check('requests_comment_scope_known', sql`${table.syncScope} IN ('private', 'public')`),
  ],
);
