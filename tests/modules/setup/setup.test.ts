import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { nextDocumentNumber } from '../../../src/modules/setup/index.ts';
import { cookieFrom } from '../../support/app.ts';
import { SETUP, startSingleApp, type SingleApp } from './support.ts';

const FORM = 'application/x-www-form-urlencoded';

describe('single mode: first-run setup', () => {
  let s: SingleApp;
  let code: string;
  before(async () => {
    s = await startSingleApp();
    code = s.plan.setupGate?.code ?? assert.fail('single mode has a setup gate');
  });
  after(() => s.close());

  const post = (body: unknown) => s.app.inject({ method: 'POST', url: '/v1/setup', payload: body as Record<string, unknown> });
  const businesses = async () => Number((await s.owner.pool.query("SELECT count(*) FROM tenant WHERE slug <> 'platform'")).rows[0].count);

  test('the console, sign-up and billing answer exactly as a missing route does', async () => {
    const missing = await s.app.inject({ method: 'GET', url: '/v1/no-such-thing' });
    for (const url of ['/console/tenants', '/signup', '/billing', '/v1/billing/subscription']) {
      const response = await s.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 404, url);
      assert.deepEqual(response.json(), { ...missing.json(), error: { ...missing.json().error, message: response.json().error.message } }, url);
    }
    const signup = await s.app.inject({ method: 'POST', url: '/v1/platform/signups', payload: {} });
    assert.equal(signup.statusCode, 404);
  });

  test('the API, its OpenAPI document and docs are served as in hosted mode', async () => {
    const openapi = await s.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(openapi.statusCode, 200);
    const paths = Object.keys(openapi.json().paths as Record<string, unknown>);
    assert.ok(paths.includes('/v1/setup') && paths.includes('/v1/catalog/products'), 'the setup and business APIs are documented');
    assert.ok(!paths.some((url) => url.startsWith('/v1/platform') || url.startsWith('/v1/billing')), 'no console or billing API');
  });

  test('while no business exists, /setup shows the wizard and the API says setup is needed', async () => {
    assert.deepEqual((await s.app.inject({ method: 'GET', url: '/v1/setup' })).json(), { data: { needed: true } });
    const page = await s.app.inject({ method: 'GET', url: '/setup' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Code from the server console/);
  });

  test('a wrong code is refused and creates nothing, from the API and from the page', async () => {
    const response = await post({ code: 'AAAA-BBBB-CCCC', setup: SETUP });
    assert.equal(response.statusCode, 403, response.body);
    assert.equal(response.json().error.details.reason, 'SETUP_CODE_WRONG');

    const form = await s.app.inject({ method: 'GET', url: '/setup' });
    const csrf = cookieFrom(form, 'plinth_csrf') as string;
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] as string;
    const fields = { _csrf: token, code: 'WRONG-CODE', businessName: 'X Shop', slug: 'x-shop', timeZone: 'UTC', adminName: 'X', adminEmail: 'x@x-shop.example', adminPassword: SETUP.adminPassword, currency: 'EUR', pricesIncludeTax: 'on', taxCode0: 'STD', taxLabel0: 'Standard', taxPercent0: '21', defaultTaxCode: 'STD', receiptPrefix: 'R', invoicePrefix: 'INV' };
    const page = await s.app.inject({ method: 'POST', url: '/setup', headers: { 'content-type': FORM, cookie: csrf }, payload: new URLSearchParams(fields).toString() });
    assert.equal(page.statusCode, 403, page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 1500));
    assert.match(page.body, /not the one the server printed/);
    assert.equal(await businesses(), 0);
  });

  test('the password policy applies to the first administrator (and nothing is created)', async () => {
    const response = await post({ code, setup: { ...SETUP, adminPassword: 'password123' } });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().error.details.field, 'adminPassword');
    assert.equal(await businesses(), 0);
    assert.equal((await s.owner.pool.query('SELECT count(*) FROM app_user WHERE email = $1', [SETUP.adminEmail])).rows[0].count, 0);
  });

  test('the right code sets up the business, its administrator, roles, defaults and folders in one audited step', async () => {
    const response = await post({ code, setup: SETUP });
    assert.equal(response.statusCode, 201, response.body);
    const { tenantId, adminUserId, roles, folders } = response.json().data;
    assert.deepEqual([...roles].sort(), ['accountant', 'auditor', 'cashier', 'manager', 'owner']);
    const roleRows = await s.owner.pool.query('SELECT key, name FROM access_role WHERE tenant_id = $1 ORDER BY key', [tenantId]);
    assert.ok(roleRows.rows.some((row: { key: string; name: string }) => row.key === 'owner' && row.name === 'Super admin'), 'the owner role is the super admin');
    const seated = await s.owner.pool.query('SELECT r.key FROM tenant_member_role m JOIN access_role r ON r.tenant_id = m.tenant_id AND r.id = m.role_id WHERE m.tenant_id = $1 AND m.user_id = $2', [tenantId, adminUserId]);
    assert.deepEqual(seated.rows, [{ key: 'owner' }]);
    const defaults = await s.owner.pool.query('SELECT currency, receipt_prefix, invoice_prefix, default_tax_code, tax_rates FROM setup_business_defaults WHERE tenant_id = $1', [tenantId]);
    assert.deepEqual(defaults.rows[0], { currency: 'EUR', receipt_prefix: 'CH', invoice_prefix: 'CHI', default_tax_code: 'STD', tax_rates: SETUP.taxRates });
    const audit = await s.owner.pool.query("SELECT data FROM audit_event WHERE tenant_id = $1 AND action = 'setup.install.completed'", [tenantId]);
    assert.equal(audit.rowCount, 1);
    assert.ok(!JSON.stringify(audit.rows[0].data).includes(SETUP.adminPassword), 'the password is not audited');
    assert.deepEqual(folders.map((folder: { name: string }) => folder.name).sort(), ['backups', 'exports', 'logs']);
    for (const folder of folders as { path: string }[]) assert.equal((await stat(folder.path)).mode & 0o777, 0o700, folder.path);

    // The super admin role demands two-step sign-in: the administrator's first sign-in enrols.
    const token = await s.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { email: SETUP.adminEmail, password: SETUP.adminPassword } });
    assert.equal(token.statusCode, 401, token.body);
    assert.equal(token.json().error.details.reason, 'SIGN_IN_STEPS_REQUIRED');
    assert.ok(token.json().error.details.enrolment.secret);
  });

  test('a second setup is a CONFLICT, even with the right code, and /setup sends people to sign in', async () => {
    const again = await post({ code, setup: { ...SETUP, slug: 'second-shop', adminEmail: 'eve@second.example' } });
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(again.json().error.details.reason, 'SETUP_ALREADY_DONE');
    assert.equal(await businesses(), 1);
    const page = await s.app.inject({ method: 'GET', url: '/setup' });
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/sign-in');
    assert.deepEqual((await s.app.inject({ method: 'GET', url: '/v1/setup' })).json(), { data: { needed: false } });
  });

  test('document numbers run per register with the chosen prefix and leave no gap when a sale rolls back', async () => {
    const tenantId = (await s.owner.pool.query("SELECT id FROM tenant WHERE slug = 'corner-hardware'")).rows[0].id as string;
    const ctx = { db: s.appDatabase.db, tenantId, actor: { kind: 'system', process: 'test' } as const, requestId: 'test' };
    const take = (register: string) => withTenantTx(ctx, (uow) => nextDocumentNumber(uow, 'receipt', register));
    assert.equal(await take('T1'), 'CH-T1-000001');
    await assert.rejects(
      withTenantTx(ctx, async (uow) => {
        await nextDocumentNumber(uow, 'receipt', 'T1');
        throw new Error('the sale failed');
      }),
      /the sale failed/,
    );
    assert.equal(await take('T1'), 'CH-T1-000002');
    assert.equal(await take('T2'), 'CH-T2-000001');
    assert.equal(await withTenantTx(ctx, (uow) => nextDocumentNumber(uow, 'invoice', 'T1')), 'CHI-T1-000001');
  });
});
