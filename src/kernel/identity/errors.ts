import { AppError } from '../errors.ts';

/** Identity's error catalogue: each reason maps onto an envelope code. */
export const identityErrors = {
  invalidEmail: () =>
    new AppError('VALIDATION', 'Enter a valid email address.', { reason: 'IDENTITY_EMAIL_INVALID', field: 'email' }),
  emailTaken: () =>
    new AppError('CONFLICT', 'An account with this email address already exists.', { reason: 'IDENTITY_EMAIL_TAKEN', field: 'email' }),
  userNotFound: () => new AppError('NOT_FOUND', 'User was not found.', { reason: 'IDENTITY_USER_NOT_FOUND' }),
  userNotActive: () => new AppError('AUTHN', 'This account is disabled.', { reason: 'IDENTITY_USER_DISABLED' }),
  invalidDeviceName: () =>
    new AppError('VALIDATION', 'Give the device a name of 1 to 100 characters.', { reason: 'IDENTITY_DEVICE_NAME_INVALID', field: 'name' }),
  sessionLimit: (limit: number) =>
    new AppError('CONFLICT', `You are already signed in on ${limit} ${limit === 1 ? 'device' : 'devices'}, the most allowed; sign out there first.`, {
      reason: 'IDENTITY_SESSION_LIMIT',
      limit,
    }),
  totpAlreadyEnabled: () =>
    new AppError('CONFLICT', 'Two-step verification is already on; turn it off before setting it up again.', {
      reason: 'IDENTITY_TOTP_ENABLED',
    }),
};
