import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import canonicalize from 'canonicalize';
import { recordAudit, verifyAuditChain } from '../../../src/kernel/audit/index.ts';
import { withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { api, createProductVia, PRODUCTS_URL } from '../../support/catalog.ts';
import { appendEntries, auditRows, contextFor, entry, freshTenant, type AuditRow } from './support.ts';

const ZEROS = '0'.repeat(64);

/** The documented formula, computed here independently of the module: sha256(prev_hash || JCS(entry)). */
function expectedHash(row: AuditRow): string {
  const { hash: _hash, ...entryFields } = row;
  return createHash('sha256')
    .update(row.prev_hash + (canonicalize(entryFields) as string))
    .digest('hex');
}

function assertLinked(rows: AuditRow[]): void {
  rows.forEach((row, index) => {
    assert.equal(row.seq, index + 1, 'seq counts 1, 2, 3…');
    assert.equal(row.prev_hash, index === 0 ? ZEROS : rows[index - 1]?.hash, `prev_hash of seq ${row.seq}`);
    assert.match(row.hash, /^[0-9a-f]{64}$/);
    assert.equal(row.hash, expectedHash(row), `hash of seq ${row.seq}`);
  });
}

describe('audit chain', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test("each tenant's chain starts at seq 1 with 64 zeros and grows on its own", async () => {
    const a = await freshTenant(t);
    const b = await freshTenant(t);
    await appendEntries(contextFor(t, a.id), [entry('test.thing.made', 'a1'), entry('test.thing.made', 'a2')]);
    await appendEntries(contextFor(t, b.id), [entry('test.thing.made', 'b1')]);
    await appendEntries(contextFor(t, a.id), [entry('test.thing.made', 'a3')]);

    const rowsA = await auditRows(t, a.id);
    const rowsB = await auditRows(t, b.id);
    assert.deepEqual(rowsA.map((row) => row.target_id), ['a1', 'a2', 'a3']);
    assert.deepEqual(rowsB.map((row) => row.target_id), ['b1']);
    assertLinked(rowsA);
    assertLinked(rowsB);
    assert.deepEqual(await verifyAuditChain(t.app.db, a.id), { ok: true, entries: 3 });
    assert.deepEqual(await verifyAuditChain(t.app.db, b.id), { ok: true, entries: 1 });
  });

  test('an entry records who, what, which target, the request and the data; occurred_at keeps microseconds', async () => {
    const tenant = await freshTenant(t);
    const ctx = contextFor(t, tenant.id, { kind: 'user', userId: '11111111-1111-4111-8111-111111111111', sessionId: 's' });
    const data = { changes: { price: { before: 100, after: 120 } }, note: 'ünïcødé ✓', nested: { z: 1, a: [true, null, 0.5] } };
    const [recorded] = await appendEntries(ctx, [{ action: 'test.price.changed', target: { type: 'test.price', id: 'p-1' }, data }]);
    const [row] = await auditRows(t, tenant.id);
    assert.ok(row && recorded);
    assert.equal(row.id, recorded.id);
    assert.equal(row.actor, 'user:11111111-1111-4111-8111-111111111111');
    assert.equal(row.action, 'test.price.changed');
    assert.equal(row.target_type, 'test.price');
    assert.equal(row.target_id, 'p-1');
    assert.equal(row.request_id, ctx.requestId);
    assert.deepEqual(row.data, data);
    assert.match(row.occurred_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    assert.ok(Math.abs(Date.parse(row.occurred_at) - Date.now()) < 60_000, row.occurred_at);
  });

  test('an action that is not module.resource.verb is refused by the table', async () => {
    const tenant = await freshTenant(t);
    await assert.rejects(appendEntries(contextFor(t, tenant.id), [entry('Not An Action', 'x')]));
    assert.deepEqual(await auditRows(t, tenant.id), []);
  });

  test('a rolled-back transaction leaves no audit row, and the chain goes on from the last committed entry', async () => {
    const tenant = await freshTenant(t);
    const ctx = contextFor(t, tenant.id);
    await appendEntries(ctx, [entry('test.thing.made', 'kept')]);
    await assert.rejects(
      withTenantTx(ctx, async (uow) => {
        recordAudit(uow, entry('test.thing.made', 'rolled-back'));
        throw new Error('the use case fails after recording');
      }),
      /the use case fails/,
    );
    await appendEntries(ctx, [entry('test.thing.made', 'after')]);
    const rows = await auditRows(t, tenant.id);
    assert.deepEqual(rows.map((row) => [row.seq, row.target_id]), [[1, 'kept'], [2, 'after']]);
    assertLinked(rows);
  });

  test('recordAudit refuses to write into another tenant than the transaction is scoped to', async () => {
    const mine = await freshTenant(t);
    const other = await freshTenant(t);
    await assert.rejects(withTenantTx(contextFor(t, mine.id), async (uow) => recordAudit({ ...uow, tenantId: other.id }, entry('test.thing.made', 'x'))));
    assert.deepEqual(await auditRows(t, other.id), []);
  });

  test('20 writers of one tenant at once make a gapless chain that verifies', async () => {
    const tenant = await freshTenant(t);
    const ctx = contextFor(t, tenant.id);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) => withTenantTx(ctx, async (uow) => recordAudit(uow, entry('test.thing.made', `p${index}`)))),
    );
    assert.deepEqual(results.filter((result) => result.status === 'rejected'), []);
    const rows = await auditRows(t, tenant.id);
    assert.equal(rows.length, 20);
    assertLinked(rows);
    assert.equal(new Set(rows.map((row) => row.target_id)).size, 20);
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), { ok: true, entries: 20 });
  });
});

