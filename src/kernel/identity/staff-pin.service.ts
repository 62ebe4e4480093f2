import { and, eq } from 'drizzle-orm';
import { withTenantTx } from '../tenancy/index.ts';
import type { TenantScope } from './device.service.ts';
import { DEFAULT_ACCOUNT_LOCKOUT, type LockoutPolicy } from './domain/lockout.ts';
import { checkPin, DEFAULT_PIN_POLICY, type PinPolicy } from './domain/pin-policy.ts';
import { identityErrors } from './errors.ts';
import { isUuid } from './ids.ts';
import { hashSecret, verifyAgainstDummy, verifySecret } from './hash.ts';
import { clearLockout, lockedFor, lockoutKey, recordFailure, serialiseAttempts } from './lockout.service.ts';
import { identityStaffPin } from './staff-pin.table.ts';
import { addSeconds, nowOf, type At } from './time.ts';
import { getUser } from './user.service.ts';

export interface VerifyPinOptions extends At {
  /** Lock per tenant and staff member (default 5 failures, 30 s doubling to 1 h). */
  lockout?: LockoutPolicy;
  policy?: PinPolicy;
}

/** `rotationDue`: the PIN is older than the policy allows; the terminal asks for a new one. */
export type StaffPinOutcome =
  | { ok: true; rotationDue: boolean }
  | { ok: false; reason: 'invalid' | 'locked' | 'disabled'; retryAfterSeconds?: number };

/**
 * Sets a staff member's PIN for the context's tenant (4–8 digits, not trivial) and lifts a PIN
 * lock. The caller checks that the user belongs to the tenant and may set it.
 */
export async function setStaffPin(ctx: TenantScope, userId: string, pin: string, options: At = {}): Promise<{ ok: true } | { ok: false; problems: string[] }> {
  const problems = checkPin(pin);
  if (problems.length > 0) return { ok: false, problems };
  const now = nowOf(options);
  const pinHash = await hashSecret(pin);
  return withTenantTx(ctx, async (uow) => {
    if (!(await getUser(uow.tx, userId))) throw identityErrors.userNotFound();
    await uow.tx
      .insert(identityStaffPin)
      .values({ tenantId: ctx.tenantId, userId, pinHash, changedAt: now })
      .onConflictDoUpdate({ target: [identityStaffPin.tenantId, identityStaffPin.userId], set: { pinHash, changedAt: now } });
    await clearLockout(uow.tx, lockoutKey.pin(ctx.tenantId, userId));
    return { ok: true } as const;
  });
}

/**
 * A staff member's PIN on a terminal of the context's tenant, with its own lock per tenant and
 * person. A user without a PIN costs the same time as a wrong PIN; `disabled` only follows a
 * correct one.
 */
export function verifyStaffPin(ctx: TenantScope, input: { userId: string; pin: string }, options: VerifyPinOptions = {}): Promise<StaffPinOutcome> {
  if (!isUuid(input.userId)) return Promise.resolve({ ok: false, reason: 'invalid' });
  const now = nowOf(options);
  const key = lockoutKey.pin(ctx.tenantId, input.userId);
  return withTenantTx(ctx, async (uow): Promise<StaffPinOutcome> => {
    await serialiseAttempts(uow.tx, key);
    const retryAfterSeconds = await lockedFor(uow.tx, [key], now);
    if (retryAfterSeconds !== undefined) return { ok: false, reason: 'locked', retryAfterSeconds };

    const [stored] = await uow.tx
      .select({ pinHash: identityStaffPin.pinHash, changedAt: identityStaffPin.changedAt })
      .from(identityStaffPin)
      .where(and(eq(identityStaffPin.tenantId, ctx.tenantId), eq(identityStaffPin.userId, input.userId)));
    const valid = stored ? await verifySecret(stored.pinHash, input.pin) : await verifyAgainstDummy(input.pin);
    if (!stored || !valid) {
      const started = await recordFailure(uow.tx, key, options.lockout ?? DEFAULT_ACCOUNT_LOCKOUT, now);
      return started ? { ok: false, reason: 'invalid', retryAfterSeconds: started } : { ok: false, reason: 'invalid' };
    }
    if ((await getUser(uow.tx, input.userId))?.status !== 'active') return { ok: false, reason: 'disabled' };

    await clearLockout(uow.tx, key);
    const rotateAfterDays = (options.policy ?? DEFAULT_PIN_POLICY).rotateAfterDays;
    return { ok: true, rotationDue: addSeconds(stored.changedAt, rotateAfterDays * 86_400) <= now };
  });
}
