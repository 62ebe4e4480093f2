import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import { identitySession } from './session.table.ts';
import { identityTokenFamily } from './token.table.ts';
import { appUser } from './user.table.ts';
import { nowOf, type At } from './time.ts';

/** The PostgreSQL channel on which credential changes are announced; the realtime gateway closes the sockets they end, on every node. */
export const CREDENTIALS_CHANGED_CHANNEL = 'plinth_credentials_changed';

/**
 * Announces that credentials of these users or terminals were revoked. A NOTIFY: inside a
 * transaction PostgreSQL sends it only when (and if) that transaction commits.
 */
export async function announceCredentialChange(db: Db | Tx, change: { userIds?: string[]; deviceIds?: string[] }): Promise<void> {
  await db.execute(sql`SELECT pg_notify(${CREDENTIALS_CHANGED_CHANNEL}, ${JSON.stringify(change)})`);
}

/** Revokes every live browser session of the user; returns how many. */
export async function revokeAllSessions(db: Db | Tx, userId: string, options: At = {}): Promise<number> {
  const revoked = await db
    .update(identitySession)
    .set({ revokedAt: nowOf(options) })
    .where(and(eq(identitySession.userId, userId), isNull(identitySession.revokedAt)))
    .returning({ id: identitySession.id });
  if (revoked.length > 0) await announceCredentialChange(db, { userIds: [userId] });
  return revoked.length;
}

/** Revokes every refresh token family of the user (their access tokens fail verification too). */
export async function revokeAllTokenFamilies(db: Db | Tx, userId: string, reason: string, options: At = {}): Promise<number> {
  const revoked = await db
    .update(identityTokenFamily)
    .set({ revokedAt: nowOf(options), revokedReason: reason })
    .where(and(eq(identityTokenFamily.userId, userId), isNull(identityTokenFamily.revokedAt)))
    .returning({ id: identityTokenFamily.id });
  if (revoked.length > 0) await announceCredentialChange(db, { userIds: [userId] });
  return revoked.length;
}

/** Adds one to the user's token_version, which every access token carries: all of them stop working. */
export async function bumpTokenVersion(db: Db | Tx, userId: string): Promise<number | undefined> {
  const [row] = await db
    .update(appUser)
    .set({ tokenVersion: sql`${appUser.tokenVersion} + 1`, updatedAt: sql`now()` })
    .where(eq(appUser.id, userId))
    .returning({ tokenVersion: appUser.tokenVersion });
  if (row) await announceCredentialChange(db, { userIds: [userId] });
  return row?.tokenVersion;
}

/**
 * "Fired is fired" and "sign out everywhere": in one transaction, the token version moves on and
 * every session and token family of the user is revoked.
 */
export function signOutEverywhere(db: Db | Tx, userId: string, reason: string, options: At = {}): Promise<void> {
  return db.transaction(async (tx) => {
    await bumpTokenVersion(tx, userId);
    await revokeAllSessions(tx, userId, options);
    await revokeAllTokenFamilies(tx, userId, reason, options);
  });
}
