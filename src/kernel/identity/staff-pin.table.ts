import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenancy/tenant.table.ts';
import { appUser } from './user.table.ts';

/** A staff member's PIN for registered terminals of one tenant (argon2id); `changed_at` drives rotation. */
export const identityStaffPin = pgTable(
  'identity_staff_pin',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenantTable.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    pinHash: text('pin_hash').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.userId] })],
);
