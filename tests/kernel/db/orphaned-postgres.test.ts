import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { markOf } from '../../../src/kernel/db/process-mark.ts';
import { demoRetailOwner, demoRetailProducts, postmasterPid, run, startServer, stopEverything, waitForExit, type Running } from '../../support/serve-process.ts';

const READY_WITHIN_MS = 30_000;

/** Polls /ready until it answers 200. */
async function ready(server: Running): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    const response = await fetch(`${server.url}/ready`).catch(() => undefined);
    if (response?.status === 200) return;
    assert.ok(Date.now() < deadline, `/ready did not answer 200 within ${READY_WITHIN_MS} ms:\n${server.stdout()}\n${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('embedded PostgreSQL of a Plinth process killed hard (kill -9)', { timeout: 300_000 }, () => {
  let dataDir: string;
  let first: Running | undefined;
  let written: { id: string; sku: string } | undefined;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-orphan-test-'));
  });

  after(async () => {
    await stopEverything(dataDir);
    await rm(dataDir, { recursive: true, force: true });
  });

  test('while the owning server lives, a second serve on its folder is refused and its PostgreSQL left alone', { timeout: 120_000 }, async () => {
    first = await startServer(dataDir);
    await ready(first);
    const owner = JSON.parse(await readFile(path.join(dataDir, 'pg-owner.json'), 'utf8')) as { owner: { pid: number }; postmaster: { pid: number } };
    assert.equal(owner.owner.pid, first.child.pid, 'the serving process is recorded as the owner');
    const pgPid = await postmasterPid(dataDir);
    assert.equal(owner.postmaster.pid, pgPid);

    const second = await run(['serve', '--demo'], { PORT: '0', PLINTH_DATA_DIR: dataDir });
    assert.equal(second.code, 1, second.stderr);
    assert.ok(second.stderr.includes(`is in use by another running PostgreSQL (pid ${pgPid})`), second.stderr);
    assert.ok(!second.stdout.includes('Plinth is running at'), 'the second instance never announced itself');
    assert.equal(await postmasterPid(dataDir), pgPid);
    await ready(first);
  });

  test('after kill -9 the next serve stops the orphaned PostgreSQL, starts its own and finds the data written before', { timeout: 150_000 }, async () => {
    assert.ok(first, 'needs the first server');
    const products = await demoRetailProducts(first);
    const created = await fetch(`${first.url}/v1/catalog/products`, {
      method: 'POST',
      headers: { ...(await demoRetailOwner(first)), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Written before the crash', sku: 'CRASH-1', priceMinor: 1234, currency: products.data[0]?.currency }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    written = ((await created.json()) as { data: { id: string; sku: string } }).data;

    const orphan = await postmasterPid(dataDir);
    assert.ok(orphan !== undefined);
    first.child.kill('SIGKILL');
    assert.equal((await waitForExit(first.child)).signal, 'SIGKILL');
    assert.ok((await markOf(orphan)) !== undefined, 'PostgreSQL outlives the killed server (the case this recovery is for)');

    const again = await startServer(dataDir);
    await ready(again);
    // Stopped means not running: the orphan may linger as a zombie until whoever adopted it reaps it.
    assert.equal(await markOf(orphan), undefined, `the orphaned postmaster ${orphan} was stopped`);
    const restarted = await postmasterPid(dataDir);
    assert.ok(restarted !== undefined && restarted !== orphan, 'a new postmaster runs the cluster');
    assert.match(again.stdout() + again.stderr(), /stopping the embedded PostgreSQL left running by a Plinth process that is gone/);

    const after_ = await demoRetailProducts(again);
    assert.deepEqual(
      after_.data.map((product) => product.id).sort(),
      [...products.data.map((product) => product.id), written.id].sort(),
      'the demo products and the one written before the kill, nothing seeded twice',
    );

    again.child.kill('SIGTERM');
    assert.equal((await waitForExit(again.child)).code, 0, again.stderr());
    assert.equal(existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), false, 'a clean stop leaves no PostgreSQL running');
    assert.equal(existsSync(path.join(dataDir, 'pg-owner.json')), false, 'and no owner record');
  });
});
