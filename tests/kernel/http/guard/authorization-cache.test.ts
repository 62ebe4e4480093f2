import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../support/app.ts';
import { memberWithRoles } from '../../../support/members.ts';

/**
 * The guard caches a member's permissions; these changes are made behind the services' back (raw
 * SQL as the database owner), so only the access_version triggers can make them count — on the
 * very next request.
 */
describe('cached permissions never outlive a change', () => {
  let t: TestApp;
  let cashier: Record<string, string>;
  const sql = (text: string, params: unknown[] = []) => t.database.pool.query(text, params);
  const products = () => t.app.inject({ url: '/v1/catalog/products', headers: cashier });

  before(async () => {
    t = await startTestApp();
    cashier = (await memberWithRoles(t, t.tenantA, ['cashier'])).headers;
  });
  after(() => t.close());

  test("a role's permissions changed in the database", async () => {
    assert.equal((await products()).statusCode, 200);
    assert.equal((await products()).statusCode, 200, 'served from the cache');
    await sql("UPDATE access_role SET permissions = '{}' WHERE tenant_id = $1 AND key = 'cashier'", [t.tenantA.id]);
    assert.equal((await products()).statusCode, 403);
    await sql("UPDATE access_role SET permissions = '{catalog.product.read}' WHERE tenant_id = $1 AND key = 'cashier'", [t.tenantA.id]);
    assert.equal((await products()).statusCode, 200);
  });

  test("a module switched off, the business's edition changed, a membership suspended, the business suspended", async () => {
    assert.equal((await products()).statusCode, 200);
    await sql("INSERT INTO tenant_module_toggle (tenant_id, module_id, enabled) VALUES ($1, 'catalog', false)", [t.tenantA.id]);
    assert.equal((await products()).statusCode, 404, 'a module switched off looks missing');
    await sql("DELETE FROM tenant_module_toggle WHERE tenant_id = $1 AND module_id = 'catalog'", [t.tenantA.id]);
    assert.equal((await products()).statusCode, 200);

    await sql("UPDATE tenant SET edition = 'no-such-edition' WHERE id = $1", [t.tenantA.id]);
    assert.equal((await products()).statusCode, 404, 'a module outside the edition looks missing');
    await sql("UPDATE tenant SET edition = 'retail' WHERE id = $1", [t.tenantA.id]);
    assert.equal((await products()).statusCode, 200);

    const cashierId = (await sql("SELECT m.user_id FROM tenant_member_role m JOIN access_role r ON r.id = m.role_id WHERE m.tenant_id = $1 AND r.key = 'cashier' LIMIT 1", [t.tenantA.id])).rows[0].user_id;
    await sql("UPDATE tenant_member SET status = 'suspended' WHERE tenant_id = $1 AND user_id = $2", [t.tenantA.id, cashierId]);
    assert.equal((await products()).statusCode, 403);
    await sql("UPDATE tenant_member SET status = 'active' WHERE tenant_id = $1 AND user_id = $2", [t.tenantA.id, cashierId]);
    assert.equal((await products()).statusCode, 200);

    await sql("UPDATE tenant SET status = 'suspended' WHERE id = $1", [t.tenantA.id]);
    assert.equal((await products()).statusCode, 403);
    await sql("UPDATE tenant SET status = 'active' WHERE id = $1", [t.tenantA.id]);
    assert.equal((await products()).statusCode, 200);
  });

  test("the business's new name shows at once; another business's changes do not touch this one's version", async () => {
    const versionOf = async (id: string) => Number((await sql('SELECT access_version FROM tenant WHERE id = $1', [id])).rows[0].access_version);
    const before_ = await versionOf(t.tenantA.id);
    await sql("UPDATE access_role SET name = 'Till staff' WHERE tenant_id = $1 AND key = 'cashier'", [t.tenantB.id]);
    assert.equal(await versionOf(t.tenantA.id), before_);
    await sql("UPDATE tenant SET name = 'Renamed A' WHERE id = $1", [t.tenantA.id]);
    const browser = await t.browserFor('tenant-a');
    const page = await t.app.inject({ url: '/catalog/products', headers: { cookie: browser.cookie } });
    assert.match(page.body, /Renamed A/);
  });
});
