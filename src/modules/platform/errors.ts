import { AppError } from '../../kernel/errors.ts';

/** Platform's error catalogue: each reason maps onto an envelope code. */
export const platformErrors = {
  slugTaken: (slug: string) => new AppError('CONFLICT', `The address ${slug} is taken; choose another.`, { reason: 'PLATFORM_SLUG_TAKEN', field: 'slug' }),
  emailTaken: () =>
    new AppError('CONFLICT', 'An account with this email already exists; use another address or ask the platform team.', {
      reason: 'PLATFORM_EMAIL_TAKEN',
      field: 'email',
    }),
  password: (problems: string[]) => new AppError('VALIDATION', problems.join(' '), { field: 'password', problems }),
  editionUnknown: (edition: string) => new AppError('VALIDATION', `Edition ${edition} is not offered here.`, { reason: 'PLATFORM_EDITION_UNKNOWN', field: 'edition' }),
  tenantNotFound: () => new AppError('NOT_FOUND', 'Business was not found.', { reason: 'PLATFORM_TENANT_NOT_FOUND' }),
  notPending: (status: string) =>
    new AppError('CONFLICT', `Only a business awaiting approval can be approved or rejected; this one is ${status}.`, { reason: 'PLATFORM_TENANT_NOT_PENDING', status }),
  moduleUnknown: (moduleId: string) =>
    new AppError('VALIDATION', `Module ${moduleId} is not part of this business's edition.`, { reason: 'PLATFORM_MODULE_UNKNOWN', field: 'modules', module: moduleId }),
  moduleNotInPlan: (moduleId: string) =>
    new AppError('CONFLICT', `The business's plan does not include module ${moduleId}; change the plan first.`, { reason: 'PLATFORM_MODULE_NOT_IN_PLAN', module: moduleId }),
  planKeyTaken: (key: string) => new AppError('CONFLICT', `A plan with key ${key} already exists.`, { reason: 'PLATFORM_PLAN_KEY_TAKEN', field: 'key' }),
  planPriceTaken: (price: string) =>
    new AppError('CONFLICT', `Another plan already bills through Stripe price ${price}; each plan needs its own, so a subscription names one plan.`, {
      reason: 'PLATFORM_PLAN_PRICE_TAKEN',
      field: 'stripePriceId',
    }),
  planNotFound: () => new AppError('NOT_FOUND', 'Plan was not found.', { reason: 'PLATFORM_PLAN_NOT_FOUND' }),
  audienceUnknown: (field: 'editions' | 'tenantIds', message: string) => new AppError('VALIDATION', message, { reason: 'PLATFORM_AUDIENCE_UNKNOWN', field }),
  announcementNotFound: () => new AppError('NOT_FOUND', 'Announcement was not found.', { reason: 'PLATFORM_ANNOUNCEMENT_NOT_FOUND' }),
  backupNotFound: () => new AppError('NOT_FOUND', 'Backup was not found.', { reason: 'PLATFORM_BACKUP_NOT_FOUND' }),
  backupNotRestorable: (kind: string, status: string) =>
    new AppError('CONFLICT', kind === 'backup' ? `Only a finished backup can be restored; this one is ${status}.` : 'A restore cannot itself be restored; restore its backup.', {
      reason: 'PLATFORM_BACKUP_NOT_RESTORABLE',
      status,
    }),
  backupNotReady: (status: string) => new AppError('CONFLICT', `Only a finished backup can be downloaded; this one is ${status}.`, { reason: 'PLATFORM_BACKUP_NOT_READY', status }),
  backupFileGone: () => new AppError('NOT_FOUND', 'The backup file is no longer in the backup folder.', { reason: 'PLATFORM_BACKUP_FILE_GONE' }),
};
