import { foreignKey, index, pgTable, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenancy/tenant.table.ts';
import { identityDevice } from './device.table.ts';
import { appUser } from './user.table.ts';

/**
 * One sign-in of an API client or device: every refresh token it is ever given descends from the
 * same family, so reuse of an old one can revoke them all at once.
 */
export const identityTokenFamily = pgTable(
  'identity_token_family',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    activeTenantId: uuid('active_tenant_id').references(() => tenantTable.id, { onDelete: 'set null' }),
    /** Set when a staff member signed in with a PIN at this terminal of the active tenant; revoking it ends the family. */
    deviceId: uuid('device_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
  },
  (table) => [
    index('identity_token_family_user_idx').on(table.userId),
    index('identity_token_family_device_idx').on(table.deviceId),
    foreignKey({ name: 'identity_token_family_device_fk', columns: [table.activeTenantId, table.deviceId], foreignColumns: [identityDevice.tenantId, identityDevice.id] }),
  ],
);

/** A single-use refresh token, stored as its SHA-256. */
export const identityRefreshToken = pgTable(
  'identity_refresh_token',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    familyId: uuid('family_id')
      .notNull()
      .references(() => identityTokenFamily.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id').references((): AnyPgColumn => identityRefreshToken.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('identity_refresh_token_hash_key').on(table.tokenHash),
    // A token has at most one child: the database refuses a second mint even if a lock were missed.
    uniqueIndex('identity_refresh_token_parent_key').on(table.parentId),
    index('identity_refresh_token_family_idx').on(table.familyId),
  ],
);
