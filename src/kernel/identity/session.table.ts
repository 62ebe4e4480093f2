import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenancy/tenant.table.ts';
import { appUser } from './user.table.ts';

/**
 * A browser session. Global (a person signs in once, then works in one tenant at a time), so
 * the current tenant is `active_tenant_id`: a `tenant_id` column would put the table under
 * tenant row-level security. Only the SHA-256 of the cookie's token is stored.
 */
export const identitySession = pgTable(
  'identity_session',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    activeTenantId: uuid('active_tenant_id').references(() => tenantTable.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    idleExpiresAt: timestamp('idle_expires_at', { withTimezone: true }).notNull(),
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** When the user last proved a second factor in this session (TOTP step-up). */
    stepUpAt: timestamp('step_up_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('identity_session_token_hash_key').on(table.tokenHash),
    index('identity_session_user_idx').on(table.userId),
  ],
);
