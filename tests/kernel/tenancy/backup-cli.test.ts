import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyAuditChain } from '../../../src/kernel/audit/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { runPlinth } from '../../support/cli.ts';
import { createProductVia } from '../../support/catalog.ts';

describe('plinth backup export / restore', { timeout: 180_000 }, () => {
  let t: TestApp;
  let dir: string;

  before(async () => {
    t = await startTestApp();
    dir = await mkdtemp(path.join(os.tmpdir(), 'plinth-backup-cli-'));
    await createProductVia(t, 'tenant-a', { name: 'One', sku: 'CLI-1' });
    await createProductVia(t, 'tenant-b', { name: 'Other', sku: 'CLI-2' });
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  const plinth = (...args: string[]) => runPlinth(t.database.url, dir, ...args);

  test('exports a business, restores it into a new one that checks out, and refuses a damaged file', async () => {
    const file = path.join(dir, 'tenant-a.jsonl.gz');
    const exported = await plinth('backup', 'export', '--tenant', 'tenant-a', '--out', file);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /^Backed up tenant-a: \d+ rows in \d+ tables, \d+ bytes, sha256 [0-9a-f]{64}$/m);

    const restored = await plinth('backup', 'restore', file, '--slug', 'tenant-a-cli', '--name', 'A from the CLI');
    assert.equal(restored.code, 0, restored.stderr);
    assert.match(restored.stdout, /Checked: every table matches the backup; the audit chain verifies/);
    const { rows } = await t.database.pool.query<{ id: string; status: string }>("SELECT id, status FROM tenant WHERE slug = 'tenant-a-cli'");
    assert.equal(rows[0]?.status, 'suspended');
    const products = await t.database.pool.query<{ sku: string }>('SELECT sku FROM catalog_product WHERE tenant_id = $1', [rows[0]?.id]);
    assert.deepEqual(products.rows.map((row) => row.sku), ['CLI-1']);
    assert.equal((await verifyAuditChain(t.app.db, rows[0]?.id as string)).ok, true);

    const again = await plinth('backup', 'restore', file, '--slug', 'tenant-a-cli');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^The address tenant-a-cli is taken; restore again under another\.$/m);

    await appendFile(file, Buffer.from([1, 2, 3]));
    const refused = await plinth('backup', 'restore', file, '--slug', 'tenant-a-damaged');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /backup file/i);
    assert.equal((await t.database.pool.query("SELECT 1 FROM tenant WHERE slug = 'tenant-a-damaged'")).rowCount, 0);

    assert.equal((await plinth('backup', 'export', '--tenant', 'tenant-a')).code, 2, 'usage without --out');
  });
});
