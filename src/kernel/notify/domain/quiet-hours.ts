/**
 * Quiet hours in the recipient's time zone, computed with Intl only (no I/O), DST-safe: a window
 * end that falls into a spring-forward gap moves forward by the gap (02:30 → 03:30, as Temporal's
 * 'compatible' disambiguation), and one that occurs twice in the autumn ends at its first occurrence.
 */

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

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let existing = formatters.get(timeZone);
  if (!existing) {
    existing = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, existing);
  }
  return existing;
}

/** The local calendar date and clock time of an instant in a time zone. */
export function wallTime(instant: Date, timeZone: string): WallTime & { second: number } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
function offsetAt(instant: number, timeZone: string): number {
  const wall = wallTime(new Date(instant), timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const DAY = 86_400_000;

/**
 * The first instant at which the zone's clocks show this wall time; a time the clocks skip is
 * read with the offset in force before the jump (so it lands as far after the jump as it was after the last valid minute).
 */
export function instantOfWallTime(wall: WallTime, timeZone: string): Date {
  const naive = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsets = [offsetAt(naive - DAY, timeZone), offsetAt(naive, timeZone), offsetAt(naive + DAY, timeZone)];
  const matches = offsets
    .map((offset) => naive - offset)
    .filter((candidate) => {
      const seen = wallTime(new Date(candidate), timeZone);
      return seen.year === wall.year && seen.month === wall.month && seen.day === wall.day && seen.hour === wall.hour && seen.minute === wall.minute;
    });
  if (matches.length > 0) return new Date(Math.min(...matches));
  // In a gap: read the wall time with the offset in force before the jump, which lands after it.
  return new Date(naive - offsetAt(naive - DAY, timeZone));
}

/**
 * When a message due at `now` may go out: `now` itself outside quiet hours, else the end of the
 * window in the recipient's zone.
 */
export function endOfQuietHours(now: Date, timeZone: string, window: QuietHours): Date {
  const local = wallTime(now, timeZone);
  const minute = local.hour * 60 + local.minute;
  const crossesMidnight = window.start > window.end;
  const inside = crossesMidnight ? minute >= window.start || minute < window.end : minute >= window.start && minute < window.end;
  if (!inside) return now;
  // Ends today, or tomorrow when the window started this evening and runs past midnight.
  const endsTomorrow = crossesMidnight && minute >= window.start;
  const endDate = new Date(Date.UTC(local.year, local.month - 1, local.day + (endsTomorrow ? 1 : 0)));
  return instantOfWallTime(
    {
      year: endDate.getUTCFullYear(),
      month: endDate.getUTCMonth() + 1,
      day: endDate.getUTCDate(),
      hour: Math.floor(window.end / 60),
      minute: window.end % 60,
    },
    timeZone,
  );
}
