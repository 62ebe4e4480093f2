import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Logger } from '../observability/logger.ts';

export type Db = NodePgDatabase<Record<string, never>>;

export interface Database {
  pool: pg.Pool;
  db: Db;
  close(): Promise<void>;
}

// PostgreSQL bigint (int8) and numeric arrive as strings by default; money columns are bigint
// minor units that always fit in a JS safe integer (the schemas bound them), so parse them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export function createDatabase(url: string, options: { poolMax: number; log: Logger }): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax,
    application_name: 'plinth',
    // Fail fast instead of queueing forever when the server is gone; readiness reports it.
    connectionTimeoutMillis: 5_000,
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
