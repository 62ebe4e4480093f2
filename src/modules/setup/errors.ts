import { AppError } from '../../kernel/errors.ts';

export const setupErrors = {
  done: () => new AppError('CONFLICT', 'This installation is already set up; sign in instead.', { reason: 'SETUP_ALREADY_DONE' }),
  wrongCode: () => new AppError('AUTHZ', 'That setup code is not the one the server printed at start.', { reason: 'SETUP_CODE_WRONG', field: 'code' }),
  paused: (seconds: number) => new AppError('RATE_LIMIT', `Too many wrong setup codes; try again in ${seconds} s.`, { reason: 'SETUP_CODE_PAUSED', retryAfterSeconds: seconds }),
  password: (problems: string[]) =>
    new AppError('VALIDATION', problems.join(' '), { field: 'adminPassword', issues: problems.map((message) => ({ in: 'body', path: 'adminPassword', message })) }),
  folder: (message: string) => new AppError('INTERNAL', `A data folder cannot be used: ${message}`, { reason: 'SETUP_FOLDER_UNUSABLE' }),
};
