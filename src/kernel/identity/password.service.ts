import { randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import { checkPassword, type PasswordPolicy } from './domain/password-policy.ts';
import { identityErrors } from './errors.ts';
import { hashSecret } from './hash.ts';
import { identityPassword } from './password.table.ts';
import { nowOf, type At } from './time.ts';
import { signOutEverywhere } from './sign-out.ts';
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

/** Writes an already checked and hashed password; `mustChange` marks a temporary one. */
export async function storePasswordHash(db: Db | Tx, userId: string, hash: string, now: Date, mustChange = false): Promise<void> {
  await db
    .insert(identityPassword)
    .values({ userId, hash, changedAt: now, mustChange })
    .onConflictDoUpdate({ target: identityPassword.userId, set: { hash, changedAt: now, mustChange } });
}

export async function storedPasswordOf(db: Db | Tx, userId: string): Promise<{ hash: string; mustChange: boolean } | undefined> {
  const [row] = await db.select({ hash: identityPassword.hash, mustChange: identityPassword.mustChange }).from(identityPassword).where(eq(identityPassword.userId, userId)).limit(1);
  return row;
}

/** Unambiguous letters and digits for passwords read out or copied from a screen. */
const TEMPORARY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * An administrator's reset without email: a random one-time password (read to the person, or
 * handed over), which signs in only to choose a new one. Every session and API token of the user
 * ends. The caller checks the administrator may act on this user and audits it.
 */
export async function issueTemporaryPassword(tx: Tx, userId: string, options: At = {}): Promise<string> {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => TEMPORARY_ALPHABET[randomInt(TEMPORARY_ALPHABET.length)]).join(''));
  const password = groups.join('-');
  await storePasswordHash(tx, userId, await hashSecret(password), nowOf(options), true);
  await signOutEverywhere(tx, userId, 'temporary_password');
  return password;
}

/** Re-hashes a just-verified password under the current cost parameters; its change date stays. */
export async function upgradePasswordHash(db: Db | Tx, userId: string, password: string): Promise<void> {
  await db.update(identityPassword).set({ hash: await hashSecret(password) }).where(eq(identityPassword.userId, userId));
}
