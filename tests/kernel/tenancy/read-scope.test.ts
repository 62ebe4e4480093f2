import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { withTenantRead, withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';

const newProduct = (sku: string) => ({ name: `Product ${sku}`, sku, priceMinor: 100, currency: 'EUR' });
const causeOf = (error: unknown) => String((error as Error & { cause?: unknown }).cause ?? error);

describe('withTenantRead: one round trip per statement, scoped and read-only', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    for (const [slug, sku] of [['tenant-a', 'READ-A'], ['tenant-b', 'READ-B']] as const)
      assert.equal((await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: await t.headersFor(slug), payload: newProduct(sku) })).statusCode, 201);
  });
  after(() => t.close());

  const skusOf = (tenantId: string) =>
    withTenantRead({ db: t.app.db, tenantId }, async (read) => (await read.tx.execute<{ sku: string }>(sql`SELECT sku FROM catalog_product ORDER BY sku`)).rows.map((row) => row.sku));

  test('a select with no tenant filter sees only the scope’s tenant, with or without parameters, statement after statement', async () => {
    assert.deepEqual(await skusOf(t.tenantA.id), ['READ-A']);
    assert.deepEqual(await skusOf(t.tenantB.id), ['READ-B']);
    const both = await withTenantRead({ db: t.app.db, tenantId: t.tenantA.id }, async (read) => [
      (await read.tx.execute<{ sku: string }>(sql`SELECT sku FROM catalog_product WHERE sku LIKE ${'READ-%'}`)).rows,
      (await read.tx.execute<{ sku: string }>(sql`SELECT sku FROM catalog_product WHERE sku = ${'READ-B'}`)).rows,
      (await read.tx.execute<{ tenant: string }>(sql`SELECT current_setting('app.tenant_id', true) AS tenant`)).rows,
    ]);
    assert.deepEqual(both, [[{ sku: 'READ-A' }], [], [{ tenant: t.tenantA.id }]]);
  });

  test('no connection keeps the scope after the read', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, index) => skusOf(index % 2 ? t.tenantA.id : t.tenantB.id)));
    const settings = await Promise.all(
      Array.from({ length: 30 }, async () => (await t.app.db.execute<{ tenant: string | null; count: number }>(sql`SELECT current_setting('app.tenant_id', true) AS tenant, (SELECT count(*)::int FROM catalog_product) AS count`)).rows[0]),
    );
    for (const setting of settings) assert.deepEqual({ ...setting, tenant: setting?.tenant || null }, { tenant: null, count: 0 });
  });

  test('a write inside a read is refused and leaves nothing behind', async () => {
    await assert.rejects(
      withTenantRead({ db: t.app.db, tenantId: t.tenantA.id }, (read) =>
        read.tx.execute(sql`INSERT INTO catalog_product (tenant_id, name, sku, price_minor, currency) VALUES (${t.tenantA.id}, 'Written', 'READ-W', 1, 'EUR')`),
      ),
      (error) => /read-only transaction/.test(causeOf(error)),
    );
    assert.deepEqual(await skusOf(t.tenantA.id), ['READ-A']);
  });

  test('a statement that fails leaves its connection usable, and a scope that fails runs no statement', async () => {
    for (let attempt = 0; attempt < 8; attempt++)
      await assert.rejects(
        withTenantRead({ db: t.app.db, tenantId: t.tenantA.id }, (read) => read.tx.execute(sql`SELECT no_such_column FROM catalog_product WHERE sku = ${'x'}`)),
        (error) => /no_such_column/.test(causeOf(error)),
      );
    await assert.rejects(skusOf('not-a-uuid'), (error) => /uuid/.test(causeOf(error)));
    assert.deepEqual(await skusOf(t.tenantA.id), ['READ-A']);
    const values = await Promise.all(Array.from({ length: 12 }, (_, index) => withTenantRead({ db: t.app.db, tenantId: t.tenantA.id }, async (read) => (await read.tx.execute<{ n: number }>(sql`SELECT ${index}::int AS n`)).rows[0]?.n)));
    assert.deepEqual(values, Array.from({ length: 12 }, (_, index) => index));
  });

  test('inside a transaction the read runs in it, in the tenant’s scope', async () => {
    const skus = await withTenantTx({ db: t.app.db, tenantId: t.tenantB.id }, (uow) =>
      withTenantRead({ db: uow.tx as unknown as typeof t.app.db, tenantId: t.tenantA.id }, async (read) => (await read.tx.execute<{ sku: string }>(sql`SELECT sku FROM catalog_product`)).rows.map((row) => row.sku)),
    );
    assert.deepEqual(skus, ['READ-A']);
  });
});
