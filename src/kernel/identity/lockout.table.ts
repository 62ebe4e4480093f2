import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Failed attempts per key (`user:<id>`, `email:<address>`, `ip:<address>`, `pin:<tenant>:<user>`,
 * `totp:<user>`). Global on purpose: a PIN key names its tenant in the key instead.
 */
export const identityLockout = pgTable('identity_lockout', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});
