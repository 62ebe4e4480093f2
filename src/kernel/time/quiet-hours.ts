import { Temporal } from 'temporal-polyfill';

/** A daily window of local clock time in which messages wait, e.g. 21:00–08:00. */
export interface QuietHours {
  /** Minutes after local midnight when the window starts (e.g. 21:00 → 1260). */
  start: number;
  /** Minutes after local midnight when it ends; below `start` for a window across midnight. */
  end: number;
}

const RANGE = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** Reads `HH:MM-HH:MM`; throws on anything else or on an empty range. */
export function parseQuietHours(range: string): QuietHours {
  const match = RANGE.exec(range.trim());
  if (!match) throw new Error(`quiet hours must look like 21:00-08:00, got ${JSON.stringify(range)}`);
  const [, sh, sm, eh, em] = match.map(Number) as [number, number, number, number, number];
  const window = { start: sh * 60 + sm, end: eh * 60 + em };
  if (window.start === window.end) throw new Error('quiet hours must not start and end at the same time');
  return window;
}

const zoned = (instant: Date, timeZone: string) => Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);

const insideAt = (minute: number, window: QuietHours): boolean =>
  window.start > window.end ? minute >= window.start || minute < window.end : minute >= window.start && minute < window.end;

/** Whether the clocks of the zone show a time inside the window at this instant. */
export function isWithinQuietHours(instant: Date, timeZone: string, window: QuietHours): boolean {
  const local = zoned(instant, timeZone);
  return insideAt(local.hour * 60 + local.minute, window);
}

/**
 * When a message due at `now` may go out: `now` itself outside quiet hours, else the end of the
 * window in the zone. An end the clocks skip (spring forward) moves on by the gap (02:30 → 03:30),
 * and an end the clocks show twice (fall back) is its first occurrence: Temporal's 'compatible'.
 * Inside the repeated hour after that first occurrence, the window has ended: `now`.
 */
export function endOfQuietHours(now: Date, timeZone: string, window: QuietHours): Date {
  const local = zoned(now, timeZone);
  const minute = local.hour * 60 + local.minute;
  if (!insideAt(minute, window)) return now;
  // Ends today, or tomorrow when the window started this evening and runs past midnight.
  const endsTomorrow = window.start > window.end && minute >= window.start;
  const endDay = local.toPlainDate().add({ days: endsTomorrow ? 1 : 0 });
  const end = endDay.toZonedDateTime({ timeZone, plainTime: { hour: Math.floor(window.end / 60), minute: window.end % 60 } });
  return end.epochMilliseconds > now.getTime() ? new Date(end.epochMilliseconds) : now;
}
