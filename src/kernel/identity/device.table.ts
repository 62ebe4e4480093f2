import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenancy/tenant.table.ts';

/**
 * A registered terminal (till, kitchen screen) of one tenant. Tenant-scoped: row-level security
 * applies through `tenant_id`. The secret it presents is stored as SHA-256 (32 random bytes).
 */
export const identityDevice = pgTable(
  'identity_device',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenantTable.id),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.id] })],
);
