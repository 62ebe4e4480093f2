/**
 * Instants as people read them, on the clocks of a time zone: "7 Dec 2026", "14:05",
 * "7 Dec 2026, 14:05". Formatting only (Intl reads the zone's rules); one formatter per
 * locale, zone and style, because building one costs far more than using it.
 */

/** How pages write dates until a business or person chooses a locale: day month year, 24-hour clock. */
export const DISPLAY_LOCALE = 'en-GB';

const STYLES = {
  date: { day: 'numeric', month: 'short', year: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  dateTime: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;
type Style = keyof typeof STYLES;

const formatters = new Map<string, Intl.DateTimeFormat>();
function format(style: Style, instant: Date, timeZone: string, locale: string): string {
  const key = `${locale}|${timeZone}|${style}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { ...STYLES[style], timeZone });
    formatters.set(key, formatter);
  }
  return formatter.format(instant);
}

export const formatDate = (instant: Date, timeZone: string, locale = DISPLAY_LOCALE): string => format('date', instant, timeZone, locale);
export const formatTime = (instant: Date, timeZone: string, locale = DISPLAY_LOCALE): string => format('time', instant, timeZone, locale);
export const formatDateTime = (instant: Date, timeZone: string, locale = DISPLAY_LOCALE): string => format('dateTime', instant, timeZone, locale);
