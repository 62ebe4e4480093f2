import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenancy/tenant.table.ts';

/**
 * An invitation to join a tenant with given roles: a link whose secret is stored as SHA-256,
 * usable `max_uses` times (1: single-use) until it expires or is revoked; optionally bound to
 * one email address.
 */
export const accessInvitation = pgTable(
  'access_invitation',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenantTable.id),
    id: uuid('id').notNull().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    email: text('email'),
    roleKeys: text('role_keys').array().notNull(),
    maxUses: integer('max_uses').notNull().default(1),
    uses: integer('uses').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('access_invitation_token_key').on(table.tokenHash),
    check('access_invitation_uses_within_max', sql`${table.uses} >= 0 AND ${table.uses} <= ${table.maxUses} AND ${table.maxUses} BETWEEN 1 AND 1000`),
  ],
);
