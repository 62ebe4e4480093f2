import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HTTPMethods } from 'fastify';
import { PLATFORM_TENANT_ID } from '../../../src/kernel/tenancy/index.ts';
import { planEditions } from '../../../src/editions/compose.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { submitForm } from '../../kernel/access/support.ts';
import { auditActions, call, expectError, platformAdmin, platformEventsAbout, signUp, tag } from './support.ts';

describe('platform console: access, plans, module toggles, announcements', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof platformAdmin>>;

  before(async () => {
    t = await startTestApp();
    admin = await platformAdmin(t);
  });
  after(() => t.close());

  const tenantIdOf = async (slug: string) => {
    await t.ownerOf(slug);
    return (await t.database.pool.query<{ id: string }>('SELECT id FROM tenant WHERE slug = $1', [slug])).rows[0]?.id as string;
  };
  /** A page of the business as its owner's browser sees it (any page renders nav and banners). */
  const pageOf = async (slug: string, url = '/access/members') => {
    const browser = await t.browserFor(slug);
    const response = await t.app.inject({ method: 'GET', url, headers: { cookie: browser.cookie, accept: 'text/html' } });
    assert.equal(response.statusCode, 200, response.body.slice(0, 300));
    return response.body;
  };

  test('a business owner is refused every console and platform route, even with a raw role row holding platform.*', async () => {
    const tenantId = await tenantIdOf('rogue-shop');
    const owner = await t.ownerOf('rogue-shop');
    const platformPermissions = [...new Set(t.app.routePolicies.flatMap((entry) => (typeof entry.access === 'object' && entry.access.permission.startsWith('platform.') ? [entry.access.permission] : [])))];
    assert.ok(platformPermissions.length >= 8);
    // Written around every service check, as a compromised admin tool or a bad migration might.
    const { rows } = await t.database.pool.query<{ id: string }>(
      `INSERT INTO access_role (tenant_id, key, name, permissions) VALUES ($1, 'rogue', 'Rogue', $2) RETURNING id`,
      [tenantId, platformPermissions],
    );
    await t.database.pool.query('INSERT INTO tenant_member_role (tenant_id, user_id, role_id) VALUES ($1, $2, $3)', [tenantId, owner.userId, rows[0]?.id]);
    const headers = { ...(await t.headersFor('rogue-shop')), accept: 'application/json' };
    const guarded = t.app.routePolicies.filter((entry) => typeof entry.access === 'object' && entry.access.permission.startsWith('platform.') && entry.method !== 'HEAD');
    // Every console and platform API route of this module is among them (other modules may add console pages under their own permissions).
    const ours = /^\/(v1\/platform\/(?!signups$)|console\/(tenants|plans|announcements))/;
    const unguarded = t.app.routePolicies.filter((entry) => ours.test(entry.url) && entry.method !== 'HEAD' && !guarded.includes(entry));
    assert.deepEqual(unguarded, []);
    assert.ok(guarded.length >= 35, `only ${guarded.length} platform routes found`);
    const someTenant = (await signUp(t)).tenantId;
    for (const entry of guarded) {
      const url = entry.url.replace(':id', someTenant).replace(':module', 'catalog').replace(':flag', 'beta.rogue').replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000001');
      const response = await call(t, entry.method as HTTPMethods, url, headers, entry.method === 'GET' ? undefined : {});
      expectError(response, 403, 'AUTHZ', 'PERMISSION_REQUIRED');
    }
    assert.equal((await t.database.pool.query('SELECT status FROM tenant WHERE id = $1', [someTenant])).rows[0]?.status, 'pending', 'nothing was approved');
  });

  test('choosing a plan on the business page names the modules it switches off and assigns it only once confirmed', async () => {
    const tenantId = await tenantIdOf('confirm-shop');
    const created = await call(t, 'POST', '/v1/platform/plans', admin.headers, { key: `lean-${tag()}`, name: 'Lean', priceMinor: 900, currency: 'EUR', interval: 'month', modules: ['catalog'] });
    assert.equal(created.statusCode, 201, created.body);
    const lean = (created.json() as { data: { id: string } }).data;
    const browser = await t.browserAs({ userId: admin.userId, tenantId: PLATFORM_TENANT_ID });
    const asked = await submitForm(t, browser, `/console/tenants/${tenantId}/plan`, { planId: lean.id });
    assert.equal(asked.statusCode, 200, asked.body.slice(0, 300));
    assert.match(asked.body, /to <strong>Lean<\/strong> switches off: [a-z, ]*inventory/);
    assert.match(asked.body, /<input type="hidden" name="confirm" value="switch-off"/);
    const planOf = async () => (await t.database.pool.query<{ plan_id: string | null }>('SELECT plan_id FROM platform_tenant_plan WHERE business_tenant_id = $1', [tenantId])).rows[0]?.plan_id;
    assert.notEqual(await planOf(), lean.id, 'nothing assigned before the confirmation');
    const confirmed = await submitForm(t, browser, `/console/tenants/${tenantId}/plan`, { planId: lean.id, confirm: 'switch-off' });
    assert.equal(confirmed.statusCode, 303, confirmed.body.slice(0, 300));
    assert.match(decodeURIComponent(String(confirmed.headers.location)), /Now on plan Lean.*switched off/);
    assert.equal(await planOf(), lean.id);
  });

  test('assigning a plan writes its limits and switches off the modules it does not include; a business over a limit keeps what it has', async () => {
    const tenantId = await tenantIdOf('plan-shop');
    const headers = await t.headersFor('plan-shop');
    const created = await call(t, 'POST', '/v1/platform/plans', admin.headers, {
      key: `basic-${tag()}`,
      name: 'Basic',
      priceMinor: 1900,
      currency: 'EUR',
      interval: 'month',
      maxMembers: 1,
      maxLocations: 2,
      maxTerminals: 0,
      modules: ['catalog'],
    });
    assert.equal(created.statusCode, 201, created.body);
    const basic = (created.json() as { data: { id: string; stripePriceId: string | null } }).data;
    assert.equal(basic.stripePriceId, null);

    const assigned = await call(t, 'PUT', `/v1/platform/tenants/${tenantId}/plan`, admin.headers, { planId: basic.id });
    assert.equal(assigned.statusCode, 200, assigned.body);
    const limits = await t.database.pool.query<{ key: string; max: number }>('SELECT key, max FROM tenant_limit WHERE tenant_id = $1 ORDER BY key', [tenantId]);
    assert.deepEqual(limits.rows, [
      { key: 'locations', max: 2 },
      { key: 'members', max: 1 },
      { key: 'terminals', max: 0 },
    ]);
    const toggles = await t.database.pool.query<{ module_id: string; enabled: boolean }>('SELECT module_id, enabled FROM tenant_module_toggle WHERE tenant_id = $1 ORDER BY module_id', [tenantId]);
    const retailModules = (planEditions({ editions: undefined }).editions.find((edition) => edition.id === 'retail')?.modules ?? []).map((module) => module.id).sort();
    assert.ok(retailModules.includes('locations') && retailModules.includes('inventory'));
    assert.deepEqual(
      toggles.rows,
      retailModules.map((id) => ({ module_id: id, enabled: id === 'catalog' })),
    );
    assert.deepEqual(expectError(await call(t, 'GET', '/v1/locations', headers), 404, 'NOT_FOUND'), { code: 'NOT_FOUND', message: 'No route for GET /v1/locations.' });
    expectError(await call(t, 'PUT', `/v1/platform/tenants/${tenantId}/modules/locations`, admin.headers, { enabled: true }), 409, 'CONFLICT', 'PLATFORM_MODULE_NOT_IN_PLAN');

    // Over the new limits nothing breaks: the owner stays; adding more is refused by the kernel's limit check.
    assert.equal((await call(t, 'GET', '/v1/catalog/products', headers)).statusCode, 200);
    expectError(await call(t, 'POST', '/v1/terminals', headers, { name: 'Till 1' }), 409, 'CONFLICT', 'PLAN_LIMIT_REACHED');

    const detail = (await call(t, 'GET', `/v1/platform/tenants/${tenantId}`, admin.headers)).json() as {
      data: { planKey: string; limits: { key: string; max: number | null; used: number | null }[]; modules: { id: string; enabled: boolean; inPlan: boolean }[] };
    };
    assert.deepEqual(detail.data.limits, [
      { key: 'members', max: 1, used: 1 },
      { key: 'locations', max: 2, used: null },
      { key: 'terminals', max: 0, used: 0 },
    ]);
    assert.deepEqual(detail.data.modules.find((module) => module.id === 'inventory'), { id: 'inventory', enabled: false, inPlan: false });

    // A plan with every module and no limits lifts both.
    const full = await call(t, 'POST', '/v1/platform/plans', admin.headers, { key: `full-${tag()}`, name: 'Full', priceMinor: 9900, currency: 'EUR', interval: 'year', stripePriceId: 'price_123abc' });
    await call(t, 'PUT', `/v1/platform/tenants/${tenantId}/plan`, admin.headers, { planId: (full.json() as { data: { id: string } }).data.id });
    assert.equal((await t.database.pool.query('SELECT 1 FROM tenant_limit WHERE tenant_id = $1', [tenantId])).rowCount, 0);
    assert.equal((await call(t, 'GET', '/v1/locations', headers)).statusCode, 200);
    assert.deepEqual(await auditActions(t, tenantId, tenantId), ['platform.tenant.plan_assigned', 'platform.tenant.plan_assigned']);
    assert.deepEqual(await platformEventsAbout(t, tenantId), ['platform.tenant.plan_assigned', 'platform.tenant.plan_assigned']);
    expectError(await call(t, 'POST', '/v1/platform/plans', admin.headers, { key: 'x', name: 'Bad', priceMinor: -1, currency: 'EUR', interval: 'week' }), 400, 'VALIDATION');
  });

  test('switching a module off hides its API (as a missing route) and its navigation entry; switching it on restores both', async () => {
    const tenantId = await tenantIdOf('toggle-shop');
    const headers = await t.headersFor('toggle-shop');
    assert.equal((await call(t, 'GET', '/v1/catalog/products', headers)).statusCode, 200);
    assert.match(await pageOf('toggle-shop'), /href="\/catalog\/products"/);

    const off = await call(t, 'PUT', `/v1/platform/tenants/${tenantId}/modules/catalog`, admin.headers, { enabled: false });
    assert.equal(off.statusCode, 204, off.body);
    assert.deepEqual(expectError(await call(t, 'GET', '/v1/catalog/products', headers), 404, 'NOT_FOUND'), { code: 'NOT_FOUND', message: 'No route for GET /v1/catalog/products.' });
    const page = await pageOf('toggle-shop');
    assert.doesNotMatch(page, /href="\/catalog\/products"/);
    assert.match(page, /href="\/locations"/, 'other modules stay in the navigation');

    assert.equal((await call(t, 'PUT', `/v1/platform/tenants/${tenantId}/modules/catalog`, admin.headers, { enabled: true })).statusCode, 204);
    assert.equal((await call(t, 'GET', '/v1/catalog/products', headers)).statusCode, 200);
    assert.match(await pageOf('toggle-shop'), /href="\/catalog\/products"/);
    assert.deepEqual(await auditActions(t, tenantId, tenantId), ['platform.tenant.module_switched', 'platform.tenant.module_switched']);

    expectError(await call(t, 'PUT', `/v1/platform/tenants/${tenantId}/modules/kds`, admin.headers, { enabled: true }), 400, 'VALIDATION', 'PLATFORM_MODULE_UNKNOWN');

    const flag = await call(t, 'PUT', `/v1/platform/tenants/${tenantId}/flags/beta.reports`, admin.headers, { enabled: true });
    assert.equal(flag.statusCode, 204, flag.body);
    const detail = (await call(t, 'GET', `/v1/platform/tenants/${tenantId}`, admin.headers)).json() as { data: { flags: { flag: string; enabled: boolean }[] } };
    assert.deepEqual(detail.data.flags, [{ flag: 'beta.reports', enabled: true }]);
    assert.ok((await auditActions(t, PLATFORM_TENANT_ID, tenantId)).includes('platform.tenant.flag_set'));
  });

  test('announcements show as banners to the businesses they target, only within their window; maintenance warns ahead', async () => {
    const shopA = await tenantIdOf('banner-a');
    await tenantIdOf('banner-b');
    await t.database.pool.query("UPDATE tenant SET edition = 'cafe' WHERE slug = 'banner-b'");
    const hour = 3_600_000;
    const at = (offsetHours: number) => new Date(Date.now() + offsetHours * hour).toISOString();
    const publish = async (body: Record<string, unknown>) => {
      const response = await call(t, 'POST', '/v1/platform/announcements', admin.headers, body);
      assert.equal(response.statusCode, 201, response.body);
      return (response.json() as { data: { id: string } }).data.id;
    };
    const toA = await publish({ title: 'Only for shop A', body: 'Hello A.', audience: 'tenants', tenantIds: [shopA], startsAt: at(-1), endsAt: at(1) });
    await publish({ title: 'For cafés', body: 'Hello cafés.', audience: 'editions', editions: ['cafe'], startsAt: at(-1), endsAt: at(1) });
    await publish({ title: 'Everyone, tomorrow', body: 'Not yet.', startsAt: at(24), endsAt: at(48) });
    await publish({ title: 'Everyone, yesterday', body: 'Over.', startsAt: at(-48), endsAt: at(-24) });
    await publish({ kind: 'maintenance', severity: 'warning', title: 'Database upgrade', body: 'Expect 10 minutes of downtime.', audience: 'tenants', tenantIds: [shopA], startsAt: at(24), endsAt: at(25) });

    const pageA = await pageOf('banner-a');
    assert.match(pageA, /Only for shop A/);
    assert.match(pageA, /Scheduled maintenance on .*Database upgrade/);
    assert.doesNotMatch(pageA, /For cafés|Everyone, tomorrow|Everyone, yesterday/);
    assert.match(pageA, /<section class="page-banners" aria-label="Announcements">/);
    const pageB = await pageOf('banner-b');
    assert.match(pageB, /For cafés/);
    assert.doesNotMatch(pageB, /Only for shop A|Database upgrade|Everyone/);
    // JSON answers carry no banners; the platform's own pages show only what names the platform.
    const consolePage = await t.app.inject({ method: 'GET', url: '/console/announcements', headers: { cookie: (await t.browserAs({ userId: admin.userId, tenantId: PLATFORM_TENANT_ID })).cookie, accept: 'text/html' } });
    assert.doesNotMatch(consolePage.body.slice(0, consolePage.body.indexOf('<h1')), /page-banners/);

    assert.equal((await call(t, 'POST', `/v1/platform/announcements/${toA}/withdraw`, admin.headers)).statusCode, 200);
    assert.doesNotMatch(await pageOf('banner-a'), /Only for shop A/);
    expectError(await call(t, 'POST', '/v1/platform/announcements', admin.headers, { title: 'Bad', body: 'x', startsAt: at(2), endsAt: at(1) }), 400, 'VALIDATION');
    const window = { title: 'Nobody', body: 'x', startsAt: at(-1), endsAt: at(1) };
    expectError(await call(t, 'POST', '/v1/platform/announcements', admin.headers, { ...window, audience: 'editions', editions: ['atlantis'] }), 400, 'VALIDATION', 'PLATFORM_AUDIENCE_UNKNOWN');
    expectError(await call(t, 'POST', '/v1/platform/announcements', admin.headers, { ...window, audience: 'tenants', tenantIds: [shopA, '00000000-0000-4000-8000-00000000abcd'] }), 400, 'VALIDATION', 'PLATFORM_AUDIENCE_UNKNOWN');
  });

  test('pages: public sign-up form, the console for platform staff', async () => {
    const form = await t.app.inject({ method: 'GET', url: '/signup' });
    assert.equal(form.statusCode, 200);
    for (const field of ['businessName', 'slug', 'edition', 'ownerName', 'email', 'password']) assert.match(form.body, new RegExp(`<label for="field-${field}">`));
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] as string;
    const cookie = [form.headers['set-cookie'] ?? []].flat().map((value) => value.split(';')[0]).join('; ');
    const id = tag();
    const posted = await t.app.inject({
      method: 'POST',
      url: '/signup',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, businessName: `Page shop ${id}`, slug: `page-${id}`, edition: 'cafe', ownerName: 'Pat', email: `pat-${id}@shops.example`, password: 'amber-willow-harbour-7' }).toString(),
    });
    assert.equal(posted.statusCode, 303, posted.body.slice(0, 500));
    assert.equal(posted.headers.location, `/signup?received=page-${id}`);
    const rejected = await t.app.inject({
      method: 'POST',
      url: '/signup',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, businessName: '', slug: `page-${id}`, edition: 'cafe', ownerName: 'Pat', email: 'not-an-email', password: 'x' }).toString(),
    });
    assert.equal(rejected.statusCode, 422);
    assert.match(rejected.body, /id="field-email-error"/);

    const browser = await t.browserAs({ userId: admin.userId, tenantId: PLATFORM_TENANT_ID });
    const list = await t.app.inject({ method: 'GET', url: `/console/tenants?status=pending&q=page-${id}`, headers: { cookie: browser.cookie } });
    assert.equal(list.statusCode, 200);
    const tenantId = /href="\/console\/tenants\/([0-9a-f-]{36})"/.exec(list.body)?.[1] as string;
    assert.ok(tenantId, 'the new business is listed');
    assert.match(list.body, /<th scope="col">Status<\/th>/);
    const detail = await t.app.inject({ method: 'GET', url: `/console/tenants/${tenantId}`, headers: { cookie: browser.cookie } });
    assert.match(detail.body, /action="\/console\/tenants\/[0-9a-f-]{36}\/approve"/);
    const noReason = await t.app.inject({
      method: 'POST',
      url: `/console/tenants/${tenantId}/reject`,
      headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: browser.csrfToken, reason: '' }).toString(),
    });
    assert.equal(noReason.statusCode, 422);
    const approve = await t.app.inject({
      method: 'POST',
      url: `/console/tenants/${tenantId}/approve`,
      headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: browser.csrfToken }).toString(),
    });
    assert.equal(approve.statusCode, 303);
    const after = await t.app.inject({ method: 'GET', url: approve.headers.location as string, headers: { cookie: browser.cookie } });
    assert.match(after.body, /Approved Page shop/);
    assert.match(after.body, /<span class="badge">active<\/span>/);
    // Role pages offer platform permissions in the platform tenant only.
    const platformRoleForm = await t.app.inject({ method: 'GET', url: '/access/roles/new', headers: { cookie: browser.cookie } });
    assert.match(platformRoleForm.body, /value="platform\.tenant\.approve"/);
    const businessRoleForm = await t.app.inject({ method: 'GET', url: '/access/roles/new', headers: { cookie: (await t.browserFor('tenant-a')).cookie } });
    assert.equal(businessRoleForm.statusCode, 200);
    assert.match(businessRoleForm.body, /value="catalog\.product\.read"/);
    assert.doesNotMatch(businessRoleForm.body, /platform\./);
    for (const url of ['/console/plans', '/console/plans/new', '/console/announcements']) {
      const response = await t.app.inject({ method: 'GET', url, headers: { cookie: browser.cookie } });
      assert.equal(response.statusCode, 200, url);
      assert.match(response.body, /<h1>/);
    }
  });
});
