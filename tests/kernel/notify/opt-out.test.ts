import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { deliverDue, handleInboundSms, signUnsubscribeToken, unsubscribeKey } from '../../../src/kernel/notify/index.ts';
import { startTestApp } from '../../support/app.ts';
import { DELIVER_OPTIONS, dbs, deliveryRow, queue, recordingProviders } from './support.ts';

const t = await startTestApp();
after(() => t.close());

const data = { name: 'Linus', code: '1234' };
const midday = () => new Date(Date.UTC(2027, 5, 1, 12) + Math.floor(Math.random() * 1_000_000));

/** The consent audit trail of one recipient in tenant A: actions and sources, oldest first. */
async function consentAudit(target: string): Promise<string[]> {
  const { rows } = await t.database.pool.query<{ action: string; actor: string; source: string }>(
    "SELECT action, actor, data->>'source' AS source FROM audit_event WHERE tenant_id = $1 AND target_type = 'notify.recipient' AND target_id = $2 ORDER BY seq",
    [t.tenantA.id, target],
  );
  return rows.map((row) => `${row.action} ${row.actor} ${row.source}`);
}

async function optOutCount(channel: string, recipient: string, tenantId = t.tenantA.id): Promise<number> {
  const { rowCount } = await t.database.pool.query('SELECT 1 FROM notify_opt_out WHERE tenant_id = $1 AND channel = $2 AND recipient = $3', [tenantId, channel, recipient]);
  return rowCount ?? 0;
}

describe('SMS STOP and START', () => {
  test('STOP suppresses queued messages to that number in that tenant only; START restores', async () => {
    const phone = '+15555550111';
    assert.equal(await handleInboundSms(t.app.db, t.tenantA.id, '+1 (555) 555-0111', '  Stop \n'), 'opted-out');
    assert.equal(await optOutCount('sms', phone), 1);

    const suppressed = await queue(t, { channel: 'sms', to: phone, data, recipientTimeZone: 'UTC' });
    const otherTenant = await queue(t, { channel: 'sms', to: phone, data, recipientTimeZone: 'UTC' }, t.tenantB.id);
    const providers = recordingProviders();
    await deliverDue(dbs(t), providers, midday(), DELIVER_OPTIONS);
    const row = await deliveryRow(t, suppressed);
    assert.deepEqual([row.status, row.attempts, row.error], ['suppressed', 0, 'The recipient opted out.']);
    assert.equal((await deliveryRow(t, otherTenant)).status, 'sent', "one tenant's STOP does not silence another");
    assert.equal(providers.texts.filter((sms) => sms.deliveryId === suppressed).length, 0);

    assert.equal(await handleInboundSms(t.app.db, t.tenantA.id, phone, 'unstop'), 'opted-in');
    assert.equal(await optOutCount('sms', phone), 0);
    const restored = await queue(t, { channel: 'sms', to: phone, data, recipientTimeZone: 'UTC' });
    await deliverDue(dbs(t), providers, midday(), DELIVER_OPTIONS);
    assert.equal((await deliveryRow(t, restored)).status, 'sent');

    assert.deepEqual(await consentAudit(`sms:${phone}`), [
      'notify.opt_out.recorded system:notify.inbound-sms sms:STOP',
      'notify.opt_out.lifted system:notify.inbound-sms sms:UNSTOP',
    ]);
  });

  test('every stop keyword counts, repeating one is harmless, other texts change nothing', async () => {
    for (const [index, keyword] of ['STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit'].entries()) {
      const phone = `+1555555020${index}`;
      assert.equal(await handleInboundSms(t.app.db, t.tenantA.id, phone, keyword), 'opted-out', keyword);
      assert.equal(await handleInboundSms(t.app.db, t.tenantA.id, phone, keyword), 'opted-out', keyword);
      assert.equal(await optOutCount('sms', phone), 1, keyword);
      assert.equal((await consentAudit(`sms:${phone}`)).length, 1, 'a repeated STOP is not audited twice');
    }
    assert.equal(await handleInboundSms(t.app.db, t.tenantA.id, '+15555550299', 'please stop by at 5'), 'ignored');
    assert.equal(await optOutCount('sms', '+15555550299'), 0);
  });
});

