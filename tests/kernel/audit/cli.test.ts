import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { runPlinth } from '../../support/cli.ts';
import { createProductVia } from '../../support/catalog.ts';
import { auditRows, tamper } from './support.ts';

describe('plinth audit verify', { timeout: 180_000 }, () => {
  let t: TestApp;
  let dataDir: string;

  before(async () => {
    t = await startTestApp();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-audit-cli-'));
    await createProductVia(t, 'tenant-a', { name: 'One', sku: 'CLI-1' });
    await createProductVia(t, 'tenant-a', { name: 'Two', sku: 'CLI-2' });
    await createProductVia(t, 'tenant-b', { name: 'Three', sku: 'CLI-3' });
  });
  after(async () => {
    await t.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const plinth = (...args: string[]) => runPlinth(t.database.url, dataDir, ...args);

  test('exits 0 and prints OK for every tenant while the chains are intact', async () => {
    const result = await plinth('audit', 'verify');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^OK +tenant-a: 2 entries$/m);
    assert.match(result.stdout, /^OK +tenant-b: 1 entry$/m);
    assert.match(result.stdout, /^OK +platform: 0 entries$/m);
  });

  test('exits 1 naming the first broken entry after tampering; --tenant checks only that tenant', async () => {
    const [, second] = await auditRows(t, t.tenantA.id);
    assert.ok(second);
    await tamper(t, `UPDATE audit_event SET data = '{"product": {"name": "Forged"}}' WHERE tenant_id = $1 AND seq = 2`, [t.tenantA.id]);

    const all = await plinth('audit', 'verify');
    assert.equal(all.code, 1, all.stderr);
    assert.match(all.stdout, new RegExp(`^BROKEN +tenant-a: entry seq 2 \\(id ${second.id}\\): its hash does not match`, 'm'));
    assert.match(all.stdout, /^OK +tenant-b: 1 entry$/m);
    assert.match(all.stderr, /The audit chain of 1 of \d+ tenant\(s\) is broken/);

    const onlyB = await plinth('audit', 'verify', '--tenant', 'tenant-b');
    assert.equal(onlyB.code, 0, onlyB.stderr);
    assert.equal(onlyB.stdout.trim(), 'OK      tenant-b: 1 entry');

    const onlyA = await plinth('audit', 'verify', '--tenant', 'tenant-a');
    assert.equal(onlyA.code, 1);
  });

  test('an unknown tenant or subcommand exits 2 with a message', async () => {
    const unknown = await plinth('audit', 'verify', '--tenant', 'no-such-tenant');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No tenant has the slug "no-such-tenant"/);
    const wrong = await plinth('audit', 'check');
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /Usage: plinth audit verify/);
  });
});
