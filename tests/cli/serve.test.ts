import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BANNER = /Plinth is running at (https?:\/\/[^\s/]+)\/?\s/;
const STARTUP_LIMIT_MS = 90_000;

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
}

interface Finished {
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

function launch(args: string[], env: Record<string, string>): { child: ChildProcess; stdout: () => string; stderr: () => string } {
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

async function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (!exited(child)) await once(child, 'exit');
  return { code: child.exitCode, signal: child.signalCode };
}

/** Runs a command that is expected to end by itself. */
async function run(args: string[], env: Record<string, string>): Promise<Finished> {
  const started = launch(args, env);
  const { code, signal } = await waitForExit(started.child);
  return { code, signal, stdout: started.stdout(), stderr: started.stderr() };
}

/** Starts `plinth serve --demo` and resolves once the banner names the URL. */
async function startServer(dataDir: string): Promise<Running> {
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The postmaster pid PostgreSQL recorded for the cluster, when its pid file exists. */
async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const content = await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number.parseInt(content?.split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

interface ProductList {
  data: { id: string; sku: string; name: string }[];
  pagination: { total: number };
}

/** Signs in with the demo retail owner's credentials the banner printed, then lists the products. */
async function demoRetailProducts(running: { url: string; stdout: () => string }): Promise<ProductList> {
  const password = /owner@demo-retail\.example\s+(\S+)/.exec(running.stdout())?.[1];
  assert.ok(password, `the banner prints the demo retail sign-in:\n${running.stdout()}`);
  const signIn = await fetch(`${running.url}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@demo-retail.example', password }),
  });
  assert.equal(signIn.status, 200, await signIn.clone().text());
  const { accessToken } = ((await signIn.json()) as { data: { accessToken: string } }).data;
  const response = await fetch(`${running.url}/v1/catalog/products`, { headers: { authorization: `Bearer ${accessToken}` } });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as ProductList;
}

describe('plinth serve: the real process over embedded PostgreSQL', { timeout: 240_000 }, () => {
  let dataDir: string;
  let first: Running | undefined;
  let firstIds: string[] = [];

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-serve-test-'));
  });

  after(async () => {
    for (const child of [...children]) await stopChild(child);
    // A server killed hard leaves its PostgreSQL behind; stop the one that belongs to our folder.
    const pid = await postmasterPid(dataDir);
    if (pid !== undefined && isAlive(pid)) {
      process.kill(pid, 'SIGINT');
      for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  test('serve --demo prints its URL, is ready and serves the five retail demo products', { timeout: 120_000 }, async () => {
    first = await startServer(dataDir);
    assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(first.stdout().includes(`embedded PostgreSQL in ${dataDir}`), first.stdout());

    const ready = await fetch(`${first.url}/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready', checks: { database: 'ok', migrations: 'ok', modules: { dispatcher: 'ok' } } });

    const products = await demoRetailProducts(first);
    assert.equal(products.data.length, 5);
    assert.equal(products.pagination.total, 5);
    firstIds = products.data.map((product) => product.id).sort();
    assert.equal(new Set(firstIds).size, 5);
    assert.ok(products.data.some((product) => product.sku === 'HW-HAM-16'));
    assert.ok((await postmasterPid(dataDir)) !== undefined, 'the embedded cluster runs in <dataDir>/pg');
  });

  test('a second serve on the same data folder exits non-zero and says the folder is in use', { timeout: 60_000 }, async () => {
    assert.ok(first, 'needs the first server');
    const pidBefore = await postmasterPid(dataDir);
    const second = await run(['serve', '--demo'], { PORT: '0', PLINTH_DATA_DIR: dataDir });
    assert.notEqual(second.code, 0, second.stderr);
    assert.equal(second.code, 1);
    assert.ok(second.stderr.includes('is in use by another running PostgreSQL'), second.stderr);
    assert.ok(!second.stdout.includes('Plinth is running at'), 'the second instance never announced itself');

    // The refused start left the running instance and its cluster alone.
    assert.equal(await postmasterPid(dataDir), pidBefore);
    const ready = await fetch(`${first.url}/ready`);
    assert.equal(ready.status, 200);
  });

  test('SIGTERM exits 0 and stops the embedded PostgreSQL of that folder', { timeout: 60_000 }, async () => {
    assert.ok(first, 'needs the first server');
    const pgPid = await postmasterPid(dataDir);
    assert.ok(pgPid !== undefined, 'postmaster.pid exists while running');
    first.child.kill('SIGTERM');
    const { code, signal } = await waitForExit(first.child);
    assert.equal(signal, null, first.stderr());
    assert.equal(code, 0, first.stderr());
    assert.equal(existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), false, 'postmaster.pid is removed');
    assert.equal(isAlive(pgPid), false, `postgres pid ${pgPid} is gone`);
    assert.ok(existsSync(path.join(dataDir, 'pg', 'PG_VERSION')), 'the cluster itself stays');
  });

  test('a restart on the same folder finds the same products: data persisted, seeding not repeated', { timeout: 120_000 }, async () => {
    assert.equal(firstIds.length, 5, 'needs the ids of the first run');
    const again = await startServer(dataDir);
    const products = await demoRetailProducts(again);
    assert.equal(products.pagination.total, 5);
    assert.deepEqual(products.data.map((product) => product.id).sort(), firstIds);

    again.child.kill('SIGTERM');
    const { code } = await waitForExit(again.child);
    assert.equal(code, 0, again.stderr());
    assert.equal(existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), false);
  });

  test('PORT=abc exits 1 with a message naming PORT', { timeout: 60_000 }, async () => {
    const result = await run(['serve'], { PORT: 'abc', PLINTH_DATA_DIR: dataDir });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /\bPORT\b/);
    assert.ok(!result.stderr.includes('    at '), `one clear message, no stack trace:\n${result.stderr}`);
    assert.ok(!result.stdout.includes('Plinth is running at'));
  });
});
