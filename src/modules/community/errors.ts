import { AppError } from '../../kernel/errors.ts';

/** Community's error catalogue. */
export const communityErrors = {
  /** Unknown, and also what another community's invite looks like. */
  inviteNotFound: () => new AppError('NOT_FOUND', 'This invitation does not exist.', { reason: 'COMMUNITY_INVITE_NOT_FOUND' }),
  inviteUnusable: (why: 'revoked' | 'expired' | 'exhausted') =>
    new AppError('CONFLICT', why === 'exhausted' ? 'This invitation has been used up.' : why === 'expired' ? 'This invitation has expired.' : 'This invitation was withdrawn.', {
      reason: 'COMMUNITY_INVITE_UNUSABLE',
      why,
    }),
  usernameTaken: () => new AppError('CONFLICT', 'That username is taken; choose another.', { reason: 'COMMUNITY_USERNAME_TAKEN', field: 'username' }),
  emailTaken: () =>
    new AppError('CONFLICT', 'An account with this email exists; sign in with it instead, or use another address.', { reason: 'COMMUNITY_EMAIL_TAKEN', field: 'email' }),
  weakPassword: (problems: readonly string[]) => new AppError('VALIDATION', problems.join(' '), { reason: 'COMMUNITY_WEAK_PASSWORD', field: 'password' }),
  credentialNotFound: () => new AppError('NOT_FOUND', 'That sign-in was not found.', { reason: 'COMMUNITY_CREDENTIAL_NOT_FOUND' }),
  alreadyDecided: () => new AppError('CONFLICT', 'That sign-in was already approved or denied.', { reason: 'COMMUNITY_CREDENTIAL_DECIDED' }),
  unverified: () =>
    new AppError('AUTHZ', 'Verify this sign-in first: enter the code we email you at /verify, or wait for an administrator to approve it. Until then you can only draft.', {
      reason: 'COMMUNITY_SIGN_IN_UNVERIFIED',
    }),
  needsApproval: () =>
    new AppError('CONFLICT', 'An administrator approves new members of this community before their first sign-in counts; please wait for them.', {
      reason: 'COMMUNITY_MEMBER_AWAITS_APPROVAL',
    }),
  codeWait: (seconds: number) =>
    new AppError('RATE_LIMIT', `Please wait ${seconds} s before asking for another code.`, { reason: 'COMMUNITY_CODE_RATE_LIMIT', retryAfterSeconds: seconds }),
  locked: (seconds: number) =>
    new AppError('RATE_LIMIT', `Too many wrong codes; try again in ${Math.ceil(seconds / 60)} min.`, { reason: 'COMMUNITY_CODE_LOCKED', retryAfterSeconds: seconds }),
  codeInvalid: () => new AppError('VALIDATION', 'That code is not valid; check the latest email, or ask for a new code.', { reason: 'COMMUNITY_CODE_INVALID', field: 'code' }),
  codeExpired: () => new AppError('VALIDATION', 'That code has expired; ask for a new one.', { reason: 'COMMUNITY_CODE_EXPIRED', field: 'code' }),
  personRequired: () => new AppError('AUTHZ', 'Only a signed-in person can do this.', { reason: 'COMMUNITY_PERSON_REQUIRED' }),
};
