import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defineModule } from '../../../../src/kernel/module/index.ts';
import { startTestApp, type TestApp } from '../../../support/app.ts';
import { customRole, memberWithRoles } from '../../../support/members.ts';

const COST_READ = 'catalog.product_cost.read';
type Json = Record<string, unknown>;

describe('field-level rules (product cost)', () => {
  let t: TestApp;
  let owner: Record<string, string>;
  let productId: string;
  const productCount = async () => Number((await t.database.pool.query('SELECT count(*) FROM catalog_product')).rows[0].count);

  before(async () => {
    t = await startTestApp();
    owner = await t.headersFor('tenant-a');
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/catalog/products',
      headers: owner,
      payload: { name: 'Oat latte', sku: 'OAT-1', priceMinor: 450, currency: 'EUR', costMinor: 120 },
    });
    assert.equal(created.statusCode, 201, created.body);
    productId = (created.json() as { data: { id: string } }).data.id;
  });
  after(() => t.close());

  const asRole = async (permissions: string[]) => (await memberWithRoles(t, t.tenantA, [await customRole(t, 'tenant-a', permissions)])).headers;

  test('the owner sees and sets the cost', async () => {
    const one = (await t.app.inject({ url: `/v1/catalog/products/${productId}`, headers: owner })).json() as { data: Json };
    assert.equal(one.data.costMinor, 120);
    const page = await t.app.inject({ url: '/catalog/products', headers: owner });
    assert.match(page.body, /Unit cost/);
    assert.match(page.body, /1\.20/);
  });

  test('without the read permission the cost is left out of single items, lists and pages', async () => {
    const cashier = await asRole(['catalog.product.read']);
    const one = (await t.app.inject({ url: `/v1/catalog/products/${productId}`, headers: cashier })).json() as { data: Json };
    assert.equal(one.data.name, 'Oat latte');
    assert.ok(!('costMinor' in one.data), JSON.stringify(one.data));
    const list = (await t.app.inject({ url: '/v1/catalog/products', headers: cashier })).json() as { data: Json[] };
    assert.ok(list.data.length > 0);
    for (const item of list.data) assert.ok(!('costMinor' in item));
    const page = await t.app.inject({ url: '/catalog/products', headers: cashier });
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /Unit cost|1\.20/);
    const edit = await t.app.inject({ url: `/catalog/products/${productId}/edit`, headers: cashier });
    assert.doesNotMatch(edit.body, /name="cost"|1\.20/);
  });

  test('read without write shows the cost but refuses to set it, and nothing is written', async () => {
    const accountant = await asRole(['catalog.product.read', 'catalog.product.write', COST_READ]);
    const one = (await t.app.inject({ url: `/v1/catalog/products/${productId}`, headers: accountant })).json() as { data: Json };
    assert.equal(one.data.costMinor, 120);
    const before_ = await productCount();
    const create = await t.app.inject({
      method: 'POST',
      url: '/v1/catalog/products',
      headers: accountant,
      payload: { name: 'Flat white', sku: 'FW-1', priceMinor: 400, currency: 'EUR', costMinor: 90 },
    });
    assert.equal(create.statusCode, 403, create.body);
    assert.deepEqual((create.json() as { error: Json }).error.details, { reason: 'FIELD_FORBIDDEN', fields: ['costMinor'] });
    const patch = await t.app.inject({ method: 'PATCH', url: `/v1/catalog/products/${productId}`, headers: accountant, payload: { costMinor: null } });
    assert.equal(patch.statusCode, 403, patch.body);
    assert.equal(await productCount(), before_);
    const still = (await t.app.inject({ url: `/v1/catalog/products/${productId}`, headers: owner })).json() as { data: Json };
    assert.equal(still.data.costMinor, 120);
    const allowed = await t.app.inject({ method: 'PATCH', url: `/v1/catalog/products/${productId}`, headers: accountant, payload: { priceMinor: 470 } });
    assert.equal(allowed.statusCode, 200, allowed.body);
    assert.equal((allowed.json() as { data: Json }).data.costMinor, 120, 'other fields change; the cost stays');
    const form = await t.app.inject({ url: `/catalog/products/${productId}/edit`, headers: accountant });
    assert.doesNotMatch(form.body, /name="cost"/, 'shown read-only, not as an input');
    assert.match(form.body, /Unit cost: <strong>1\.20<\/strong>/);
  });

  test('a crafted form post setting the cost without the write permission is refused', async () => {
    const writer = await asRole(['catalog.product.read', 'catalog.product.write']);
    const form = { name: 'Mocha', sku: 'MOCHA-1', price: '5.00', currency: 'EUR', active: 'true', cost: '1.00' };
    const refused = await t.app.inject({ method: 'POST', url: '/catalog/products', headers: writer, payload: form });
    assert.equal(refused.statusCode, 403, refused.body);
    const { cost: _cost, ...withoutCost } = form;
    const saved = await t.app.inject({ method: 'POST', url: '/catalog/products', headers: writer, payload: withoutCost });
    assert.equal(saved.statusCode, 303, saved.body);
    const costs = await t.database.pool.query("SELECT cost_minor FROM catalog_product WHERE sku = 'MOCHA-1'");
    assert.deepEqual(costs.rows, [{ cost_minor: null }]);
  });

  test('the owner sets and clears the cost through the form', async () => {
    const form = { name: 'Chai', sku: 'CHAI-1', price: '4.00', currency: 'EUR', active: 'true', cost: '0.85' };
    assert.equal((await t.app.inject({ method: 'POST', url: '/catalog/products', headers: owner, payload: form })).statusCode, 303);
    const row = await t.database.pool.query("SELECT id, cost_minor FROM catalog_product WHERE sku = 'CHAI-1'");
    assert.equal(Number(row.rows[0].cost_minor), 85);
    const bad = await t.app.inject({ method: 'POST', url: `/catalog/products/${row.rows[0].id}`, headers: owner, payload: { ...form, cost: '-1' } });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /not negative/);
    const cleared = await t.app.inject({ method: 'POST', url: `/catalog/products/${row.rows[0].id}`, headers: owner, payload: { ...form, cost: '' } });
    assert.equal(cleared.statusCode, 303);
    assert.equal((await t.database.pool.query("SELECT cost_minor FROM catalog_product WHERE sku = 'CHAI-1'")).rows[0].cost_minor, null);
  });

  test('a module cannot declare a field rule over a permission it does not declare', () => {
    assert.throws(
      () => defineModule({ id: 'demo', permissions: [{ key: 'demo.thing.read', description: 'x' }], fieldRules: [{ resource: 'demo.thing', field: 'secret', read: 'demo.thing.read', write: 'demo.secret.write' }] }),
      /undeclared permission demo\.secret\.write/,
    );
  });
});
