import { Temporal } from 'temporal-polyfill';

/** The calendar day (YYYY-MM-DD) on the clocks of a time zone at an instant: a report's day. */
export const localDate = (instant: Date, timeZone: string): string =>
  Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone).toPlainDate().toString();

/** Whether the text is a real calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  try {
    Temporal.PlainDate.from(text, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A date and time typed on a zone's clocks ("2026-12-01 22:00") as the instant it names; a time
 * the clocks skip moves on by the gap, one they show twice is its first occurrence ('compatible').
 * Undefined when the text is not such a date and time.
 */
export function instantOfLocalDateTime(text: string, timeZone: string): Date | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  try {
    return new Date(Temporal.PlainDateTime.from(`${match[1]}T${match[2]}`, { overflow: 'reject' }).toZonedDateTime(timeZone).epochMilliseconds);
  } catch {
    return undefined;
  }
}

/** The calendar day `days` after (or before, when negative) a YYYY-MM-DD day. */
export const addDays = (day: string, days: number): string => Temporal.PlainDate.from(day).add({ days }).toString();
