import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startTestApp } from '../../support/app.ts';

const t = await startTestApp();
after(() => t.close());

const api = async (method: 'GET' | 'PUT', slug: string, payload?: unknown) =>
  t.app.inject({ method, url: '/v1/business/settings', headers: await t.headersFor(slug), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

async function settingsAudit(tenantId: string) {
  const { rows } = await t.database.pool.query<{ data: { changed: string[]; before: { timeZone: string }; after: { timeZone: string } } }>(
    `SELECT data FROM audit_event WHERE tenant_id = $1 AND action = 'business.settings.updated' ORDER BY seq`,
    [tenantId],
  );
  return rows.map((row) => row.data);
}

async function browserPage(slug: string, url: string) {
  const browser = await t.browserFor(slug);
  return t.app.inject({ method: 'GET', url, headers: { cookie: browser.cookie, accept: 'text/html' } });
}

async function form(slug: string, fields: Record<string, string>) {
  const browser = await t.browserFor(slug);
  return t.app.inject({
    method: 'POST',
    url: '/settings/business',
    headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams({ ...fields, _csrf: browser.csrfToken }).toString(),
  });
}

describe('business settings: the time zone', () => {
  test('a business starts on UTC; a new zone is stored as IANA spells it, audited once, and is its own', async () => {
    assert.deepEqual((await api('GET', 'tenant-a')).json(), { data: { timeZone: 'UTC' } });
    const put = await api('PUT', 'tenant-a', { timeZone: 'europe/paris' });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json(), { data: { timeZone: 'Europe/Paris' } });
    assert.deepEqual((await api('GET', 'tenant-a')).json(), { data: { timeZone: 'Europe/Paris' } });
    assert.deepEqual((await api('GET', 'tenant-b')).json(), { data: { timeZone: 'UTC' } }, 'tenant B keeps its own');
    await api('PUT', 'tenant-a', { timeZone: 'Europe/Paris' });
    assert.deepEqual(await settingsAudit(t.tenantA.id), [{ changed: ['timeZone'], before: { timeZone: 'UTC' }, after: { timeZone: 'Europe/Paris' } }]);
  });

  test('pages show times on the new clocks at once, although the guard caches the business', async () => {
    await api('PUT', 'tenant-b', { timeZone: 'Asia/Tokyo' });
    const before = await browserPage('tenant-b', '/settings/business');
    assert.match(before.body, /<time datetime="[^"]+" title="Asia\/Tokyo">/);
    await api('PUT', 'tenant-b', { timeZone: 'Pacific/Chatham' });
    const afterChange = await browserPage('tenant-b', '/settings/business');
    assert.match(afterChange.body, /<time datetime="[^"]+" title="Pacific\/Chatham">/);
    assert.match(afterChange.body, /<option value="Pacific\/Chatham" selected>Pacific\/Chatham<\/option>/);
  });

  test('an unknown zone is refused by the API and by the form, changing nothing', async () => {
    const bad = await api('PUT', 'tenant-a', { timeZone: 'Mars/Olympus' });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal((bad.json() as { error: { code: string } }).error.code, 'VALIDATION');
    const refused = await form('tenant-a', { timeZone: 'Mars/Olympus' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /id="field-timeZone-error"/);
    assert.deepEqual((await api('GET', 'tenant-a')).json(), { data: { timeZone: 'Europe/Paris' } });
  });

  test('the form saves a zone and redirects', async () => {
    const saved = await form('tenant-a', { timeZone: 'America/New_York' });
    assert.equal(saved.statusCode, 303, saved.body);
    assert.equal(saved.headers.location, '/settings/business?done=saved');
    const shown = await browserPage('tenant-a', '/settings/business?done=saved');
    assert.match(shown.body, /Saved the business settings/);
    assert.deepEqual((await api('GET', 'tenant-a')).json(), { data: { timeZone: 'America/New_York' } });
  });
});
