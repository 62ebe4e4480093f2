/**
 * The database side of `npm test`: with DATABASE_URL set, test databases are created on that
 * server; otherwise a throw-away embedded PostgreSQL is started in a temp folder. Every migration
 * is applied once to a template database; each test file clones it (CREATE DATABASE … TEMPLATE),
 * so files run in parallel without seeing each other's rows. Imported only when a run has tests
 * that need a database, so unit runs never load the app.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../src/kernel/config/index.ts';
import { applyMigrations, createDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '../src/kernel/db/index.ts';
import { createLogger } from '../src/kernel/observability/logger.ts';
import { planEditions } from '../src/editions/compose.ts';
import { serverUrl, withDatabaseName } from '../tests/support/urls.ts';

export interface TestDatabaseServer {
  /** What the test files read (tests/support/database.ts) to clone the template. */
  env: Record<string, string>;
  /** Drops this run's databases and stops the embedded server, if one was started. */
  cleanup(): Promise<void>;
}

export async function prepareTestDatabases(config: Config): Promise<TestDatabaseServer> {
  const log = createLogger(config.logLevel, 'plinth-test');
  let embedded: EmbeddedDatabase | undefined;
  let tempDir: string | undefined;
  if (!config.databaseUrl) {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-test-'));
    embedded = await startEmbeddedPostgres(tempDir, log);
  }
  const baseUrl = config.databaseUrl ?? (embedded as EmbeddedDatabase).url;
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const template = `plinth_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  const cleanup = async () => {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> 'plinth'",
      [`plinth_t%_${runId}%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };

  try {
    await admin.query(`CREATE DATABASE "${template}"`);
    const database = createDatabase(withDatabaseName(baseUrl, template), { poolMax: 2, log });
    await applyMigrations(database.pool, database.db, planEditions({ editions: undefined }).migrationUnits);
    await database.close();
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    env: { PLINTH_TEST_SERVER_URL: serverUrl(baseUrl), PLINTH_TEST_TEMPLATE: template, PLINTH_TEST_RUN_ID: runId },
    cleanup,
  };
}
