/**
 * Time in the business's time zone: its local calendar day of an instant, quiet hours, and how
 * instants are shown to people. Every time-zone and DST rule goes through Temporal (the
 * `temporal-polyfill` package: the TC39 API that Node will ship, spec-complete, small, no
 * dependencies of its own beyond its types, and it works on Node 20) reading the IANA database
 * that Node's ICU carries, so no code of ours adds offsets by hand. Luxon would do the same
 * arithmetic under an API that Temporal is replacing. Leaf module: imports nothing of the kernel.
 */
export { DEFAULT_TIME_ZONE, canonicalTimeZone, isTimeZone, timeZoneName, timeZoneNames } from './zone.ts';
export { addDays, instantOfLocalDateTime, isCalendarDate, localDate } from './calendar.ts';
export { endOfQuietHours, isWithinQuietHours, parseQuietHours, type QuietHours } from './quiet-hours.ts';
export { DISPLAY_LOCALE, formatDate, formatDateTime, formatTime } from './format.ts';