describe('email unsubscribe link', () => {
  const key = unsubscribeKey(t.rootSecret);
  const tokenFor = (recipient: string) => signUnsubscribeToken(key, { tenantId: t.tenantA.id, channel: 'email', recipient });

  test('the link in a sent email opens a confirm page and a POST to it unsubscribes; later email is suppressed', async () => {
    const providers = recordingProviders();
    const first = await queue(t, { channel: 'email', to: 'reader@example.test', data });
    await deliverDue(dbs(t), providers, midday(), { ...DELIVER_OPTIONS, unsubscribe: { key, baseUrl: 'https://plinth.test' } });
    const sent = providers.emails.find((email) => email.deliveryId === first);
    assert.ok(sent);
    const link = new URL(/^<(.+)>$/.exec(sent.headers['List-Unsubscribe'] ?? '')?.[1] ?? '');
    assert.equal(link.pathname, '/notify/unsubscribe');
    assert.match(sent.text, /Unsubscribe: https:\/\/plinth\.test\/notify\/unsubscribe\?token=/);
    assert.ok(sent.html.includes(`href="${link.toString().replaceAll('&', '&amp;')}"`));

    const opened = await t.app.inject({ method: 'GET', url: `${link.pathname}${link.search}`, headers: { accept: 'text/html' } });
    assert.equal(opened.statusCode, 200);
    assert.match(opened.body, /Stop email from Tenant A to reader@example\.test\?/);
    assert.equal(await optOutCount('email', 'reader@example.test'), 0, 'opening the link changes nothing');

    // A client without a page (JSON, no cookie) may POST the same URL.
    const clicked = await t.app.inject({ method: 'POST', url: `${link.pathname}${link.search}`, payload: {} });
    assert.equal(clicked.statusCode, 200, clicked.body);
    assert.deepEqual(clicked.json(), { data: { unsubscribed: true, channel: 'email' } });
    assert.equal(await optOutCount('email', 'reader@example.test'), 1);
    assert.deepEqual(await consentAudit('email:reader@example.test'), ['notify.opt_out.recorded anonymous unsubscribe-link']);

    const later = await queue(t, { channel: 'email', to: 'Reader@example.test', data });
    await deliverDue(dbs(t), providers, midday(), DELIVER_OPTIONS);
    assert.equal((await deliveryRow(t, later)).status, 'suppressed');
  });

  test("a mailbox provider's one-click POST (RFC 8058: a form, no cookie, no CSRF token) unsubscribes", async () => {
    const providers = recordingProviders();
    const queued = await queue(t, { channel: 'email', to: 'oneclick@example.test', data });
    await deliverDue(dbs(t), providers, midday(), { ...DELIVER_OPTIONS, unsubscribe: { key, baseUrl: 'https://plinth.test' } });
    const sent = providers.emails.find((email) => email.deliveryId === queued);
    assert.equal(sent?.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    const link = new URL(/^<(.+)>$/.exec(sent?.headers['List-Unsubscribe'] ?? '')?.[1] ?? '');
    const response = await t.app.inject({
      method: 'POST',
      url: `${link.pathname}${link.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(await optOutCount('email', 'oneclick@example.test'), 1);
    const forged = await t.app.inject({ method: 'POST', url: '/notify/unsubscribe?token=forged.token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    assert.equal(forged.statusCode, 400, 'without a valid signed token the exemption gives nothing');
  });

  test('the confirm form of the page unsubscribes a browser', async () => {
    const browser = await t.browserAs(undefined);
    const token = tokenFor('browser@example.test');
    const response = await t.app.inject({
      method: 'POST',
      url: `/notify/unsubscribe?token=${encodeURIComponent(token)}`,
      headers: { cookie: browser.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: browser.csrfToken }).toString(),
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.match(response.body, /browser@example\.test will get no more email from Tenant A/);
    assert.equal(await optOutCount('email', 'browser@example.test'), 1);
  });

  test('a tampered or foreign token is refused and records nothing', async () => {
    const token = tokenFor('victim@example.test');
    const [payload, signature] = token.split('.') as [string, string];
    const otherPayload = Buffer.from(JSON.stringify({ v: 1, t: t.tenantA.id, c: 'email', r: 'someone-else@example.test' })).toString('base64url');
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('A') ? 'B' : 'A'}${signature.slice(-1)}`;
    const foreignKey = signUnsubscribeToken(Buffer.alloc(32, 7), { tenantId: t.tenantA.id, channel: 'email', recipient: 'victim@example.test' });
    for (const bad of [`${otherPayload}.${signature}`, `${payload}.${flipped}`, foreignKey, payload, '', 'x.y.z']) {
      const post = await t.app.inject({ method: 'POST', url: `/notify/unsubscribe?token=${encodeURIComponent(bad)}`, payload: {} });
      assert.equal(post.statusCode, 400, bad);
      assert.equal((post.json() as { error: { code: string } }).error.code, 'VALIDATION');
      const page = await t.app.inject({ method: 'GET', url: `/notify/unsubscribe?token=${encodeURIComponent(bad)}`, headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, 400);
      assert.match(page.body, /not valid/);
    }
    assert.equal(await optOutCount('email', 'victim@example.test'), 0);
    assert.equal(await optOutCount('email', 'someone-else@example.test'), 0);
  });
});

describe('delivery log API', () => {
  test("staff with notify.delivery.read see their tenant's deliveries only", async () => {
    const mine = await queue(t, { channel: 'email', to: 'log@example.test', data });
    const theirs = await queue(t, { channel: 'email', to: 'log@example.test', data }, t.tenantB.id);
    const response = await t.app.inject({ method: 'GET', url: '/v1/notify/deliveries?channel=email&limit=100', headers: await t.headersFor('tenant-a') });
    assert.equal(response.statusCode, 200, response.body);
    const ids = (response.json() as { data: { id: string; status: string }[] }).data.map((delivery) => delivery.id);
    assert.ok(ids.includes(mine));
    assert.ok(!ids.includes(theirs));
    const anonymous = await t.app.inject({ method: 'GET', url: '/v1/notify/deliveries' });
    assert.equal(anonymous.statusCode, 401);
  });
});
