import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isAlive } from '../../src/kernel/db/process-mark.ts';
import { demoRetailProducts, postmasterPid, run, startServer, stopEverything, waitForExit, type Running } from '../support/serve-process.ts';

describe('plinth serve: the real process over embedded PostgreSQL', { timeout: 240_000 }, () => {
  let dataDir: string;
  let first: Running | undefined;
  let firstIds: string[] = [];

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-serve-test-'));
  });

  after(async () => {
    await stopEverything(dataDir);
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
