import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Logger } from '../observability/logger.ts';
import { PreparingClient } from './preparing-client.ts';

export type Db = NodePgDatabase<Record<string, never>>;

export interface Database {
  pool: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

// PostgreSQL bigint (int8) and numeric arrive as strings by default; money columns are bigint
// minor units that always fit in a JS safe integer (the schemas bound them), so parse them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export interface DatabaseOptions {
  poolMax: number;
  log: Logger;
  /** Role every connection switches to once connected (the app role); unset keeps the login role (migrations). */
  role?: string;
}

export function createDatabase(url: string, options: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax,
    application_name: 'plinth',
    Client: PreparingClient,
    // Fail fast instead of queueing forever when the server is gone; readiness reports it.
    connectionTimeoutMillis: 5_000,
    // A startup parameter, not a later SET ROLE: a connection that cannot take the role fails
    // to open instead of silently running as the owner (which row-level security would not bind).
    ...(options.role ? { options: `-c role=${options.role}` } : {}),
  });
  // An idle client losing its server (restart, failover) must not crash the process.
  pool.on('error', (error) => options.log.warn({ err: error }, 'idle database connection lost'));

  const db = drizzle({ client: pool });
  return {
    pool,
    db,
    close: () => pool.end(),
  };
}
