import type { Db, Tx } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { lockedFor, recordFailure, type LockoutPolicy } from '../identity/index.ts';

/**
 * Mail sent on request is limited per recipient, not only per client IP (the guard's `auth`
 * rate class): spreading requests over many addresses must not flood one mailbox. Counted with
 * identity's lockout counters: the 3rd mail within the hour locks the key for 10 minutes,
 * doubling from there. Unknown addresses count exactly like known ones, so the limit reveals nothing.
 */
export const MAIL_LIMIT: LockoutPolicy = { threshold: 3, baseSeconds: 600, maxSeconds: 3600, forgetAfterSeconds: 3600 };

export const mailLimitKey = {
  passwordReset: (normalisedEmail: string) => `mail:password_reset:${normalisedEmail}`,
  verification: (userId: string) => `mail:email_verification:${userId}`,
};

export const mailLimited = (seconds: number) =>
  new AppError('RATE_LIMIT', `Too many emails asked for; try again in ${seconds} s.`, { reason: 'MAIL_RATE_LIMITED', retryAfterSeconds: seconds });

/** Counts one mail for `key`, or throws RATE_LIMIT while the key is locked (nothing counted then). */
export async function countMail(db: Db | Tx, key: string, now = new Date()): Promise<void> {
  const seconds = await lockedFor(db, [key], now);
  if (seconds !== undefined) throw mailLimited(seconds);
  await recordFailure(db, key, MAIL_LIMIT, now);
}
