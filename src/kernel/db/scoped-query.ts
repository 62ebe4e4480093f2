import pg from 'pg';
import { TENANT_SETTING } from './rls.ts';

/**
 * Scopes the implicit transaction to the tenant and makes it read-only: row-level security reads
 * the setting, and a write slipped into a read fails instead of committing unaudited.
 */
const PRELUDE = `SELECT set_config('${TENANT_SETTING}', $1, true), set_config('transaction_read_only', 'on', true)`;

/** The parts of pg's Connection and Query this class drives (not in @types/pg). */
interface Wire {
  parse(message: { text: string; name: string; types: unknown[] }): void;
  bind(message: { portal: string; statement: string; values: unknown[] }): void;
  execute(message: { portal: string; rows: number }): void;
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
}
interface QueryInternals {
  name?: string;
  prepare(connection: Wire): void;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, connection: Wire): void;
  handleError(error: Error, connection: Wire): void;
}
const Base = pg.Query as unknown as new (config: pg.QueryConfig, values?: unknown[]) => QueryInternals;

/**
 * A query sent in one round trip with the tenant scope before it: the scope statement and the
 * query travel as one pipeline closed by a single Sync, so PostgreSQL runs both in one implicit
 * transaction and the transaction-local setting holds for exactly this query. Costs what the
 * query alone costs on the wire, where BEGIN, set_config, query and COMMIT cost four round trips.
 * The scope statement's row and completion are not the query's and are dropped; if it fails,
 * PostgreSQL skips the query and the error is the query's.
 */
export class TenantScopedQuery extends Base {
  private scopeAnswered = false;
  private parsedHere = false;

  constructor(
    config: pg.QueryConfig,
    values: unknown[] | undefined,
    private readonly tenantId: string,
  ) {
    // Extended protocol always: a simple Query message carries its own Sync.
    super({ ...config, queryMode: 'extended' } as pg.QueryConfig, values);
  }

  override prepare(connection: Wire): void {
    connection.parse({ text: PRELUDE, name: '', types: [] });
    connection.bind({ portal: '', statement: '', values: [this.tenantId] });
    connection.execute({ portal: '', rows: 0 });
    const name = this.name;
    this.parsedHere = name !== undefined && connection.parsedStatements[name] === undefined && connection.submittedNamedStatements[name] === undefined;
    super.prepare(connection);
  }

  override handleDataRow(message: unknown): void {
    if (this.scopeAnswered) super.handleDataRow(message);
  }

  override handleCommandComplete(message: unknown, connection: Wire): void {
    if (this.scopeAnswered) super.handleCommandComplete(message, connection);
    else this.scopeAnswered = true;
  }

  override handleError(error: Error, connection: Wire): void {
    // pg records a named statement as parsed on the first ParseComplete, which here was the
    // scope's: if the query's own Parse failed, forget it so the next use parses it again.
    if (this.name && this.parsedHere) Reflect.deleteProperty(connection.parsedStatements, this.name);
    super.handleError(error, connection);
  }
}
