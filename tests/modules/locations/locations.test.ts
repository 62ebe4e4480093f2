import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { api, ownerQuery, type ErrorBody } from '../../support/catalog.ts';
import { findTag, findTags, pageText } from '../../support/html.ts';

const A = 'tenant-a';
const B = 'tenant-b';

interface LocationBody {
  id: string;
  name: string;
  code: string;
  address: string | null;
  timeZone: string;
  archivedAt: string | null;
}

describe('locations /v1/locations and /locations', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const create = async (tenant: string, input: Record<string, unknown>) => api(t, tenant, 'POST', '/v1/locations', { timeZone: 'UTC', ...input });
  const created = async (tenant: string, input: Record<string, unknown>): Promise<LocationBody> => {
    const response = await create(tenant, input);
    assert.equal(response.statusCode, 201, response.body);
    return (response.json() as { data: LocationBody }).data;
  };

  test('create, read, change, archive and restore; each change is audited', async () => {
    const shop = await created(A, { name: '  Main shop ', code: 'MAIN', address: '1 Market Square', timeZone: 'Europe/Berlin' });
    assert.deepEqual({ name: shop.name, code: shop.code, address: shop.address, timeZone: shop.timeZone, archivedAt: shop.archivedAt }, {
      name: 'Main shop',
      code: 'MAIN',
      address: '1 Market Square',
      timeZone: 'Europe/Berlin',
      archivedAt: null,
    });
    const got = await api(t, A, 'GET', `/v1/locations/${shop.id}`);
    assert.deepEqual((got.json() as { data: LocationBody }).data, shop);

    const patched = await api(t, A, 'PATCH', `/v1/locations/${shop.id}`, { name: 'Market shop', address: '' });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal((patched.json() as { data: LocationBody }).data.address, null, 'an empty address clears it');

    const archived = await api(t, A, 'POST', `/v1/locations/${shop.id}/archive`);
    assert.ok((archived.json() as { data: LocationBody }).data.archivedAt);
    const listed = (await api(t, A, 'GET', '/v1/locations')).json() as { data: LocationBody[] };
    assert.ok(!listed.data.some((location) => location.id === shop.id), 'archived locations are not listed by default');
    const all = (await api(t, A, 'GET', '/v1/locations?status=all')).json() as { data: LocationBody[] };
    assert.ok(all.data.some((location) => location.id === shop.id));
    const restored = await api(t, A, 'POST', `/v1/locations/${shop.id}/restore`);
    assert.equal((restored.json() as { data: LocationBody }).data.archivedAt, null);

    const audit = await ownerQuery<{ action: string }>(t, 'SELECT action FROM audit_event WHERE target_id = $1 ORDER BY seq', [shop.id]);
    assert.deepEqual(audit.rows.map((row) => row.action), ['locations.location.created', 'locations.location.updated', 'locations.location.archived', 'locations.location.restored']);
  });

  test('codes are unique per tenant in any case, but two tenants may share one', async () => {
    await created(A, { name: 'Warehouse', code: 'WH-9' });
    const duplicate = await create(A, { name: 'Other', code: 'wh-9' });
    assert.equal(duplicate.statusCode, 409);
    assert.equal((duplicate.json() as ErrorBody).error.details?.reason, 'LOCATIONS_CODE_TAKEN');
    await created(B, { name: 'Warehouse', code: 'WH-9' });
  });

  test('validation: unknown time zone, bad code, blank name are 400 naming the field', async () => {
    for (const [input, field] of [
      [{ name: 'X', code: 'X1', timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ name: 'X', code: 'bad code!' }, 'code'],
      [{ name: '  ', code: 'X2' }, 'name'],
    ] as const) {
      const response = await create(A, input);
      assert.equal(response.statusCode, 400, response.body);
      const issues = (response.json() as ErrorBody).error.details?.issues as { path: string }[];
      assert.ok(issues.some((issue) => issue.path === field), `${field}: ${response.body}`);
    }
  });

  test('the plan limit "locations" refuses one more with CONFLICT PLAN_LIMIT_REACHED, also for restoring', async () => {
    const tenant = 'tenant-limits';
    await t.ownerOf(tenant);
    const { rows } = await ownerQuery<{ id: string }>(t, 'SELECT id FROM tenant WHERE slug = $1', [tenant]);
    const tenantId = rows[0]?.id as string;
    await ownerQuery(t, "INSERT INTO tenant_limit (tenant_id, key, max) VALUES ($1, 'locations', 2)", [tenantId]);
    const first = await created(tenant, { name: 'One', code: 'L1' });
    await created(tenant, { name: 'Two', code: 'L2' });
    const third = await create(tenant, { name: 'Three', code: 'L3' });
    assert.equal(third.statusCode, 409, third.body);
    const body = third.json() as ErrorBody;
    assert.equal(body.error.code, 'CONFLICT');
    assert.deepEqual(body.error.details, { reason: 'PLAN_LIMIT_REACHED', limit: 'locations', max: 2 });
    // An archived location frees its place; restoring it needs the place back.
    await api(t, tenant, 'POST', `/v1/locations/${first.id}/archive`);
    await created(tenant, { name: 'Three', code: 'L3' });
    const restore = await api(t, tenant, 'POST', `/v1/locations/${first.id}/restore`);
    assert.equal(restore.statusCode, 409);
    assert.equal((restore.json() as ErrorBody).error.details?.reason, 'PLAN_LIMIT_REACHED');
  });

  test("another tenant's location is NOT_FOUND exactly like a missing one", async () => {
    const foreign = await created(B, { name: 'Their shop', code: 'THEIRS' });
    for (const [method, suffix, payload] of [
      ['GET', '', undefined],
      ['PATCH', '', { name: 'Mine now' }],
      ['POST', '/archive', undefined],
    ] as const) {
      const theirs = await api(t, A, method, `/v1/locations/${foreign.id}${suffix}`, payload);
      const missing = await api(t, A, method, `/v1/locations/${randomUUID()}${suffix}`, payload);
      assert.equal(theirs.statusCode, 404);
      assert.deepEqual(theirs.json(), missing.json());
    }
    const unchanged = await ownerQuery(t, 'SELECT name, archived_at FROM locations_location WHERE id = $1', [foreign.id]);
    assert.deepEqual(unchanged.rows, [{ name: 'Their shop', archived_at: null }]);
  });

  test('the page lists locations in a table and creates one from its form', async () => {
    const browser = await t.browserFor(A);
    const headers = { cookie: browser.cookie, accept: 'text/html' };
    const shown = await created(A, { name: 'Page shop', code: 'PAGE1' });
    const page = await t.app.inject({ method: 'GET', url: '/locations', headers });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Locations<\/h1>/);
    assert.ok(findTags(page.body, 'th').some((th) => th.attributes.scope === 'col'));
    assert.match(pageText(page.body), /Page shop/);
    assert.ok(findTag(page.body, 'label', { for: 'field-timeZone' }));
    assert.ok(page.body.includes(`/locations/${shown.id}/edit`));

    const form = new URLSearchParams({ _csrf: browser.csrfToken, name: 'Form shop', code: 'FORM1', address: '', timeZone: 'Europe/Paris' });
    const post = await t.app.inject({ method: 'POST', url: '/locations', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
    assert.equal(post.statusCode, 303, post.body.slice(0, 500));
    const rows = await ownerQuery(t, "SELECT time_zone FROM locations_location WHERE code = 'FORM1' AND tenant_id = $1", [t.tenantA.id]);
    assert.deepEqual(rows.rows, [{ time_zone: 'Europe/Paris' }]);

    const bad = new URLSearchParams({ _csrf: browser.csrfToken, name: 'Bad', code: 'BAD1', address: '', timeZone: 'Nowhere/Land' });
    const rejected = await t.app.inject({ method: 'POST', url: '/locations', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: bad.toString() });
    assert.equal(rejected.statusCode, 422);
    assert.ok(rejected.body.includes('id="field-timeZone-error"'));
  });
});
