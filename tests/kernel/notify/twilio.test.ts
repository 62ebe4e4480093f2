import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { deliverDue, providersFromConfig, twilioSmsProvider } from '../../../src/kernel/notify/index.ts';
import { twilioSignature, verifyTwilioSignature } from '../../../src/kernel/notify/sms-inbound.routes.ts';
import { startTestApp } from '../../support/app.ts';
import { DELIVER_OPTIONS, dbs, deliveryRow, queue, recordingProviders } from './support.ts';

const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TOKEN = 'twilio-test-auth-token-0123';
const FROM = '+15017122661';
const PUBLIC_URL = 'https://plinth.test';
const INBOUND = '/v1/notify/sms/inbound/twilio';

/** Recipients the fake answers for in a given way, as Twilio would. */
const OPTED_OUT = '+15550000002';
const BUSY = '+15550000003';
const INVALID = '+15550000004';
const DOWN = '+15550000005';

interface SeenRequest {
  method: string | undefined;
  path: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  form: Record<string, string>;
}

/** A local stand-in for api.twilio.com's Messages endpoint: checks the request, answers like Twilio. */
async function fakeTwilio() {
  const seen: SeenRequest[] = [];
  const read = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
  };
  const server = createServer((request, response) => {
    void read(request).then((form) => {
      seen.push({ method: request.method, path: request.url, authorization: request.headers.authorization, contentType: request.headers['content-type'], form });
      const answer = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.url !== `/2010-04-01/Accounts/${SID}/Messages.json`) return answer(404, { code: 20404, message: 'The requested resource was not found' });
      if (request.headers.authorization !== `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`) return answer(401, { code: 20003, message: 'Authenticate' });
      if (form.To === OPTED_OUT) return answer(400, { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 });
      if (form.To === BUSY) return answer(429, { code: 20429, message: 'Too Many Requests', status: 429 });
      if (form.To === INVALID) return answer(400, { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 });
      if (form.To === DOWN) return answer(503, { message: 'Service Unavailable' });
      return answer(201, { sid: `SM${String(seen.length).padStart(32, '0')}`, status: 'queued', to: form.To, body: form.Body });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const twilio = await fakeTwilio();
const t = await startTestApp({
  PUBLIC_URL,
  NOTIFY_SMS_TRANSPORT: 'twilio',
  TWILIO_ACCOUNT_SID: SID,
  TWILIO_AUTH_TOKEN: TOKEN,
  TWILIO_FROM: FROM,
  TWILIO_API_BASE_URL: twilio.url,
});
after(() => t.close());

const data = { name: 'Ada', code: '4821' };
const midday = () => new Date(Date.UTC(2031, 5, 2, 12, 0));
const providers = () => ({ ...recordingProviders(), sms: providersFromConfig(t.config).sms });

async function optOutsOf(phone: string): Promise<string[]> {
  const { rows } = await t.database.pool.query<{ tenant_id: string; source: string }>(
    `SELECT tenant_id, source FROM notify_opt_out WHERE channel = 'sms' AND recipient = $1 ORDER BY tenant_id`,
    [phone],
  );
  return rows.map((row) => `${row.tenant_id}:${row.source}`);
}

describe('the Twilio SMS provider', () => {
  test('posts the message form-encoded with basic auth, and logs the message SID', async () => {
    const id = await queue(t, { channel: 'sms', to: '+15550000001', data, recipientTimeZone: 'UTC', notBefore: midday() });
    const report = await deliverDue(dbs(t), providers(), midday(), DELIVER_OPTIONS);
    assert.ok(report.sent >= 1);
    const request = twilio.seen.find((seen) => seen.form.To === '+15550000001');
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.match(String(request.contentType), /^application\/x-www-form-urlencoded/);
    assert.deepEqual(request.form, { To: '+15550000001', Body: 'Parcel waiting. Code 4821. Reply STOP to opt out.', From: FROM });
    const row = await deliveryRow(t, id);
    assert.equal(row.status, 'sent');
    assert.match(row.provider_message_id ?? '', /^SM\d{32}$/);
  });

  test('21610 (recipient replied STOP) suppresses the delivery and records the opt-out, audited', async () => {
    const id = await queue(t, { channel: 'sms', to: OPTED_OUT, data, recipientTimeZone: 'UTC', notBefore: midday() });
    await deliverDue(dbs(t), providers(), midday(), DELIVER_OPTIONS);
    const row = await deliveryRow(t, id);
    assert.equal(row.status, 'suppressed');
    assert.match(row.error ?? '', /21610/);
    assert.deepEqual(await optOutsOf(OPTED_OUT), [`${t.tenantA.id}:provider-opted-out`]);
    const { rows } = await t.database.pool.query(`SELECT 1 FROM audit_event WHERE tenant_id = $1 AND action = 'notify.opt_out.recorded' AND target_id = $2`, [
      t.tenantA.id,
      `sms:${OPTED_OUT}`,
    ]);
    assert.equal(rows.length, 1);
    // The next message to them is not even attempted.
    const before = twilio.seen.length;
    const next = await queue(t, { channel: 'sms', to: OPTED_OUT, data, recipientTimeZone: 'UTC', notBefore: midday() });
    await deliverDue(dbs(t), providers(), midday(), DELIVER_OPTIONS);
    assert.equal((await deliveryRow(t, next)).status, 'suppressed');
    assert.equal(twilio.seen.length, before);
  });

  test('429 and 5xx are retried with back-off; another 4xx fails at once', async () => {
    const busy = await queue(t, { channel: 'sms', to: BUSY, data, recipientTimeZone: 'UTC', notBefore: midday() });
    const down = await queue(t, { channel: 'sms', to: DOWN, data, recipientTimeZone: 'UTC', notBefore: midday() });
    const invalid = await queue(t, { channel: 'sms', to: INVALID, data, recipientTimeZone: 'UTC', notBefore: midday() });
    await deliverDue(dbs(t), providers(), midday(), DELIVER_OPTIONS);
    for (const id of [busy, down]) {
      const row = await deliveryRow(t, id);
      assert.deepEqual([row.status, row.attempts, row.next_attempt_at?.toISOString()], ['queued', 1, new Date(midday().getTime() + 30_000).toISOString()]);
    }
    assert.match((await deliveryRow(t, busy)).error ?? '', /429/);
    const failed = await deliveryRow(t, invalid);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /21211/);
  });

  test('a Messaging Service is named instead of a number; an unreachable API is retried', async () => {
    const service = `MG${'ab'.repeat(16)}`;
    const provider = twilioSmsProvider({ accountSid: SID, authToken: TOKEN, from: undefined, messagingServiceSid: service, apiBaseUrl: twilio.url });
    await provider.send({ deliveryId: 'x', to: '+15550000009', text: 'Hi' });
    assert.deepEqual(twilio.seen.at(-1)?.form, { To: '+15550000009', Body: 'Hi', MessagingServiceSid: service });
    const nowhere = twilioSmsProvider({ accountSid: SID, authToken: TOKEN, from: FROM, messagingServiceSid: undefined, apiBaseUrl: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    await assert.rejects(nowhere.send({ deliveryId: 'y', to: '+15550000009', text: 'Hi' }), (error: Error) => error.name === 'Error' && /could not be reached/.test(error.message));
  });
});

describe('the Twilio inbound-SMS webhook', () => {
  const post = (params: Record<string, string>, signature?: string) =>
    t.app.inject({
      method: 'POST',
      url: INBOUND,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? twilioSignature(TOKEN, `${PUBLIC_URL}${INBOUND}`, params),
      },
      payload: new URLSearchParams(params).toString(),
    });
  const inbound = (from: string, body: string) => ({ MessageSid: `SM${'1'.repeat(32)}`, AccountSid: SID, From: from, To: FROM, Body: body, NumMedia: '0' });

  test("signatures match Twilio's documented example", () => {
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    assert.equal(twilioSignature('12345', url, params), 'RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    assert.equal(verifyTwilioSignature('12345', url, params, 'RSOYDt4T1cUTdK1PDd93/VVr8B8='), true);
    assert.equal(verifyTwilioSignature('12345', url, { ...params, Digits: '1235' }, 'RSOYDt4T1cUTdK1PDd93/VVr8B8='), false);
    assert.equal(verifyTwilioSignature('12345', url, params, undefined), false);
  });

  test('STOP opts the sender out of SMS from every tenant (the number is platform-wide); START lifts it everywhere', async () => {
    const phone = '+15557654321';
    const stop = await post(inbound(phone, ' stop '));
    assert.equal(stop.statusCode, 200, stop.body);
    assert.match(String(stop.headers['content-type']), /^text\/xml/);
    assert.match(stop.body, /<Response><\/Response>/);
    const tenants = await t.database.pool.query<{ id: string }>('SELECT id FROM tenant ORDER BY id');
    assert.deepEqual(await optOutsOf(phone), tenants.rows.map((tenant) => `${tenant.id}:sms:STOP`));
    for (const tenantId of [t.tenantA.id, t.tenantB.id]) {
      const { rows } = await t.database.pool.query(`SELECT actor FROM audit_event WHERE tenant_id = $1 AND action = 'notify.opt_out.recorded' AND target_id = $2`, [tenantId, `sms:${phone}`]);
      assert.equal(rows.length, 1, 'audited in each tenant');
    }
    // Tenant B's next text to them is suppressed.
    const id = await queue(t, { channel: 'sms', to: phone, data, recipientTimeZone: 'UTC', notBefore: midday() }, t.tenantB.id);
    await deliverDue(dbs(t), providers(), midday(), DELIVER_OPTIONS);
    assert.equal((await deliveryRow(t, id)).status, 'suppressed');

    assert.equal((await post(inbound(phone, 'START'))).statusCode, 200);
    assert.deepEqual(await optOutsOf(phone), []);
    // Anything else is not ours to act on.
    assert.equal((await post(inbound(phone, 'Stop texting me at night please'))).statusCode, 200);
    assert.deepEqual(await optOutsOf(phone), []);
  });

  test('a missing or wrong signature changes nothing', async () => {
    const phone = '+15557654322';
    const params = inbound(phone, 'STOP');
    const forged = await post(params, twilioSignature('not-the-token-0000000000', `${PUBLIC_URL}${INBOUND}`, params));
    assert.equal(forged.statusCode, 400);
    assert.equal((forged.json() as { error: { details: { reason: string } } }).error.details.reason, 'NOTIFY_TWILIO_SIGNATURE');
    // Signed for another URL (a replay to another installation).
    assert.equal((await post(params, twilioSignature(TOKEN, `https://elsewhere.test${INBOUND}`, params))).statusCode, 400);
    const unsigned = await t.app.inject({ method: 'POST', url: INBOUND, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(params).toString() });
    assert.equal(unsigned.statusCode, 400);
    assert.deepEqual(await optOutsOf(phone), []);
  });

  test('a From longer than a phone number is 400 and stored nowhere', async () => {
    // Within the edge's text limit, so the route's own check is what refuses it.
    const phone = `+1${'5'.repeat(100)}`;
    const response = await post(inbound(phone, 'STOP'));
    assert.equal(response.statusCode, 400, response.body);
    assert.equal((response.json() as { error: { details: { reason: string } } }).error.details.reason, 'NOTIFY_INBOUND_MALFORMED');
    assert.deepEqual(await optOutsOf(phone), []);
  });

  test('is public without a CSRF token, declared so', () => {
    const entry = t.app.routePolicies.find((route) => route.method === 'POST' && route.url === INBOUND);
    assert.equal(entry?.access, 'public');
  });
});
