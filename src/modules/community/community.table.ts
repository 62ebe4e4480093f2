import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { CredentialState, DecidedVia } from './domain/credential.ts';
import type { InviteMode } from './domain/invite.ts';

/**
 * An invitation into the community: a secret code (only its SHA-256 is stored) usable up to
 * `max_uses` times until `expires_at`. The inviter is kept for the invite graph.
 */
export const communityInvite = pgTable(
  'community_invite',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    codeHash: text('code_hash').notNull(),
    inviterUserId: uuid('inviter_user_id').notNull(),
    mode: text('mode').$type<InviteMode>().notNull(),
    maxUses: integer('max_uses').notNull(),
    uses: integer('uses').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    note: text('note'),
    suggestedUsername: text('suggested_username'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('community_invite_code_key').on(table.codeHash),
    check('community_invite_mode_known', sql`${table.mode} IN ('join', 'approval')`),
    check('community_invite_uses_within_max', sql`${table.uses} >= 0 AND ${table.uses} <= ${table.maxUses}`),
  ],
);

/** A person's standing in the community beside their kernel membership: username, who invited them, approval. */
export const communityMember = pgTable(
  'community_member',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    username: text('username').notNull(),
    inviteId: uuid('invite_id'),
    inviterUserId: uuid('inviter_user_id'),
    /** Null while an administrator has still to approve the member (invites of mode `approval`). */
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.userId] }),
    uniqueIndex('community_member_username_key').on(table.tenantId, table.username),
    check('community_member_username_format', sql`${table.username} ~ '^[a-z0-9_]{3,32}$'`),
  ],
);

/**
 * The trust of one credential (a browser session, or an API token family) in the community:
 * pending (half-authenticated) until a code sent by email is entered or an administrator
 * approves it. The verification code lives here (hash only), with its send and attempt counters.
 */
export const communityCredential = pgTable(
  'community_credential',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    /** `session:<id>` or `token:<family id>`. */
    credentialKey: text('credential_key').notNull(),
    userId: uuid('user_id').notNull(),
    state: text('state').$type<CredentialState>().notNull().default('pending'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    codeHash: text('code_hash'),
    codeExpiresAt: timestamp('code_expires_at', { withTimezone: true }),
    /** Sends within the current window (see CODE_POLICY), and when that window began. */
    codesSent: integer('codes_sent').notNull().default(0),
    sendWindowStartedAt: timestamp('send_window_started_at', { withTimezone: true }),
    lastCodeSentAt: timestamp('last_code_sent_at', { withTimezone: true }),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedByUserId: uuid('decided_by_user_id'),
    decidedVia: text('decided_via').$type<DecidedVia>(),
    decidedFrom: text('decided_from'),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('community_credential_key').on(table.tenantId, table.credentialKey),
    index('community_credential_state_idx').on(table.tenantId, table.state, table.createdAt),
    check('community_credential_state_known', sql`${table.state} IN ('pending', 'trusted', 'denied')`),
  ],
);
