import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive } from '../../src/kernel/db/process-mark.ts';

/** The real `plinth serve` as its own process over embedded PostgreSQL in a test's data folder. */

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BANNER = /Plinth is running at (https?:\/\/[^\s/]+)\/?\s/;
const STARTUP_LIMIT_MS = 90_000;

export interface Launched {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
}

export interface Running extends Launched {
  url: string;
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();

const DROPPED_ENV = new Set(['DATABASE_URL', 'PLINTH_EDITIONS', 'PLINTH_DEMO', 'PUBLIC_URL', 'HOST', 'PORT', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS']);

/** The parent's environment without anything that would steer the child away from a fresh embedded database. */
function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !DROPPED_ENV.has(key)));
  return { ...env, LOG_LEVEL: 'warn', ...overrides };
}

export function launch(args: string[], env: Record<string, string>): Launched {
  const child = spawn(process.execPath, ['bin/plinth.js', ...args], { cwd: REPO_ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return { child, stdout: () => out, stderr: () => err };
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export async function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (!exited(child)) await once(child, 'exit');
  return { code: child.exitCode, signal: child.signalCode };
}

/** Runs a command that is expected to end by itself. */
export async function run(args: string[], env: Record<string, string>): Promise<Finished> {
  const started = launch(args, env);
  const { code, signal } = await waitForExit(started.child);
  return { code, signal, stdout: started.stdout(), stderr: started.stderr() };
}

/** Starts `plinth serve --demo` on a free port and resolves once the banner names the URL. */
export async function startServer(dataDir: string): Promise<Running> {
  const started = launch(['serve', '--demo'], { PORT: '0', PLINTH_DATA_DIR: dataDir });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within ${STARTUP_LIMIT_MS} ms:\n${started.stdout()}\n${started.stderr()}`)), STARTUP_LIMIT_MS);
    const check = () => {
      const match = BANNER.exec(started.stdout());
      if (match?.[1]) {
        clearTimeout(timer);
        started.child.stdout?.off('data', check);
        resolve(match[1]);
      }
    };
    started.child.stdout?.on('data', check);
    started.child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before its banner:\n${started.stdout()}\n${started.stderr()}`));
    });
  });
  return { ...started, url };
}

/** SIGTERM, then SIGKILL if it does not go; only for processes this file started. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  child.kill('SIGTERM');
  const gone = await Promise.race([once(child, 'exit').then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20_000).unref())]);
  if (!gone && !exited(child)) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}

/** The postmaster pid PostgreSQL recorded for the cluster, when its pid file exists. */
export async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const content = await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number.parseInt(content?.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** After a test file: its servers stopped, and the PostgreSQL of its folder too should a server have been killed hard. */
export async function stopEverything(dataDir: string): Promise<void> {
  for (const child of [...children]) await stopChild(child);
  const pid = await postmasterPid(dataDir);
  if (pid !== undefined && isAlive(pid)) {
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ProductList {
  data: { id: string; sku: string; name: string; currency: string }[];
  pagination: { total: number };
}

/** Signs in with the demo retail owner's credentials the banner printed. */
export async function demoRetailOwner(running: { url: string; stdout: () => string }): Promise<{ authorization: string }> {
  const password = /owner@demo-retail\.example\s+(\S+)/.exec(running.stdout())?.[1];
  assert.ok(password, `the banner prints the demo retail sign-in:\n${running.stdout()}`);
  const signIn = await fetch(`${running.url}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@demo-retail.example', password }),
  });
  assert.equal(signIn.status, 200, await signIn.clone().text());
  const { accessToken } = ((await signIn.json()) as { data: { accessToken: string } }).data;
  return { authorization: `Bearer ${accessToken}` };
}

export async function demoRetailProducts(running: { url: string; stdout: () => string }): Promise<ProductList> {
  const response = await fetch(`${running.url}/v1/catalog/products`, { headers: await demoRetailOwner(running) });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as ProductList;
}
