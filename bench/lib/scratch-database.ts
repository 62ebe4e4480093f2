import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/kernel/db/index.ts';
import { createLogger } from '../../src/kernel/observability/logger.ts';
import { onTimeout, waitingOn } from './watchdog.ts';

export interface ScratchDatabase {
  /** The owner's connection string of an empty database that only this run uses. */
  url: string;
  /** Drops the database (DATABASE_URL), or stops the embedded PostgreSQL and removes its folder. */
  stop(): Promise<void>;
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops the database once the run's pools have let go of it (pool.end() resolves before their
 * sockets close; dropping WITH (FORCE) at once would log their connections as lost), or after 5 s.
 */
async function dropWhenIdle(client: pg.Client, name: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  const sessions = async () => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name])).rows[0]?.n ?? 0;
  while (Date.now() < deadline && (await sessions()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/**
 * A fresh database for a benchmark that migrates and writes its own tables: with DATABASE_URL, a
 * new database of a random name on that server (dropped afterwards); else an embedded PostgreSQL
 * in a temporary folder.
 */
export async function scratchDatabase(): Promise<ScratchDatabase> {
  const server = process.env.DATABASE_URL;
  if (server) {
    const name = `plinth_bench_${randomBytes(5).toString('hex')}`;
    waitingOn(`CREATE DATABASE ${name}`);
    await withAdmin(server, (client) => client.query(`CREATE DATABASE "${name}"`));
    const url = new URL(server);
    url.pathname = `/${name}`;
    const drop = () => withAdmin(server, (client) => dropWhenIdle(client, name));
    const forget = onTimeout(drop);
    return {
      url: url.toString(),
      stop: async () => {
        waitingOn(`DROP DATABASE ${name}`);
        await drop();
        forget();
      },
    };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-bench-'));
  try {
    waitingOn('the embedded PostgreSQL to start');
    const embedded = await startEmbeddedPostgres(dataDir, createLogger('warn'));
    const stop = async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
    const forget = onTimeout(stop);
    return {
      url: embedded.url,
      stop: async () => {
        waitingOn('the embedded PostgreSQL to stop');
        await stop();
        forget();
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
