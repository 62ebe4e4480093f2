import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { withTenantTx } from '../../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../../support/app.ts';

const newProduct = (sku: string) => ({ name: `Product ${sku}`, sku, priceMinor: 100, currency: 'EUR' });

describe('guard: CSRF for cookies, not for bearer tokens', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('a cookie-authenticated POST without the CSRF token is refused, the same POST with a bearer token is not', async () => {
    const browser = await t.browserFor('tenant-a');
    const withoutToken = await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: { cookie: browser.cookie }, payload: newProduct('CSRF-1') });
    assert.equal(withoutToken.statusCode, 403);
    assert.equal(withoutToken.statusCode, 403, withoutToken.body);
    assert.equal((withoutToken.json() as { error: { details: { reason: string } } }).error.details.reason, 'CSRF');
    const recorded = await t.database.pool.query("SELECT count(*)::int AS count FROM security_event WHERE kind = 'csrf_rejected'");
    assert.equal(recorded.rows[0].count, 1, 'the denial is a security event');
    const withToken = await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken }, payload: newProduct('CSRF-2') });
    assert.equal(withToken.statusCode, 201, withToken.body);
    const bearer = await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: await t.headersFor('tenant-a'), payload: newProduct('CSRF-3') });
    assert.equal(bearer.statusCode, 201, bearer.body);
    const skus = (await t.database.pool.query("SELECT sku FROM catalog_product WHERE sku LIKE 'CSRF-%' ORDER BY sku")).rows.map((row) => row.sku);
    assert.deepEqual(skus, ['CSRF-2', 'CSRF-3']);
  });

  test('a cookie POST from another origin is refused even with a valid token', async () => {
    const browser = await t.browserFor('tenant-a');
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/catalog/products',
      headers: { cookie: browser.cookie, 'x-csrf-token': browser.csrfToken, origin: 'https://evil.example' },
      payload: newProduct('CSRF-4'),
    });
    assert.equal(response.statusCode, 403);
  });

  test('pages let browsers name their origin on form posts, and upgrade to https only where the site is https', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/sign-in' });
    // Under no-referrer a browser posts forms with `Origin: null`, which the origin check refuses.
    assert.equal(response.headers['referrer-policy'], 'same-origin');
    assert.doesNotMatch(String(response.headers['content-security-policy']), /upgrade-insecure-requests/, 'the test app has no https PUBLIC_URL');
  });
});

describe('row-level security through the app role', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    for (const [slug, sku] of [['tenant-a', 'RLS-A'], ['tenant-b', 'RLS-B']] as const)
      assert.equal((await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: await t.headersFor(slug), payload: newProduct(sku) })).statusCode, 201);
  });
  after(() => t.close());

  test('a raw select with no tenant filter returns only the current tenant’s rows; with no tenant, none', async () => {
    const skus = await withTenantTx({ db: t.app.db, tenantId: t.tenantA.id }, (uow) => uow.tx.execute<{ sku: string }>(sql`SELECT sku FROM catalog_product ORDER BY sku`));
    assert.deepEqual(skus.rows.map((row) => row.sku), ['RLS-A']);
    const none = await t.app.db.execute<{ count: number }>(sql`SELECT count(*)::int AS count FROM catalog_product`);
    assert.equal(none.rows[0]?.count, 0);
    const all = await t.database.pool.query('SELECT count(*)::int AS count FROM catalog_product');
    assert.equal(all.rows[0].count, 2, 'the owner sees both (the rows exist)');
  });

  test('writing a row into another tenant is refused by the policy', async () => {
    await assert.rejects(
      withTenantTx({ db: t.app.db, tenantId: t.tenantA.id }, (uow) =>
        uow.tx.execute(sql`INSERT INTO catalog_product (tenant_id, name, sku, price_minor, currency) VALUES (${t.tenantB.id}, 'Sneaky', 'SNEAK-1', 1, 'EUR')`),
      ),
      (error: Error) => /row-level security/.test(String((error as Error & { cause?: unknown }).cause ?? error)),
    );
  });

  test('every table with a tenant_id forces row-level security', async () => {
    const { rows } = await t.database.pool.query(`
      SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)`);
    assert.ok(rows.length >= 10, `${rows.length} tenant tables`);
    for (const row of rows) assert.ok(row.relrowsecurity && row.relforcerowsecurity, `${row.relname} must force row-level security`);
  });
});
