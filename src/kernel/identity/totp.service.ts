import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { generateSecret, generateURI, verify } from 'otplib';
import type { Db, Tx } from '../db/index.ts';
import { randomCode, seal, sha256, unseal, type IdentityKeys } from './crypto.ts';
import { DEFAULT_ACCOUNT_LOCKOUT, type LockoutPolicy } from './domain/lockout.ts';
import { identityErrors } from './errors.ts';
import { clearLockout, lockedFor, lockoutKey, recordFailure, serialiseAttempts } from './lockout.service.ts';
import { nowOf, type At } from './time.ts';
import { identityRecoveryCode, identityTotp } from './totp.table.ts';
import { getUser } from './user.service.ts';

/** RFC 6238 defaults every authenticator app shares: 6 digits, 30-second steps, SHA-1. */
const PERIOD = 30;
/** One step either side of now, for clocks that drift and people who type slowly. */
const TOLERANCE_SECONDS = PERIOD;
const RECOVERY_CODES = 10;
/** 16 characters of a 31-letter alphabet: ~79 random bits per recovery code. */
const RECOVERY_CODE_LENGTH = 16;

export interface TotpOptions extends At {
  /** Lock on wrong codes, per user (default: as an account, 5 failures then 30 s doubling). */
  lockout?: LockoutPolicy;
}

/**
 * `not_enabled`: there is nothing to check against (no TOTP on; for confirmTotpEnrolment, no
 * set-up in progress). `retryAfterSeconds` comes with `locked`, and with the `invalid` that
 * started a lock.
 */
export type SecondFactorOutcome = { ok: true } | { ok: false; reason: 'invalid' | 'locked' | 'not_enabled'; retryAfterSeconds?: number };

export interface TotpEnrolment {
  /** Base32 secret, for typing into an app by hand. */
  secret: string;
  /** otpauth:// URL, for a QR code. */
  otpauthUrl: string;
}

/** The AES-GCM additional data binding a stored secret to its user's row. */
const sealContext = (userId: string) => `totp:${userId}`;

const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');
const formatRecoveryCode = (code: string) => code.match(/.{1,4}/g)?.join('-') ?? code;

/**
 * Starts (or restarts) TOTP set-up: a new secret, stored encrypted and not yet enabled, until
 * confirmTotpEnrolment sees a first correct code. Refused while TOTP is on.
 */
export function beginTotpEnrolment(
  db: Db | Tx,
  keys: Pick<IdentityKeys, 'totp'>,
  input: { userId: string; issuer: string },
  options: At = {},
): Promise<TotpEnrolment> {
  const now = nowOf(options);
  return db.transaction(async (tx) => {
    const user = await getUser(tx, input.userId);
    if (!user) throw identityErrors.userNotFound();
    const [existing] = await tx.select({ enabledAt: identityTotp.enabledAt }).from(identityTotp).where(eq(identityTotp.userId, user.id)).for('update');
    if (existing?.enabledAt) throw identityErrors.totpAlreadyEnabled();
    const secret = generateSecret();
    const secretEncrypted = seal(keys.totp, secret, sealContext(user.id));
    await tx
      .insert(identityTotp)
      .values({ userId: user.id, secretEncrypted, createdAt: now })
      .onConflictDoUpdate({ target: identityTotp.userId, set: { secretEncrypted, createdAt: now, lastUsedStep: null } });
    return { secret, otpauthUrl: generateURI({ issuer: input.issuer, label: user.email, secret }) };
  });
}

/**
 * Runs one second-factor attempt for a user: attempts take turns, a locked user is refused
 * before any check, a wrong answer counts towards the lock and a right one clears it.
 */
function secondFactorAttempt(
  db: Db | Tx,
  userId: string,
  options: TotpOptions,
  check: (tx: Tx, now: Date) => Promise<'ok' | 'invalid' | 'not_enabled'>,
): Promise<SecondFactorOutcome> {
  const now = nowOf(options);
  const key = lockoutKey.totp(userId);
  return db.transaction(async (tx): Promise<SecondFactorOutcome> => {
    await serialiseAttempts(tx, key);
    const retryAfterSeconds = await lockedFor(tx, [key], now);
    if (retryAfterSeconds !== undefined) return { ok: false, reason: 'locked', retryAfterSeconds };
    const result = await check(tx, now);
    if (result === 'ok') {
      await clearLockout(tx, key);
      return { ok: true };
    }
    if (result === 'not_enabled') return { ok: false, reason: 'not_enabled' };
    const started = await recordFailure(tx, key, options.lockout ?? DEFAULT_ACCOUNT_LOCKOUT, now);
    return started ? { ok: false, reason: 'invalid', retryAfterSeconds: started } : { ok: false, reason: 'invalid' };
  });
}

