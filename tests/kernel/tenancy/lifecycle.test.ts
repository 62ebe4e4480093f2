import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { withTx } from '../../../src/kernel/db/index.ts';
import { canChangeTenantStatus, changeTenantStatus, TENANT_STATUSES } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';

describe('tenant lifecycle', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());
  const change = (to: (typeof TENANT_STATUSES)[number]) => withTx(t.database.db, (tx) => changeTenantStatus(tx, t.tenantA.id, to));

  test('the allowed moves: approve or reject a pending business, suspend and resume, close for good', () => {
    const allowed = TENANT_STATUSES.flatMap((from) => TENANT_STATUSES.filter((to) => canChangeTenantStatus(from, to)).map((to) => `${from}→${to}`));
    assert.deepEqual(allowed, ['pending→active', 'pending→closed', 'active→suspended', 'active→closed', 'suspended→active', 'suspended→closed']);
  });

  test('suspension blocks the business but keeps its data; resuming restores access; closing is final', async () => {
    const headers = await t.headersFor('tenant-a');
    const created = await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers, payload: { name: 'Kept', sku: 'KEEP-1', priceMinor: 100, currency: 'EUR' } });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(await change('suspended'), { from: 'active', to: 'suspended', changed: true });
    const blocked = await t.app.inject({ url: '/v1/catalog/products', headers });
    assert.equal(blocked.statusCode, 403);
    assert.equal((blocked.json() as { error: { details: { reason: string } } }).error.details.reason, 'TENANT_INACTIVE');
    assert.equal(Number((await t.database.pool.query("SELECT count(*) FROM catalog_product WHERE sku = 'KEEP-1'")).rows[0].count), 1, 'data kept');
    assert.equal((await change('suspended')).changed, false, 'same status is a no-op');
    await change('active');
    assert.equal((await t.app.inject({ url: '/v1/catalog/products', headers })).statusCode, 200);
    await change('closed');
    await assert.rejects(change('active'), (error: Error & { code?: string }) => error.code === 'CONFLICT' && /closed business cannot become active/.test(error.message));
  });
});
