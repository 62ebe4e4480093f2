import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * A timestamptz as ISO 8601 UTC with all six fractional digits. pg's Date parsing would drop
 * the microseconds, so hashing and listing read this text instead: a tampered microsecond still
 * changes the hash.
 */
export const isoMicros = (value: AnyColumn | SQL): SQL<string> =>
  sql<string>`to_char(${value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
