/** Identity's public surface: users, passwords, lockout, sessions, tokens, TOTP, one-time links, devices and PINs. */
export { deriveIdentityKeys, randomToken, sha256 as hashToken, type IdentityKeys } from './crypto.ts';
export type { At } from './time.ts';
export type { TenantAccessState } from './tenant-state.ts';

export { USER_STATUSES, type UserStatus } from './user.table.ts';
export { createUser, getUser, findUserByEmail, setUserStatus, normaliseEmail, type User } from './user.service.ts';
export { announceCredentialChange, bumpTokenVersion, CREDENTIALS_CHANGED_CHANNEL, revokeAllSessions, revokeAllTokenFamilies, signOutEverywhere } from './sign-out.ts';

export { checkPassword, DEFAULT_PASSWORD_POLICY, passwordPolicyOf, type PasswordPolicy } from './domain/password-policy.ts';
export { hashSecret as hashPassword, verifySecret as verifyPassword, needsRehash } from './hash.ts';
export { setPassword, issueTemporaryPassword, type SetPasswordOutcome } from './password.service.ts';

export { DEFAULT_ACCOUNT_LOCKOUT, DEFAULT_IP_LOCKOUT, lockSeconds, type LockoutPolicy } from './domain/lockout.ts';
export { lockoutKey, lockedFor, recordFailure, clearLockout } from './lockout.service.ts';
export { authenticatePassword, type AuthenticateOptions, type PasswordAuthOutcome } from './authenticate.service.ts';

export {
  createSession,
  validateSession,
  rotateSession,
  revokeSession,
  listSessions,
  setActiveTenant,
  markStepUp,
  DEFAULT_SESSION_POLICY,
  type Session,
  type SessionPolicy,
  type SessionOptions,
  type IssuedSession,
} from './session.service.ts';

export {
  issueTokenPair,
  verifyAccessToken,
  refreshTokens,
  revokeFamily,
  DEFAULT_TOKEN_POLICY,
  type TokenPolicy,
  type TokenOptions,
  type TokenPair,
  type AccessClaims,
  type AccessTokenOutcome,
  type RefreshOutcome,
  type RefreshAdmission,
} from './token.service.ts';

export {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  verifyTotp,
  useRecoveryCode,
  isTotpEnabled,
  disableTotp,
  type TotpEnrolment,
  type TotpOptions,
  type SecondFactorOutcome,
} from './totp.service.ts';

export { ONE_TIME_PURPOSES, type OneTimePurpose } from './one-time-token.table.ts';
export { issueOneTimeToken, consumeOneTimeToken, findUsableOneTimeToken, DEFAULT_ONE_TIME_TTL_SECONDS } from './one-time-token.service.ts';
export { resetPassword, verifyEmail, markEmailVerified, type ResetPasswordOutcome } from './password-reset.service.ts';

export { registerDevice, authenticateDevice, revokeDevice, listDevices, type Device, type TenantScope } from './device.service.ts';
export { checkPin, DEFAULT_PIN_POLICY, type PinPolicy } from './domain/pin-policy.ts';
export { setStaffPin, verifyStaffPin, type StaffPinOutcome, type VerifyPinOptions } from './staff-pin.service.ts';
export { actorNames, nameActors, type ActorNamer } from './actor-names.ts';
