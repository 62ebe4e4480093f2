import type { Db, Tx } from '../db/index.ts';
import { DEFAULT_ACCOUNT_LOCKOUT, DEFAULT_IP_LOCKOUT, type LockoutPolicy } from './domain/lockout.ts';
import { needsRehash, verifyAgainstDummy, verifySecret } from './hash.ts';
import { clearLockout, lockedFor, lockoutKey, recordFailure, serialiseAttempts } from './lockout.service.ts';
import { storedPasswordOf, upgradePasswordHash } from './password.service.ts';
import { nowOf, type At } from './time.ts';
import { findUserByEmail, normaliseEmail, type User } from './user.service.ts';

export interface AuthenticateOptions extends At {
  /** Lock per account (default 5 failures, 30 s doubling to 1 h). */
  accountLockout?: LockoutPolicy;
  /** Lock per client IP (default 20 failures, 30 s doubling to 1 h). */
  ipLockout?: LockoutPolicy;
}

/**
 * `invalid` covers both "no such account" and "wrong password", so the answer never tells
 * whether an address is registered; `disabled` only follows a correct password.
 * `retryAfterSeconds` comes with `locked`, and with the `invalid` whose failure started a lock.
 */
export type PasswordAuthOutcome =
  | { ok: true; user: User; /** The password is a temporary one an administrator issued: sign-in must set a new one. */ mustChangePassword: boolean }
  | { ok: false; reason: 'invalid' | 'locked' | 'disabled'; retryAfterSeconds?: number };

/**
 * Email + password sign-in with lockout per account and per IP. An unknown address is checked
 * against a dummy hash and locked like a real account, so neither time nor answers reveal
 * whether it exists. The caller records the security event the outcome calls for.
 */
export function authenticatePassword(
  db: Db | Tx,
  input: { email: string; password: string; ip: string | null },
  options: AuthenticateOptions = {},
): Promise<PasswordAuthOutcome> {
  const now = nowOf(options);
  return db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, input.email);
    const accountKey = user ? lockoutKey.user(user.id) : lockoutKey.email(normaliseEmail(input.email));
    const keys = [
      { key: accountKey, policy: options.accountLockout ?? DEFAULT_ACCOUNT_LOCKOUT },
      ...(input.ip ? [{ key: lockoutKey.ip(input.ip), policy: options.ipLockout ?? DEFAULT_IP_LOCKOUT }] : []),
    ];
    await serialiseAttempts(tx, accountKey);

    const retryAfterSeconds = await lockedFor(tx, keys.map((entry) => entry.key), now);
    if (retryAfterSeconds !== undefined) return { ok: false, reason: 'locked', retryAfterSeconds };

    const password = user ? await storedPasswordOf(tx, user.id) : undefined;
    const stored = password?.hash;
    const valid = stored === undefined ? await verifyAgainstDummy(input.password) : await verifySecret(stored, input.password);
    if (!user || !stored || !valid) {
      const locks = [];
      for (const { key, policy } of keys) locks.push(await recordFailure(tx, key, policy, now));
      const started = Math.max(0, ...locks.map((seconds) => seconds ?? 0));
      return started > 0 ? { ok: false, reason: 'invalid', retryAfterSeconds: started } : { ok: false, reason: 'invalid' };
    }
    if (user.status !== 'active') return { ok: false, reason: 'disabled' };

    await clearLockout(tx, accountKey);
    // Hashes made under older cost parameters are upgraded while the password is at hand.
    if (needsRehash(stored)) await upgradePasswordHash(tx, user.id, input.password);
    return { ok: true, user, mustChangePassword: password?.mustChange ?? false };
  });
}
