import { AppError } from '../../kernel/errors.ts';

/** Locations' error catalogue: each reason maps onto an envelope code. */
export const locationErrors = {
  codeTaken: (code: string) =>
    new AppError('CONFLICT', `A location with code ${code} already exists.`, { reason: 'LOCATIONS_CODE_TAKEN', field: 'code' }),
  notFound: () => new AppError('NOT_FOUND', 'Location was not found.', { reason: 'LOCATIONS_LOCATION_NOT_FOUND' }),
  archived: (name: string) =>
    new AppError('CONFLICT', `The location ${name} is archived; restore it first.`, { reason: 'LOCATIONS_LOCATION_ARCHIVED' }),
  /** Same envelope as the kernel's plan-limit refusal (src/kernel/tenancy limitErrors), for the `locations` limit. */
  limitReached: (max: number) =>
    new AppError('CONFLICT', `Your plan allows ${max} locations; this would go over it.`, { reason: 'PLAN_LIMIT_REACHED', limit: 'locations', max }),
};
