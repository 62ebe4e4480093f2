import { z } from 'zod';
import { timeZoneName } from '../../../kernel/time/index.ts';

export const LOCATION_NAME_MAX = 120;
export const LOCATION_CODE_MAX = 16;
export const LOCATION_ADDRESS_MAX = 500;

const name = z
  .string({ error: 'is required' })
  .trim()
  .min(1, { error: 'is required' })
  .max(LOCATION_NAME_MAX, { error: `must be at most ${LOCATION_NAME_MAX} characters` });

const code = z
  .string({ error: 'is required' })
  .trim()
  .min(1, { error: 'is required' })
  .max(LOCATION_CODE_MAX, { error: `must be at most ${LOCATION_CODE_MAX} characters` })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { error: 'may hold letters, digits, _ and - only' });

const address = z
  .string({ error: 'must be text' })
  .trim()
  .max(LOCATION_ADDRESS_MAX, { error: `must be at most ${LOCATION_ADDRESS_MAX} characters` })
  .transform((text) => (text === '' ? null : text))
  .nullable();

export const locationInput = z.strictObject({ name, code, address: address.optional(), timeZone: timeZoneName });
export type LocationInput = z.output<typeof locationInput>;

export const locationPatch = locationInput.partial().refine((patch) => Object.keys(patch).length > 0, { error: 'name at least one field to change' });
export type LocationPatch = z.output<typeof locationPatch>;

/** Omitted status lists the locations in use (not archived). */
export const LOCATION_STATUSES = ['active', 'archived', 'all'] as const;
export const locationListQuery = z.strictObject({ status: z.enum(LOCATION_STATUSES).default('active') });
export type LocationListQuery = z.output<typeof locationListQuery>;

export const location = z.object({
  id: z.uuid(),
  name: z.string(),
  code: z.string(),
  address: z.string().nullable(),
  timeZone: z.string(),
  archivedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Location = z.output<typeof location>;
