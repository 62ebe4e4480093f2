import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { deliverDue } from '../../../src/kernel/notify/index.ts';
import { senderAddress } from '../../../src/kernel/notify/deliver.service.ts';
import { startTestApp } from '../../support/app.ts';
import { DELIVER_OPTIONS, dbs, deliveryRow, queue, recordingProviders } from './support.ts';

const t = await startTestApp();
after(() => t.close());

const data = { name: 'Ada', code: '4821' };
const soon = () => new Date(Date.now() + 1_000);
const DEFAULTS = { senderName: null, replyTo: null, quietHours: null, smsEnabled: true };

const api = async (method: 'GET' | 'PUT', slug: string, payload?: unknown) =>
  t.app.inject({ method, url: '/v1/notify/settings', headers: await t.headersFor(slug), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

async function settingsAudit(tenantId: string) {
  const { rows } = await t.database.pool.query<{ data: { changed: string[]; before: Record<string, unknown>; after: Record<string, unknown> } }>(
    `SELECT data FROM audit_event WHERE tenant_id = $1 AND action = 'notify.settings.updated' ORDER BY seq`,
    [tenantId],
  );
  return rows.map((row) => row.data);
}

async function form(slug: string, fields: Record<string, string>) {
  const browser = await t.browserFor(slug);
  return t.app.inject({
    method: 'POST',
    url: '/settings/notifications',
    headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams({ ...fields, _csrf: browser.csrfToken }).toString(),
  });
}

describe('notification settings', () => {
  test('the API answers the defaults, replaces them (audited, only what changed) and keeps tenants apart', async () => {
    assert.deepEqual((await api('GET', 'tenant-a')).json(), { data: DEFAULTS });
    const wanted = { senderName: 'Corner Shop', replyTo: 'hello@corner.test', quietHours: { start: '22:00', end: '07:30' }, smsEnabled: false };
    const put = await api('PUT', 'tenant-a', wanted);
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json(), { data: wanted });
    assert.deepEqual((await api('GET', 'tenant-a')).json(), { data: wanted });
    assert.deepEqual((await api('GET', 'tenant-b')).json(), { data: DEFAULTS }, "tenant B keeps its own");

    const audit = await settingsAudit(t.tenantA.id);
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0]?.changed.sort(), ['quietHours', 'replyTo', 'senderName', 'smsEnabled']);
    assert.equal(audit[0]?.after.quietHours, '22:00-07:30');
    // The same settings again change nothing and are not audited again.
    await api('PUT', 'tenant-a', wanted);
    assert.equal((await settingsAudit(t.tenantA.id)).length, 1);
    // Back to the defaults for the tests below.
    await api('PUT', 'tenant-a', DEFAULTS);
    assert.deepEqual((await settingsAudit(t.tenantA.id)).at(-1)?.after, { senderName: null, replyTo: null, quietHours: null, smsEnabled: true });
  });

  test('bad settings are refused with the envelope, changing nothing', async () => {
    for (const [field, bad] of [
      ['replyTo', 'not-an-address'],
      ['timeZone', 'Europe/Paris'],
      ['quietHours', { start: '25:00', end: '07:00' }],
      ['quietHours', { start: '07:00', end: '07:00' }],
      ['senderName', 'Evil\r\nBcc: victim@example.test'],
      ['senderName', 'Quote " me'],
      ['senderName', 'Nul\u0000name'],
    ] as const) {
      const response = await api('PUT', 'tenant-b', { ...DEFAULTS, [field]: bad });
      assert.equal(response.statusCode, 400, `${field}=${JSON.stringify(bad)}: ${response.body}`);
      assert.equal((response.json() as { error: { code: string } }).error.code, 'VALIDATION');
    }
    assert.deepEqual((await api('GET', 'tenant-b')).json(), { data: DEFAULTS });
    assert.equal((await settingsAudit(t.tenantB.id)).length, 0);
  });

  test('the delivery path uses them: sender name and reply-to on email, SMS off suppresses texts', async () => {
    await api('PUT', 'tenant-b', { ...DEFAULTS, senderName: 'Café Bleu', replyTo: 'owner@cafe.test', smsEnabled: false });
    const email = await queue(t, { channel: 'email', to: 'guest@example.test', data }, t.tenantB.id);
    const sms = await queue(t, { channel: 'sms', to: '+33612345678', data, recipientTimeZone: 'UTC', notBefore: new Date('2031-06-02T12:00:00Z') }, t.tenantB.id);
    const providers = recordingProviders();
    await deliverDue(dbs(t), providers, soon(), DELIVER_OPTIONS);
    await deliverDue(dbs(t), providers, new Date('2031-06-02T12:00:00Z'), DELIVER_OPTIONS);
    const sent = providers.emails.find((message) => message.deliveryId === email);
    assert.equal(sent?.from, '"Café Bleu" <no-reply@plinth.test>');
    assert.equal(sent?.replyTo, 'owner@cafe.test');
    const row = await deliveryRow(t, sms);
    assert.deepEqual([row.status, row.error], ['suppressed', 'SMS is switched off for this tenant.']);
    assert.equal(providers.texts.filter((text) => text.deliveryId === sms).length, 0);
    // Tenant A, without settings, still sends as NOTIFY_FROM says.
    const plain = await queue(t, { channel: 'email', to: 'guest@example.test', data });
    await deliverDue(dbs(t), providers, soon(), DELIVER_OPTIONS);
    const plainSent = providers.emails.find((message) => message.deliveryId === plain);
    assert.deepEqual([plainSent?.from, plainSent?.replyTo], [DELIVER_OPTIONS.from, undefined]);
    assert.equal(senderAddress('no-reply@plinth.test', 'Shop'), '"Shop" <no-reply@plinth.test>');
  });

  test('the page shows the form with a CSRF token, saves a post (audited) and redirects', async () => {
    const browser = await t.browserFor('tenant-a');
    const page = await t.app.inject({ method: 'GET', url: '/settings/notifications', headers: { cookie: browser.cookie, accept: 'text/html' } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<form method="post" action="\/settings\/notifications"/);
    assert.match(page.body, /name="_csrf" value="[^"]+"/);
    assert.match(page.body, /empty: 21:00-08:00/, 'the configured default is shown');
    assert.match(page.body, /in the business's: UTC/, "recipients without a zone of their own are on the business's clocks");

    const saved = await form('tenant-a', { senderName: 'Form Shop', replyTo: '', quietStart: '20:00', quietEnd: '09:00', smsEnabled: 'false' });
    assert.equal(saved.statusCode, 303, saved.body);
    assert.equal(saved.headers.location, '/settings/notifications?done=saved');
    assert.deepEqual((await api('GET', 'tenant-a')).json(), {
      data: { senderName: 'Form Shop', replyTo: null, quietHours: { start: '20:00', end: '09:00' }, smsEnabled: false },
    });
    assert.equal((await settingsAudit(t.tenantA.id)).at(-1)?.after.senderName, 'Form Shop');
    const after = await t.app.inject({ method: 'GET', url: '/settings/notifications?done=saved', headers: { cookie: browser.cookie, accept: 'text/html' } });
    assert.match(after.body, /Saved the notification settings/);
    assert.match(after.body, /value="Form Shop"/);
  });

  test('a bad form is shown again with the errors next to the fields', async () => {
    const response = await form('tenant-a', { senderName: '', replyTo: 'nope', quietStart: '20:00', quietEnd: '', smsEnabled: 'true' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /id="field-replyTo-error"/);
    assert.match(response.body, /id="field-quietEnd-error"/);
    assert.match(response.body, /value="nope"/, 'what was typed is kept');
    assert.equal((await api('GET', 'tenant-a')).json().data.senderName, 'Form Shop', 'nothing saved');
  });

  test("the delivery log page lists the tenant's deliveries, filtered, and none of the other tenant's", async () => {
    await queue(t, { channel: 'email', to: 'log-a@example.test', data });
    await queue(t, { channel: 'email', to: 'log-b@example.test', data }, t.tenantB.id);
    const browser = await t.browserFor('tenant-a');
    const page = await t.app.inject({ method: 'GET', url: '/notify/deliveries?status=queued&channel=', headers: { cookie: browser.cookie, accept: 'text/html' } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /log-a@example\.test/);
    assert.doesNotMatch(page.body, /log-b@example\.test/);
    const sentOnly = await t.app.inject({ method: 'GET', url: '/notify/deliveries?status=sent', headers: { cookie: browser.cookie, accept: 'text/html' } });
    assert.doesNotMatch(sentOnly.body, /log-a@example\.test/);
  });
});
