/**
 * How failed attempts on one key turn into a lock: the `threshold`-th failure locks for
 * `baseSeconds`, each further failure doubles it, up to `maxSeconds`. Failures older than
 * `forgetAfterSeconds` (and not within a lock) no longer count.
 */
export interface LockoutPolicy {
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
  forgetAfterSeconds: number;
}

/** Per account (and per PIN, per TOTP): 5 failures, then 30 s, 60 s, … up to an hour. */
export const DEFAULT_ACCOUNT_LOCKOUT: LockoutPolicy = { threshold: 5, baseSeconds: 30, maxSeconds: 3600, forgetAfterSeconds: 86_400 };

/** Per client IP: higher, because an office or a mobile carrier puts many people behind one address. */
export const DEFAULT_IP_LOCKOUT: LockoutPolicy = { threshold: 20, baseSeconds: 30, maxSeconds: 3600, forgetAfterSeconds: 86_400 };

export function lockSeconds(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.threshold) return 0;
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** (failures - policy.threshold));
}
