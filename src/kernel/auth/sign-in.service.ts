import type { FastifyBaseLogger } from 'fastify';
import { userMemberships } from '../access/index.ts';
import { recordSecurityEvent } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { authenticatePassword, isTotpEnabled, useRecoveryCode, verifyTotp, type IdentityKeys, type User } from '../identity/index.ts';
import { PLATFORM_TENANT_ID } from '../tenancy/index.ts';

export interface SignInInput {
  email: string;
  password: string;
  totpCode?: string | undefined;
  /** Slug of the business to work in; default: the first one the user belongs to. */
  tenant?: string | undefined;
  ip: string;
  requestId: string;
}

export const signInErrors = {
  invalid: () => new AppError('AUTHN', 'Wrong email or password.', { reason: 'INVALID_CREDENTIALS' }),
  locked: (seconds: number) =>
    new AppError('RATE_LIMIT', `Too many failed attempts; try again in ${seconds} s.`, { reason: 'LOCKED', retryAfterSeconds: seconds }),
  disabled: () => new AppError('AUTHN', 'This account is disabled.', { reason: 'ACCOUNT_DISABLED' }),
  totpRequired: () => new AppError('AUTHN', 'Enter the code from your authenticator app, or one of your recovery codes.', { reason: 'TOTP_REQUIRED', field: 'totpCode' }),
  totpInvalid: () => new AppError('AUTHN', 'That authenticator code is not valid.', { reason: 'TOTP_INVALID', field: 'totpCode' }),
  notMember: () => new AppError('AUTHZ', 'You are not a member of that business.', { reason: 'NOT_A_MEMBER' }),
};

/**
 * Password (and, when enrolled, TOTP) sign-in, shared by the API token endpoint and the sign-in
 * page. Failures and lockouts are recorded as security events; the answer never says whether
 * the email is registered.
 */
export async function signIn(db: Db, keys: IdentityKeys, input: SignInInput, log: FastifyBaseLogger): Promise<{ user: User; tenantId: string | null }> {
  const security = (kind: 'login_failed' | 'lockout', details: Record<string, unknown>) =>
    recordSecurityEvent(db, { kind, actor: 'anonymous', ip: input.ip, requestId: input.requestId, details }, log);
  const outcome = await authenticatePassword(db, { email: input.email, password: input.password, ip: input.ip });
  if (!outcome.ok) {
    if (outcome.reason === 'locked') {
      await security('lockout', { email: input.email.slice(0, 254) });
      throw signInErrors.locked(outcome.retryAfterSeconds ?? 60);
    }
    await security('login_failed', { email: input.email.slice(0, 254), reason: outcome.reason });
    throw outcome.reason === 'disabled' ? signInErrors.disabled() : signInErrors.invalid();
  }
  const { user } = outcome;
  if (await isTotpEnabled(db, user.id)) {
    if (!input.totpCode) throw signInErrors.totpRequired();
    // Six digits come from the app; anything else is tried as a one-time recovery code.
    const code = input.totpCode.trim();
    const second = /^\d{6}$/.test(code) ? await verifyTotp(db, keys, user.id, code) : await useRecoveryCode(db, user.id, code);
    if (!second.ok) {
      await security('login_failed', { userId: user.id, reason: 'totp' });
      throw signInErrors.totpInvalid();
    }
  }
  const memberships = await userMemberships(db, user.id);
  if (input.tenant) {
    const chosen = memberships.find((membership) => membership.slug === input.tenant);
    if (!chosen) throw signInErrors.notMember();
    return { user, tenantId: chosen.tenantId };
  }
  // A customer business first; the platform tenant only for platform staff with nothing else.
  const preferred = memberships.find((membership) => membership.tenantId !== PLATFORM_TENANT_ID) ?? memberships[0];
  return { user, tenantId: preferred?.tenantId ?? null };
}
