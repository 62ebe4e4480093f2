import type { FastifyBaseLogger } from 'fastify';
import { memberNeedsTwoStep, userMemberships } from '../access/index.ts';
import { recordSecurityEvent } from '../audit/index.ts';
import type { Db } from '../db/index.ts';
import { AppError } from '../errors.ts';
import {
  authenticatePassword,
  beginTotpEnrolment,
  checkPassword,
  confirmTotpEnrolment,
  DEFAULT_PASSWORD_POLICY,
  findUserByEmail,
  isTotpEnabled,
  setPassword,
  useRecoveryCode,
  verifyTotp,
  type IdentityKeys,
  type PasswordPolicy,
  type TotpEnrolment,
  type User,
} from '../identity/index.ts';
import { PLATFORM_TENANT_ID } from '../tenancy/index.ts';

export interface SignInInput {
  email: string;
  password: string;
  totpCode?: string | undefined;
  /** Slug of the business to work in; default: the first one the user belongs to. */
  tenant?: string | undefined;
  /** The new password, when the current one is a temporary one an administrator issued. */
  newPassword?: string | undefined;
  /** A first code from the authenticator app, when a role demands two-step sign-in and none is set up. */
  totpEnrolmentCode?: string | undefined;
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
  /**
   * What must happen before this sign-in completes, all asked at once: a new password (the current
   * one is temporary) and/or two-step enrolment (a role demands it), with the key to add to the app.
   */
  stepsRequired: (steps: SignInSteps, retry = false) =>
    new AppError(
      'AUTHN',
      retry
        ? 'That authenticator code is not valid. Add the new key below to your app and enter its code.'
        : [steps.newPassword ? 'Your password is temporary: choose a new one.' : '', steps.enrolment ? 'Your role requires two-step sign-in: add the key to your authenticator app and enter its code.' : '']
            .filter(Boolean)
            .join(' '),
      { reason: 'SIGN_IN_STEPS_REQUIRED', field: steps.newPassword ? 'newPassword' : 'totpEnrolmentCode', newPassword: steps.newPassword, ...(steps.enrolment ? { enrolment: steps.enrolment } : {}) },
    ),
  newPassword: (problems: string[]) => new AppError('VALIDATION', problems.join(' '), { field: 'newPassword', issues: problems.map((message) => ({ in: 'body', path: 'newPassword', message })) }),
};

export interface SignInSteps {
  newPassword: boolean;
  enrolment?: TotpEnrolment;
}

/** The issuer authenticator apps list the key under. */
export const TOTP_ISSUER = 'Plinth';

/**
 * Password (and, when enrolled, TOTP) sign-in, shared by the API token endpoint and the sign-in
 * page. Failures and lockouts are recorded as security events; the answer never says whether
 * the email is registered.
 */
export async function signIn(
  db: Db,
  keys: IdentityKeys,
  input: SignInInput,
  log: FastifyBaseLogger,
  passwordPolicy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): Promise<{ user: User; tenantId: string | null; recoveryCodes?: string[] }> {
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
  const totpEnabled = await isTotpEnabled(db, user.id);
  if (totpEnabled) {
    if (!input.totpCode) throw signInErrors.totpRequired();
    // Six digits come from the app; anything else is tried as a one-time recovery code.
    const code = input.totpCode.trim();
    const second = /^\d{6}$/.test(code) ? await verifyTotp(db, keys, user.id, code) : await useRecoveryCode(db, user.id, code);
    if (!second.ok) {
      await security('login_failed', { userId: user.id, reason: 'totp' });
      throw signInErrors.totpInvalid();
    }
  }
  const tenantId = await chosenTenant(db, user.id, input.tenant);
  const needsEnrolment = !totpEnabled && tenantId !== null && (await memberNeedsTwoStep(db, tenantId, user.id));
  const recoveryCodes = await completeRequiredSteps(db, keys, { user, mustChangePassword: outcome.mustChangePassword, needsEnrolment, passwordPolicy, currentPassword: input.password }, input);
  return { user, tenantId, ...(recoveryCodes ? { recoveryCodes } : {}) };
}

/**
 * Who a sign-in refused for enrolment is, and the business it opens: for the sign-in page, which
 * holds the sign-in while the person enrols. Only after signIn proved the password.
 */
export async function enrollingUser(db: Db, email: string): Promise<{ userId: string; tenantId: string | null }> {
  const user = await findUserByEmail(db, email);
  if (!user) throw signInErrors.invalid();
  return { userId: user.id, tenantId: await chosenTenant(db, user.id, undefined) };
}

async function chosenTenant(db: Db, userId: string, slug: string | undefined): Promise<string | null> {
  const memberships = await userMemberships(db, userId);
  if (slug) {
    const chosen = memberships.find((membership) => membership.slug === slug);
    if (!chosen) throw signInErrors.notMember();
    return chosen.tenantId;
  }
  // A customer business first; the platform tenant only for platform staff with nothing else.
  const preferred = memberships.find((membership) => membership.tenantId !== PLATFORM_TENANT_ID) ?? memberships[0];
  return preferred?.tenantId ?? null;
}

/**
 * The authentication policies' steps, after the password (and any second factor) proved who this
 * is: every missing input is asked for at once, the new password is checked before anything is
 * stored, and it is stored only once the enrolment code (if one is due) is right. Answers the
 * recovery codes of a new enrolment, shown this once.
 */
async function completeRequiredSteps(
  db: Db,
  keys: IdentityKeys,
  state: { user: User; mustChangePassword: boolean; needsEnrolment: boolean; passwordPolicy: PasswordPolicy; currentPassword: string },
  input: Pick<SignInInput, 'newPassword' | 'totpEnrolmentCode'>,
): Promise<string[] | undefined> {
  const { user, mustChangePassword, needsEnrolment } = state;
  if (!mustChangePassword && !needsEnrolment) return undefined;
  const enrolment = () => beginTotpEnrolment(db, keys, { userId: user.id, issuer: TOTP_ISSUER });
  if ((mustChangePassword && !input.newPassword) || (needsEnrolment && !input.totpEnrolmentCode))
    throw signInErrors.stepsRequired({ newPassword: mustChangePassword, ...(needsEnrolment ? { enrolment: await enrolment() } : {}) });
  if (mustChangePassword && input.newPassword !== undefined) {
    const problems = checkPassword(input.newPassword, state.passwordPolicy, user);
    if (input.newPassword === state.currentPassword) problems.push('Choose a password other than the temporary one.');
    if (problems.length > 0) throw signInErrors.newPassword(problems);
  }
  let recoveryCodes: string[] | undefined;
  if (needsEnrolment && input.totpEnrolmentCode) {
    const confirmed = await confirmTotpEnrolment(db, keys, user.id, input.totpEnrolmentCode.trim());
    if (!confirmed.ok) throw signInErrors.stepsRequired({ newPassword: mustChangePassword, enrolment: await enrolment() }, true);
    recoveryCodes = confirmed.recoveryCodes;
  }
  if (mustChangePassword && input.newPassword !== undefined) {
    const set = await setPassword(db, user.id, input.newPassword, state.passwordPolicy);
    if (!set.ok) throw signInErrors.newPassword(set.problems);
  }
  return recoveryCodes;
}
