import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Settings of the test runner's own process that would point the command elsewhere. */
const DROPPED_ENV = new Set(['DATABASE_URL', 'PLINTH_EDITIONS', 'PLINTH_DEMO', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS']);

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `plinth` command (bin/plinth.js) against a test database and data folder. */
export function runPlinth(databaseUrl: string, dataDir: string, ...args: string[]): Promise<Finished> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !DROPPED_ENV.has(key)));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/plinth.js', ...args],
      { cwd: REPO_ROOT, env: { ...env, DATABASE_URL: databaseUrl, PLINTH_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}
