import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** pending: half-authenticated (may only draft); trusted: verified or approved; denied: refused by an administrator. */
export type CredentialState = 'pending' | 'trusted' | 'denied';
/** How a credential became trusted or denied. */
export type DecidedVia = 'code' | 'admin' | 'cli' | 'invite' | 'bootstrap';

/** The rules of sign-in verification codes. */
export const CODE_POLICY = {
  digits: 6,
  /** A code is good for this long after it is sent. */
  ttlSeconds: 10 * 60,
  /** A new code at most this often… */
  resendAfterSeconds: 60,
  /** …and at most this many per window. */
  maxSendsPerWindow: 5,
  sendWindowSeconds: 60 * 60,
  /** Wrong codes before the credential is locked (and its code void). */
  maxFailedAttempts: 5,
  lockSeconds: 15 * 60,
} as const;

export const newCode = (): string => String(randomInt(0, 10 ** CODE_POLICY.digits)).padStart(CODE_POLICY.digits, '0');

/** Codes are short, so they are kept as a keyed hash bound to their credential (no table of six-digit hashes to look up). */
export const hashCode = (key: Buffer, credentialId: string, code: string): string => createHmac('sha256', key).update(`${credentialId}:${code}`).digest('hex');

export function codeMatches(key: Buffer, credentialId: string, code: string, storedHash: string): boolean {
  const given = Buffer.from(hashCode(key, credentialId, code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export interface CodeCounters {
  codesSent: number;
  sendWindowStartedAt: Date | null;
  lastCodeSentAt: Date | null;
  lockedUntil: Date | null;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Seconds to wait before another code may be sent, or 0 when one may be sent now. */
export function sendWait(counters: CodeCounters, now: Date): number {
  const at = now.getTime();
  if (counters.lockedUntil && counters.lockedUntil.getTime() > at) return seconds(counters.lockedUntil.getTime() - at);
  if (counters.lastCodeSentAt) {
    const next = counters.lastCodeSentAt.getTime() + CODE_POLICY.resendAfterSeconds * 1000;
    if (next > at) return seconds(next - at);
  }
  const windowEnd = counters.sendWindowStartedAt ? counters.sendWindowStartedAt.getTime() + CODE_POLICY.sendWindowSeconds * 1000 : 0;
  if (windowEnd > at && counters.codesSent >= CODE_POLICY.maxSendsPerWindow) return seconds(windowEnd - at);
  return 0;
}

/** The counters after a send at `now` (a new window when the old one ended). */
export function afterSend(counters: CodeCounters, now: Date): Pick<CodeCounters, 'codesSent' | 'sendWindowStartedAt' | 'lastCodeSentAt'> {
  const windowOpen = counters.sendWindowStartedAt && counters.sendWindowStartedAt.getTime() + CODE_POLICY.sendWindowSeconds * 1000 > now.getTime();
  return windowOpen
    ? { codesSent: counters.codesSent + 1, sendWindowStartedAt: counters.sendWindowStartedAt, lastCodeSentAt: now }
    : { codesSent: 1, sendWindowStartedAt: now, lastCodeSentAt: now };
}

/** After a wrong code: the new count, and the lock's end once it reaches the limit. */
export function afterFailure(failedAttempts: number, now: Date): { failedAttempts: number; lockedUntil: Date | null } {
  const failed = failedAttempts + 1;
  return failed >= CODE_POLICY.maxFailedAttempts ? { failedAttempts: 0, lockedUntil: new Date(now.getTime() + CODE_POLICY.lockSeconds * 1000) } : { failedAttempts: failed, lockedUntil: null };
}
