import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { DEFAULT_TIME_ZONE, formatDate, formatDateTime, formatTime } from '../kernel/time/index.ts';

/** The zone a page shows times in: the business's, provided by sendPage so no page has to pass it on. */
export const TimeZoneContext = createContext<string>(DEFAULT_TIME_ZONE);

/** The zone of the page being rendered, for the few places that need a time as text (an aria-label). */
export const useTimeZone = (): string => useContext(TimeZoneContext);

const FORMATS = { date: formatDate, time: formatTime, dateTime: formatDateTime } as const;

/**
 * An instant on the business's clocks as people write it ("7 Dec 2026, 14:05"), the exact
 * instant in `datetime` and the zone's name on hover; "—" when there is none.
 */
export function When({ at, show = 'dateTime' }: { at: Date | string | null | undefined; show?: keyof typeof FORMATS }) {
  const timeZone = useTimeZone();
  if (at === null || at === undefined) return <>—</>;
  const instant = typeof at === 'string' ? new Date(at) : at;
  return (
    <time dateTime={instant.toISOString()} title={timeZone}>
      {FORMATS[show](instant, timeZone)}
    </time>
  );
}
