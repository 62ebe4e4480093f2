import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMigratedDatabase, type TestDatabase } from '../../support/database.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const READY_WITHIN_MS = 60_000;

export interface DemoServer {
  url: string;
  /** Demo passwords by email, as `npm start` printed them. */
  passwords: Record<string, string>;
  /** The server's database, as its owner (for checks a browser cannot make). */
  database: TestDatabase;
  stop(): Promise<void>;
}

/**
 * The real server, as `npm start` runs it (`plinth serve --demo`: demo data for every edition,
 * background work in-process), in its own process on a free port, over a fresh migrated database
 * of this test run and a throw-away data folder.
 */
export async function startDemoServer(): Promise<DemoServer> {
  const database = await createMigratedDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-e2e-'));
  const child = spawn(process.execPath, ['bin/plinth.js', 'serve', '--demo'], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', PLINTH_DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await bannerUrl(child, () => output);
    const passwords = JSON.parse(await readFile(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as Record<string, string>;
    return { url, passwords, database, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function bannerUrl(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not up within ${READY_WITHIN_MS} ms:\n${output()}`)), READY_WITHIN_MS);
    child.stdout?.on('data', () => {
      const match = /Plinth is running at (http:\/\/\S+?)\/?\s/.exec(output());
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it was up:\n${output()}`));
    });
  });
}
