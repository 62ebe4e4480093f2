import { getTableColumns, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

export interface Recordset<Row> {
  /** The table's columns, in order, for `INSERT INTO table (<columns>) SELECT * FROM …`. */
  columns: SQL;
  /** `jsonb_to_recordset(<param>::jsonb) AS <alias>(column type, …)`, reading rows written by `json`. */
  from(rows: SQL | Placeholder, alias: string): SQL;
  /** Rows as the recordset reads them: keyed by column name. */
  json(rows: readonly Row[]): string;
}

/**
 * Any number of a table's rows as ONE jsonb parameter, so a multi-row insert has one statement
 * text whatever the row count (a prepared statement; drizzle's multi-row insert builds new text
 * per count, and spends 100–400 µs of CPU doing so for a wide table). Columns and their types
 * come from the table's definition, so they cannot drift from it.
 */
export function recordsetOf<Table extends PgTable>(table: Table): Recordset<Table['$inferSelect']> {
  const columns = Object.entries(getTableColumns(table));
  const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
  return {
    columns: sql.raw(columns.map(([, column]) => quoted(column.name)).join(', ')),
    from: (rows, alias) => sql`jsonb_to_recordset(${rows}::jsonb) AS ${sql.raw(quoted(alias))}(${sql.raw(columns.map(([, column]) => `${quoted(column.name)} ${column.getSQLType()}`).join(', '))})`,
    json: (rows) => JSON.stringify(rows.map((row) => Object.fromEntries(columns.map(([key, column]) => [column.name, (row as Record<string, unknown>)[key]])))),
  };
}
