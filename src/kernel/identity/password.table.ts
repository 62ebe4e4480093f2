import { boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { appUser } from './user.table.ts';

/** A user's password, as an argon2id PHC string; a user without a row has no password (yet). */
export const identityPassword = pgTable('identity_password', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => appUser.id, { onDelete: 'cascade' }),
  hash: text('hash').notNull(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  /** A temporary password an administrator issued: it signs in only to choose a new one. */
  mustChange: boolean('must_change').notNull().default(false),
});
