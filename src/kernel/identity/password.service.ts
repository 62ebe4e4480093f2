import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import { checkPassword, type PasswordPolicy } from './domain/password-policy.ts';
import { identityErrors } from './errors.ts';
import { hashSecret } from './hash.ts';
import { identityPassword } from './password.table.ts';
import { nowOf, type At } from './time.ts';
import { getUser } from './user.service.ts';

export type SetPasswordOutcome = { ok: true } | { ok: false; problems: string[] };

/**
 * Sets (or replaces) a user's password after checking it against `policy` and the user's own
 * email and name. Signing out other sessions after a change is the caller's choice
 * (revokeAllSessions / signOutEverywhere); a reset through resetPassword always does.
 */
export async function setPassword(db: Db | Tx, userId: string, password: string, policy: PasswordPolicy, options: At = {}): Promise<SetPasswordOutcome> {
  const user = await getUser(db, userId);
  if (!user) throw identityErrors.userNotFound();
  const problems = checkPassword(password, policy, user);
  if (problems.length > 0) return { ok: false, problems };
  await storePasswordHash(db, userId, await hashSecret(password), nowOf(options));
  return { ok: true };
}

/** Writes an already checked and hashed password. */
export async function storePasswordHash(db: Db | Tx, userId: string, hash: string, now: Date): Promise<void> {
  await db
    .insert(identityPassword)
    .values({ userId, hash, changedAt: now })
    .onConflictDoUpdate({ target: identityPassword.userId, set: { hash, changedAt: now } });
}

export async function passwordHashOf(db: Db | Tx, userId: string): Promise<string | undefined> {
  const [row] = await db.select({ hash: identityPassword.hash }).from(identityPassword).where(eq(identityPassword.userId, userId)).limit(1);
  return row?.hash;
}

/** Re-hashes a just-verified password under the current cost parameters; its change date stays. */
export async function upgradePasswordHash(db: Db | Tx, userId: string, password: string): Promise<void> {
  await db.update(identityPassword).set({ hash: await hashSecret(password) }).where(eq(identityPassword.userId, userId));
}
