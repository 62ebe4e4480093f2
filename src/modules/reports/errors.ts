import { AppError } from '../../kernel/errors.ts';

/** Reports' error catalogue: each reason maps onto an envelope code. */
export const reportsErrors = {
  exportNotFound: () => new AppError('NOT_FOUND', 'Export was not found.', { reason: 'REPORTS_EXPORT_NOT_FOUND' }),
  exportNotReady: (status: string) =>
    new AppError('CONFLICT', `The export is ${status}; download it once it is done.`, { reason: 'REPORTS_EXPORT_NOT_READY', status }),
  permissionRequired: (permission: string) => new AppError('AUTHZ', `You do not have permission to do this (${permission}).`, { reason: 'PERMISSION_REQUIRED', permission }),
  shiftNotFound: () => new AppError('NOT_FOUND', 'Shift was not found.', { reason: 'REPORTS_SHIFT_NOT_FOUND' }),
};
