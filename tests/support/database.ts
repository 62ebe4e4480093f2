import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase, type Database } from '../../src/kernel/db/index.ts';
import { createLogger } from '../../src/kernel/observability/logger.ts';
import { withDatabaseName } from './urls.ts';

export interface TestDatabase extends Database {
  url: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests with \`npm test\`, which prepares the database server.`);
  return value;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: required('PLINTH_TEST_SERVER_URL') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function create(template: string | undefined): Promise<TestDatabase> {
  const name = `plinth_t${randomBytes(5).toString('hex')}_${required('PLINTH_TEST_RUN_ID')}`;
  await adminQuery(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  const url = withDatabaseName(required('PLINTH_TEST_SERVER_URL'), name);
  const database = createDatabase(url, { poolMax: 5, log: createLogger('silent') });
  return {
    ...database,
    url,
    name,
    drop: async () => {
      await database.close();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** A database with every migration applied (a clone of the run's template). */
export const createMigratedDatabase = () => create(required('PLINTH_TEST_TEMPLATE'));

/** A database with nothing in it. */
export const createEmptyDatabase = () => create(undefined);
