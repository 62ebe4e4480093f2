import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { appUser } from './user.table.ts';

export const ONE_TIME_PURPOSES = ['password_reset', 'email_verification'] as const;
export type OneTimePurpose = (typeof ONE_TIME_PURPOSES)[number];

/** Links sent by email (password reset, address verification): single use, short-lived, stored hashed. */
export const identityOneTimeToken = pgTable(
  'identity_one_time_token',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id, { onDelete: 'cascade' }),
    purpose: text('purpose').$type<OneTimePurpose>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('identity_one_time_token_hash_key').on(table.tokenHash),
    index('identity_one_time_token_user_idx').on(table.userId, table.purpose),
    check('identity_one_time_token_purpose_known', sql`${table.purpose} IN ('password_reset', 'email_verification')`),
  ],
);
