import { eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import { lockSeconds, type LockoutPolicy } from './domain/lockout.ts';
import { identityLockout } from './lockout.table.ts';
import { addSeconds, secondsUntil } from './time.ts';

/** Lockout keys: one namespace per kind of secret, so an IP's failures never lock an account. */
export const lockoutKey = {
  user: (userId: string) => `user:${userId}`,
  /** An address no account has: locked exactly like a real one, so locks do not reveal which exist. */
  email: (normalisedEmail: string) => `email:${normalisedEmail}`,
  ip: (ip: string) => `ip:${ip}`,
  pin: (tenantId: string, userId: string) => `pin:${tenantId}:${userId}`,
  totp: (userId: string) => `totp:${userId}`,
};

/**
 * Makes attempts on one key take turns until the transaction ends, so parallel guesses cannot
 * all pass the lock check before the first failure is counted.
 */
export async function serialiseAttempts(tx: Tx, key: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`plinth:lockout:${key}`}, 0))`);
}

/** Seconds until the longest lock among `keys` ends, or undefined when none is locked at `now`. */
export async function lockedFor(db: Db | Tx, keys: string[], now: Date): Promise<number | undefined> {
  if (keys.length === 0) return undefined;
  const rows = await db.select({ lockedUntil: identityLockout.lockedUntil }).from(identityLockout).where(inArray(identityLockout.key, keys));
  const latest = Math.max(0, ...rows.map((row) => row.lockedUntil?.getTime() ?? 0));
  return latest > now.getTime() ? secondsUntil(new Date(latest), now) : undefined;
}

/** Counts one failure on `key`; returns the lock it started, in seconds, if any. */
export async function recordFailure(db: Db | Tx, key: string, policy: LockoutPolicy, now: Date): Promise<number | undefined> {
  const forgetBefore = addSeconds(now, -policy.forgetAfterSeconds);
  const [row] = await db
    .insert(identityLockout)
    .values({ key, failures: 1, lastFailureAt: now })
    .onConflictDoUpdate({
      target: identityLockout.key,
      set: {
        // An old run of failures is forgiven, unless a lock from it is still running.
        failures: sql`CASE WHEN ${identityLockout.lastFailureAt} < ${forgetBefore}
                            AND coalesce(${identityLockout.lockedUntil} <= ${now}, true)
                           THEN 1 ELSE ${identityLockout.failures} + 1 END`,
        lastFailureAt: now,
      },
    })
    .returning({ failures: identityLockout.failures });
  const seconds = lockSeconds(row?.failures ?? 1, policy);
  if (seconds === 0) return undefined;
  await db.update(identityLockout).set({ lockedUntil: addSeconds(now, seconds) }).where(eq(identityLockout.key, key));
  return seconds;
}

export async function clearLockout(db: Db | Tx, key: string): Promise<void> {
  await db.delete(identityLockout).where(eq(identityLockout.key, key));
}
