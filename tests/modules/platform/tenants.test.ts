import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PLATFORM_TENANT_ID } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { auditActions, call, expectError, mailTo, platformAdmin, platformEventsAbout, signIn, signUp, signupPayload } from './support.ts';

describe('platform: sign-up, approval and the business lifecycle', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof platformAdmin>>;

  before(async () => {
    t = await startTestApp();
    admin = await platformAdmin(t);
  });
  after(() => t.close());

  const tenantStatus = async (id: string) => (await t.database.pool.query<{ status: string }>('SELECT status FROM tenant WHERE id = $1', [id])).rows[0]?.status;

  test('sign-up → pending (owner refused) → approval → the owner signs in and works in the business', async () => {
    const signup = await signUp(t);
    assert.equal(await tenantStatus(signup.tenantId), 'pending');
    assert.deepEqual(
      (await mailTo(t, signup.email)).map((mail) => mail.template),
      ['platform.signup_received'],
    );
    assert.ok((await mailTo(t, admin.email)).some((mail) => mail.template === 'platform.signup_to_review' && mail.data.slug === signup.slug), 'reviewers are told');
    assert.deepEqual(await auditActions(t, PLATFORM_TENANT_ID, signup.tenantId), ['platform.signup.received']);

    // Before approval the owner's password is right, but the business cannot be entered.
    expectError(await signIn(t, signup.email, signup.slug), 403, 'AUTHZ', 'NOT_A_MEMBER');
    const noBusiness = await signIn(t, signup.email);
    assert.equal(noBusiness.statusCode, 200, noBusiness.body);
    assert.equal((noBusiness.json() as { data: { tenantId: string | null } }).data.tenantId, null);

    const approved = await call(t, 'POST', `/v1/platform/tenants/${signup.tenantId}/approve`, admin.headers);
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal((approved.json() as { data: { status: string } }).data.status, 'active');

    const first = await signIn(t, signup.email, signup.slug);
    assert.equal(first.statusCode, 200, first.body);
    const { accessToken, tenantId } = (first.json() as { data: { accessToken: string; tenantId: string } }).data;
    assert.equal(tenantId, signup.tenantId);
    const products = await call(t, 'GET', '/v1/catalog/products', { authorization: `Bearer ${accessToken}` });
    assert.equal(products.statusCode, 200, 'the owner holds the edition’s owner role');
    const roles = await call(t, 'GET', '/v1/access/roles', { authorization: `Bearer ${accessToken}` });
    assert.deepEqual(
      (roles.json() as { data: { key: string }[] }).data.map((role) => role.key).sort(),
      ['accountant', 'auditor', 'cashier', 'manager', 'owner'],
    );

    assert.ok((await mailTo(t, signup.email)).some((mail) => mail.template === 'platform.signup_approved'));
    assert.deepEqual(await auditActions(t, PLATFORM_TENANT_ID, signup.tenantId), ['platform.signup.received', 'platform.tenant.approved']);
    assert.deepEqual(await auditActions(t, signup.tenantId, signup.tenantId), ['platform.tenant.approved'], "the business's own chain records it too");
    assert.deepEqual(await platformEventsAbout(t, signup.tenantId), ['platform.signup.received', 'platform.tenant.approved']);

    // Approving twice changes nothing more.
    assert.equal((await call(t, 'POST', `/v1/platform/tenants/${signup.tenantId}/approve`, admin.headers)).statusCode, 200);
    assert.equal((await auditActions(t, PLATFORM_TENANT_ID, signup.tenantId)).length, 2);
  });

  test('a sign-up that fails leaves nothing behind; slugs and emails are unique', async () => {
    const weak = { ...signupPayload(), password: 'short' };
    expectError(await call(t, 'POST', '/v1/platform/signups', {}, weak), 400, 'VALIDATION');
    assert.equal((await t.database.pool.query('SELECT 1 FROM tenant WHERE slug = $1', [weak.slug])).rowCount, 0);
    assert.equal((await t.database.pool.query('SELECT 1 FROM app_user WHERE email = $1', [weak.email])).rowCount, 0);

    const first = await signUp(t);
    expectError(await call(t, 'POST', '/v1/platform/signups', {}, { ...signupPayload(), slug: first.slug }), 409, 'CONFLICT', 'PLATFORM_SLUG_TAKEN');
    expectError(await call(t, 'POST', '/v1/platform/signups', {}, { ...signupPayload(), email: first.email }), 409, 'CONFLICT', 'PLATFORM_EMAIL_TAKEN');
    expectError(await call(t, 'POST', '/v1/platform/signups', {}, signupPayload('no-such-edition')), 400, 'VALIDATION', 'PLATFORM_EDITION_UNKNOWN');
  });

  test('rejection needs a reason, closes the business and emails the reason', async () => {
    const signup = await signUp(t);
    expectError(await call(t, 'POST', `/v1/platform/tenants/${signup.tenantId}/reject`, admin.headers, {}), 400, 'VALIDATION');
    const rejected = await call(t, 'POST', `/v1/platform/tenants/${signup.tenantId}/reject`, admin.headers, { reason: 'We only serve shops in the EU.' });
    assert.equal(rejected.statusCode, 200, rejected.body);
    assert.equal(await tenantStatus(signup.tenantId), 'closed');
    const mail = (await mailTo(t, signup.email)).find((candidate) => candidate.template === 'platform.signup_rejected');
    assert.equal(mail?.data.reason, 'We only serve shops in the EU.');
    expectError(await call(t, 'POST', `/v1/platform/tenants/${signup.tenantId}/approve`, admin.headers), 409, 'CONFLICT', 'PLATFORM_TENANT_NOT_PENDING');
    expectError(await signIn(t, signup.email, signup.slug), 403, 'AUTHZ', 'NOT_A_MEMBER');
    const detail = await call(t, 'GET', `/v1/platform/tenants/${signup.tenantId}`, admin.headers);
    assert.deepEqual((detail.json() as { data: { signup: { decision: string; reason: string } } }).data.signup.decision, 'rejected');
  });

  test('suspension blocks sign-in and the API but keeps the data; resuming restores both', async () => {
    const owner = await t.ownerOf('suspend-shop');
    const tenantId = (await t.database.pool.query<{ id: string }>("SELECT id FROM tenant WHERE slug = 'suspend-shop'")).rows[0]?.id as string;
    const headers = await t.headersFor('suspend-shop');
    const created = await call(t, 'POST', '/v1/catalog/products', headers, { name: 'Kept hammer', sku: 'KEEP-1', priceMinor: 1000, currency: 'EUR' });
    assert.equal(created.statusCode, 201, created.body);

    expectError(await call(t, 'POST', `/v1/platform/tenants/${tenantId}/suspend`, admin.headers, { reason: '' }), 400, 'VALIDATION');
    const suspended = await call(t, 'POST', `/v1/platform/tenants/${tenantId}/suspend`, admin.headers, { reason: 'Chargebacks under review.' });
    assert.equal(suspended.statusCode, 200, suspended.body);

    expectError(await call(t, 'GET', '/v1/catalog/products', headers), 403, 'AUTHZ', 'TENANT_INACTIVE');
    const signInAttempt = await t.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { email: owner.email, password: owner.password, tenant: 'suspend-shop' } });
    expectError(signInAttempt, 403, 'AUTHZ', 'NOT_A_MEMBER');
    assert.equal((await t.database.pool.query("SELECT 1 FROM catalog_product WHERE tenant_id = $1 AND sku = 'KEEP-1'", [tenantId])).rowCount, 1, 'data kept');

    expectError(await call(t, 'POST', `/v1/platform/tenants/${tenantId}/approve`, admin.headers), 409, 'CONFLICT', 'PLATFORM_TENANT_NOT_PENDING');
    assert.equal((await call(t, 'POST', `/v1/platform/tenants/${tenantId}/resume`, admin.headers)).statusCode, 200);
    const list = await call(t, 'GET', '/v1/catalog/products', headers);
    assert.equal(list.statusCode, 200, list.body);
    assert.deepEqual((list.json() as { data: { sku: string }[] }).data.map((product) => product.sku), ['KEEP-1']);
    const again = await t.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { email: owner.email, password: owner.password, tenant: 'suspend-shop' } });
    assert.equal(again.statusCode, 200, again.body);
    assert.deepEqual(await auditActions(t, PLATFORM_TENANT_ID, tenantId), ['platform.tenant.suspended', 'platform.tenant.resumed']);
    assert.deepEqual(await platformEventsAbout(t, tenantId), ['platform.tenant.suspended', 'platform.tenant.resumed']);

    // Closing is final.
    assert.equal((await call(t, 'POST', `/v1/platform/tenants/${tenantId}/close`, admin.headers, {})).statusCode, 200);
    expectError(await call(t, 'POST', `/v1/platform/tenants/${tenantId}/resume`, admin.headers), 409, 'CONFLICT', 'TENANT_STATUS_TRANSITION');
  });

  test('the console lists businesses by status and search, never the platform itself', async () => {
    const pending = await signUp(t);
    const byStatus = await call(t, 'GET', '/v1/platform/tenants?status=pending', admin.headers);
    const rows = (byStatus.json() as { data: { id: string; status: string }[] }).data;
    assert.ok(rows.some((row) => row.id === pending.tenantId));
    assert.ok(rows.every((row) => row.status === 'pending'));
    const bySearch = (await call(t, 'GET', `/v1/platform/tenants?q=${pending.email}`, admin.headers)).json() as { data: { id: string }[]; total: number };
    assert.deepEqual(bySearch.data.map((row) => row.id), [pending.tenantId]);
    const all = (await call(t, 'GET', '/v1/platform/tenants', admin.headers)).json() as { data: { id: string }[] };
    assert.ok(!all.data.some((row) => row.id === PLATFORM_TENANT_ID));
    expectError(await call(t, 'GET', `/v1/platform/tenants/${PLATFORM_TENANT_ID}`, admin.headers), 404, 'NOT_FOUND');
  });
});

describe('platform: sign-up is rate-limited like sign-in', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ RATE_LIMIT_AUTH_PER_MIN: '2' });
  });
  after(() => t.close());

  test('a third application from one address within the minute is refused with RATE_LIMIT', async () => {
    for (let attempt = 0; attempt < 2; attempt++) assert.equal((await call(t, 'POST', '/v1/platform/signups', {}, signupPayload())).statusCode, 201);
    const payload = signupPayload();
    expectError(await call(t, 'POST', '/v1/platform/signups', {}, payload), 429, 'RATE_LIMIT');
    assert.equal((await t.database.pool.query('SELECT 1 FROM tenant WHERE slug = $1', [payload.slug])).rowCount, 0);
  });
});
