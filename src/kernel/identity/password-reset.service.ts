import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import { checkPassword, type PasswordPolicy } from './domain/password-policy.ts';
import { hashSecret } from './hash.ts';
import { clearLockout, lockoutKey } from './lockout.service.ts';
import { consumeOneTimeToken, lockUsableToken, markTokenUsed } from './one-time-token.service.ts';
import { storePasswordHash } from './password.service.ts';
import { signOutEverywhere } from './sign-out.ts';
import { nowOf, type At } from './time.ts';
import { getUser } from './user.service.ts';
import { appUser } from './user.table.ts';

export type ResetPasswordOutcome =
  | { ok: true; userId: string }
  | { ok: false; reason: 'invalid_token' }
  | { ok: false; reason: 'weak_password'; problems: string[] };

/**
 * Sets a new password through an emailed reset link. A password the policy refuses leaves the
 * link usable for another try; a successful reset spends it, signs the user out everywhere
 * (whoever knew the old password is out) and lifts the account's lock.
 */
export function resetPassword(db: Db | Tx, token: string, newPassword: string, policy: PasswordPolicy, options: At = {}): Promise<ResetPasswordOutcome> {
  const now = nowOf(options);
  return db.transaction(async (tx): Promise<ResetPasswordOutcome> => {
    const found = await lockUsableToken(tx, token, 'password_reset', now);
    const user = found && (await getUser(tx, found.userId));
    if (!found || !user) return { ok: false, reason: 'invalid_token' };
    const problems = checkPassword(newPassword, policy, user);
    if (problems.length > 0) return { ok: false, reason: 'weak_password', problems };

    await markTokenUsed(tx, found.id, now);
    await storePasswordHash(tx, user.id, await hashSecret(newPassword), now);
    await signOutEverywhere(tx, user.id, 'password_reset', { now });
    await clearLockout(tx, lockoutKey.user(user.id));
    return { ok: true, userId: user.id };
  });
}

/** Marks the user's address as proven (a verification link, or an invitation made out to that address). */
export async function markEmailVerified(db: Db | Tx, userId: string, options: At = {}): Promise<void> {
  const now = nowOf(options);
  await db.update(appUser).set({ emailVerifiedAt: now, updatedAt: now }).where(eq(appUser.id, userId));
}

/** Confirms the address an email-verification link was sent to. Null when the link is not usable. */
export function verifyEmail(db: Db | Tx, token: string, options: At = {}): Promise<{ userId: string } | null> {
  const now = nowOf(options);
  return db.transaction(async (tx) => {
    const consumed = await consumeOneTimeToken(tx, token, 'email_verification', { now });
    if (consumed) await markEmailVerified(tx, consumed.userId, { now });
    return consumed;
  });
}