describe('catalog writes audit entries in their own transaction', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('create, update (changed fields only), archive, restore; idempotent and failed calls add nothing', async () => {
    const product = await createProductVia(t, 'tenant-a', { name: 'Hammer', sku: 'AUD-1', priceMinor: 1000 });
    const patched = await api(t, 'tenant-a', 'PATCH', `${PRODUCTS_URL}/${product.id}`, { priceMinor: 1200, name: 'Hammer' });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal((await api(t, 'tenant-a', 'POST', `${PRODUCTS_URL}/${product.id}/archive`)).statusCode, 200);
    assert.equal((await api(t, 'tenant-a', 'POST', `${PRODUCTS_URL}/${product.id}/archive`)).statusCode, 200, 'archiving again is a no-op');
    assert.equal((await api(t, 'tenant-a', 'POST', `${PRODUCTS_URL}/${product.id}/restore`)).statusCode, 200);
    const duplicate = await api(t, 'tenant-a', 'POST', PRODUCTS_URL, { name: 'Other', sku: 'aud-1', priceMinor: 1, currency: 'EUR' });
    assert.equal(duplicate.statusCode, 409, 'a refused create rolls back with no audit entry');

    const rows = await auditRows(t, t.tenantA.id);
    assert.deepEqual(
      rows.map((row) => [row.action, row.target_type, row.target_id]),
      [
        ['catalog.product.created', 'catalog.product', product.id],
        ['catalog.product.updated', 'catalog.product', product.id],
        ['catalog.product.archived', 'catalog.product', product.id],
        ['catalog.product.restored', 'catalog.product', product.id],
      ],
    );
    const [created, updated, archived, restored] = rows;
    assert.deepEqual(created?.data, { product: { name: 'Hammer', sku: 'AUD-1', priceMinor: 1000, currency: 'EUR', costMinor: null, active: true, barcode: null, category: null } });
    assert.deepEqual(updated?.data, { changes: { priceMinor: { before: 1000, after: 1200 } } }, 'the unchanged name is not listed');
    const archivedAt = (archived?.data.changes as { archivedAt: { before: unknown; after: string } }).archivedAt;
    assert.equal(archivedAt.before, null);
    assert.match(archivedAt.after, /^\d{4}-\d{2}-\d{2}T/);
    assert.deepEqual(restored?.data, { changes: { archivedAt: { before: archivedAt.after, after: null } } });
    assert.equal(created?.actor, `api:${(await t.ownerOf('tenant-a')).userId}`, 'the signed-in actor is recorded');
    assertLinked(rows);
    assert.equal(await auditRows(t, t.tenantB.id).then((b) => b.length), 0, "tenant B's chain is untouched");
  });

  test('20 parallel product creates through the API make a gapless chain that verifies', async () => {
    const tenant = t.tenantB;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        api(t, tenant.slug, 'POST', PRODUCTS_URL, { name: `Parallel ${index}`, sku: `PAR-${index}`, priceMinor: 100, currency: 'EUR' }),
      ),
    );
    assert.deepEqual(responses.map((response) => response.statusCode), Array<number>(20).fill(201));
    const rows = await auditRows(t, tenant.id);
    assert.equal(rows.length, 20);
    assertLinked(rows);
    const ids = new Set(responses.map((response) => (response.json() as { data: { id: string } }).data.id));
    assert.deepEqual(new Set(rows.map((row) => row.target_id)), ids);
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), { ok: true, entries: 20 });
  });
});