/**
 * Checks a 6-digit code within ±1 step and refuses any step at or before the last one accepted
 * (so an overheard code cannot be replayed); on success records the step, on the locked row.
 */
async function acceptCode(tx: Tx, keys: Pick<IdentityKeys, 'totp'>, userId: string, code: string, now: Date, enabled: boolean): Promise<'ok' | 'invalid' | 'not_enabled'> {
  const [row] = await tx.select().from(identityTotp).where(eq(identityTotp.userId, userId)).for('update');
  if (!row || Boolean(row.enabledAt) !== enabled) return 'not_enabled';
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return 'invalid';
  const epoch = Math.floor(now.getTime() / 1000);
  // otplib refuses an afterTimeStep beyond its window; one that high means every step in it is spent.
  const newestStep = Math.floor((epoch + TOLERANCE_SECONDS) / PERIOD);
  const result = await verify({
    secret: unseal(keys.totp, row.secretEncrypted, sealContext(userId)),
    token,
    period: PERIOD,
    epoch,
    epochTolerance: TOLERANCE_SECONDS,
    ...(row.lastUsedStep === null ? {} : { afterTimeStep: Math.min(row.lastUsedStep, newestStep) }),
  });
  // The functional verify also types HOTP's result, which has no time step.
  if (!result.valid || !('timeStep' in result)) return 'invalid';
  await tx
    .update(identityTotp)
    .set({ lastUsedStep: result.timeStep, ...(enabled ? {} : { enabledAt: now }) })
    .where(eq(identityTotp.userId, userId));
  return 'ok';
}

/**
 * Finishes set-up with a first correct code: TOTP is on, and the user gets 10 single-use
 * recovery codes, shown this once (only their hashes are kept; earlier ones stop working).
 */
export async function confirmTotpEnrolment(
  db: Db | Tx,
  keys: Pick<IdentityKeys, 'totp'>,
  userId: string,
  code: string,
  options: TotpOptions = {},
): Promise<{ ok: true; recoveryCodes: string[] } | Exclude<SecondFactorOutcome, { ok: true }>> {
  let recoveryCodes: string[] = [];
  const outcome = await secondFactorAttempt(db, userId, options, async (tx, now) => {
    const result = await acceptCode(tx, keys, userId, code, now, false);
    if (result !== 'ok') return result;
    recoveryCodes = Array.from({ length: RECOVERY_CODES }, () => randomCode(RECOVERY_CODE_LENGTH));
    await tx.delete(identityRecoveryCode).where(eq(identityRecoveryCode.userId, userId));
    await tx.insert(identityRecoveryCode).values(recoveryCodes.map((value) => ({ userId, codeHash: sha256(value) })));
    return 'ok';
  });
  return outcome.ok ? { ok: true, recoveryCodes: recoveryCodes.map(formatRecoveryCode) } : outcome;
}

/** A second-factor check with the authenticator app (sign-in or step-up); see markStepUp. */
export function verifyTotp(db: Db | Tx, keys: Pick<IdentityKeys, 'totp'>, userId: string, code: string, options: TotpOptions = {}): Promise<SecondFactorOutcome> {
  return secondFactorAttempt(db, userId, options, (tx, now) => acceptCode(tx, keys, userId, code, now, true));
}

/** Spends one recovery code in place of a TOTP code; each works once. */
export function useRecoveryCode(db: Db | Tx, userId: string, code: string, options: TotpOptions = {}): Promise<SecondFactorOutcome> {
  return secondFactorAttempt(db, userId, options, async (tx, now) => {
    if (!(await isTotpEnabled(tx, userId))) return 'not_enabled';
    const spent = await tx
      .update(identityRecoveryCode)
      .set({ usedAt: now })
      .where(
        and(
          eq(identityRecoveryCode.userId, userId),
          eq(identityRecoveryCode.codeHash, sha256(normaliseRecoveryCode(code))),
          isNull(identityRecoveryCode.usedAt),
        ),
      )
      .returning({ userId: identityRecoveryCode.userId });
    return spent.length > 0 ? 'ok' : 'invalid';
  });
}

export async function isTotpEnabled(db: Db | Tx, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: identityTotp.userId })
    .from(identityTotp)
    .where(and(eq(identityTotp.userId, userId), isNotNull(identityTotp.enabledAt)));
  return row !== undefined;
}

/** Turns TOTP off and forgets its secret and recovery codes. The caller asks for a step-up first. */
export function disableTotp(db: Db | Tx, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.delete(identityRecoveryCode).where(eq(identityRecoveryCode.userId, userId));
    const removed = await tx.delete(identityTotp).where(eq(identityTotp.userId, userId)).returning({ userId: identityTotp.userId });
    return removed.length > 0;
  });
}
