import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Tx } from './tx.ts';

const dialect = new PgDialect();

export interface Statement<Row> {
  /** Runs the statement in `tx` with the placeholders' values; answers its rows as pg parses them (timestamptz as text). */
  run(tx: Tx, values: Record<string, unknown>): Promise<Row[]>;
}

/**
 * A statement on a hot path (a POS sale runs each once), rendered to SQL once at module load with
 * `sql.placeholder()`s where its values go, and sent as a named prepared statement: drizzle does
 * not rebuild its text per call (a query builder spends 100–400 µs of CPU on a wide multi-row
 * insert, `npm run bench -- pos`), and PostgreSQL parses and plans it once per connection.
 * `name` must be unique to this statement (a connection keeps one text per name).
 */
export function statement<Row>(name: string, query: SQL): Statement<Row> {
  const built = dialect.sqlToQuery(query);
  return {
    async run(tx, values) {
      const prepared = tx._.session.prepareQuery<{ execute: { rows: Row[] }; all: unknown; values: unknown }>(built, undefined, name, false);
      return (await prepared.execute(values)).rows;
    },
  };
}
