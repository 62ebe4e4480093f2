import { Temporal } from 'temporal-polyfill';
import { z } from 'zod';

/** A business's zone until it names its own, and the zone of pages outside any business. */
export const DEFAULT_TIME_ZONE = 'UTC';

/** The IANA name as the database spells it (`europe/paris` → `Europe/Paris`), or undefined when no such zone exists. */
export function canonicalTimeZone(name: string): string | undefined {
  try {
    return Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(name.trim()).timeZoneId;
  } catch {
    return undefined;
  }
}

export const isTimeZone = (name: string): boolean => canonicalTimeZone(name) !== undefined;

/** A time zone as people type or pick it, read as its IANA name in the database's spelling. */
export const timeZoneName = z
  .string({ error: 'is required' })
  .trim()
  .min(1, { error: 'is required' })
  .max(64, { error: 'must be a time zone such as Europe/Berlin or UTC' })
  .transform((name, context) => canonicalTimeZone(name) ?? (context.addIssue({ code: 'custom', message: 'must be a time zone such as Europe/Berlin or UTC' }), z.NEVER));

/** Every zone a business may choose, for a select: UTC first, then the IANA names in order. */
export const timeZoneNames = (): readonly string[] => [DEFAULT_TIME_ZONE, ...Intl.supportedValuesOf('timeZone').filter((name) => name !== DEFAULT_TIME_ZONE)];
