import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Tx } from './tx.ts';

const dialect = new PgDialect();

interface Executable<Result> {
  execute(values?: Record<string, unknown>): Promise<Result>;
}

/** The pg client a transaction runs on (drizzle keeps it on the session without a public accessor). */
const connectionOf = (tx: Tx): object => (tx._.session as unknown as { client: object }).client;

/**
 * One query object per connection, made on first use there: drizzle binds a prepared query to
 * the connection it was prepared on, and a pool hands the same few connections out again and
 * again (a closed connection is garbage-collected with its entry).
 */
function perConnection<Result>(make: (tx: Tx) => Executable<Result>): (tx: Tx) => Executable<Result> {
  const byConnection = new WeakMap<object, Executable<Result>>();
  return (tx) => {
    const connection = connectionOf(tx);
    let query = byConnection.get(connection);
    if (!query) {
      query = make(tx);
      byConnection.set(connection, query);
    }
    return query;
  };
}

export interface PreparedQuery<Result> {
  /** Runs the query in `tx` with the placeholders' values; answers what drizzle's builder would. */
  execute(tx: Tx, values: Record<string, unknown>): Promise<Result>;
}

/**
 * A drizzle query on a hot path (a POS sale or the guard runs each once), written with
 * `sql.placeholder()`s where its values go: built and prepared by name once per connection,
 * then only executed. Awaiting a builder renders its SQL again every time (60–400 µs of CPU for a
 * wide select, join or insert; `npm run bench -- pos`), and PostgreSQL parses and plans a named
 * statement once per connection.
 *
 * Declare it at module level, so `build` cannot close over one call's values: a value that is not
 * a placeholder is fixed by the first call on each connection. `name` must be unique to this
 * query (a connection keeps one text per name). Drizzle encodes a placeholder's value with its
 * column's encoder and no null check: pass a nullable jsonb or timestamp as text with a cast.
 */
export function prepared<Result>(name: string, build: (tx: Tx) => { prepare(name: string): Executable<Result> }): PreparedQuery<Result> {
  const queryIn = perConnection((tx) => build(tx).prepare(name));
  return { execute: (tx, values) => queryIn(tx).execute(values) };
}

export interface Statement<Row> {
  /** Runs the statement in `tx` with the placeholders' values; answers its rows as pg parses them (timestamptz as text). */
  run(tx: Tx, values: Record<string, unknown>): Promise<Row[]>;
}

/**
 * Like `prepared`, for SQL that no builder writes (data-modifying CTEs over jsonb recordsets, a
 * row-locking sub-select): rendered once at module load, prepared by name once per connection,
 * answered as raw rows. The same rules hold: module level, every value a placeholder, unique name.
 */
export function statement<Row>(name: string, query: SQL): Statement<Row> {
  const built = dialect.sqlToQuery(query);
  const queryIn = perConnection((tx) => tx._.session.prepareQuery<{ execute: { rows: Row[] }; all: unknown; values: unknown }>(built, undefined, name, false));
  return { run: async (tx, values) => (await queryIn(tx).execute(values)).rows };
}
