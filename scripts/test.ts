/**
 * `npm test`: runs node's test runner over tests/ against a real PostgreSQL.
 * With DATABASE_URL set, test databases are created on that server; otherwise a throw-away
 * embedded PostgreSQL is started in a temp folder. Every migration is applied once to a
 * template database; each test file clones it (CREATE DATABASE … TEMPLATE), so files run in
 * parallel without seeing each other's rows.
 *
 * Usage: npm test [-- <file or folder> ...]   (default: tests/, without tests/e2e)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/kernel/config/index.ts';
import { applyMigrations, createDatabase, startEmbeddedPostgres, type EmbeddedDatabase } from '../src/kernel/db/index.ts';
import { createLogger } from '../src/kernel/observability/logger.ts';
import { planEditions } from '../src/editions/compose.ts';
import { serverUrl, withDatabaseName } from '../tests/support/urls.ts';

async function testFiles(target: string): Promise<string[]> {
  const info = await stat(target);
  if (info.isFile()) return [target];
  const entries = (await readdir(target, { recursive: true })) as string[];
  return entries.filter((file) => /\.test\.tsx?$/.test(file)).map((file) => path.join(target, file)).sort();
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const targets = args.length > 0 ? args : ['tests'];
  const files = (await Promise.all(targets.map(testFiles)))
    .flat()
    .filter((file) => args.length > 0 || !file.split(path.sep).includes('e2e'));
  if (files.length === 0) throw new Error(`no test files under ${targets.join(', ')}`);

  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
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

    const concurrency = Math.max(2, os.availableParallelism());
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          PLINTH_TEST_SERVER_URL: serverUrl(baseUrl),
          PLINTH_TEST_TEMPLATE: template,
          PLINTH_TEST_RUN_ID: runId,
        },
      },
    );
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    return await new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`npm test: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
