import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import {
  deliverDue,
  PermanentDeliveryError,
  providersFromConfig,
  queueNotification,
  setNotifySettings,
  smtpEmailProvider,
  startNotifyRunner,
} from '../../../src/kernel/notify/index.ts';
import { setTenantTimeZone, withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, testConfig } from '../../support/app.ts';
import { until } from '../../support/wait.ts';
import { DELIVER_OPTIONS, dbs, deliveryRow, parcelArrived, queue, recordingProviders } from './support.ts';

const t = await startTestApp();
after(() => t.close());

const soon = () => new Date(Date.now() + 1_000);
const data = { name: 'Ada <Lovelace>', code: '4821' };

describe('queueNotification and deliverDue', () => {
  test('a rolled-back transaction queues and sends nothing', async () => {
    let id: string | undefined;
    await assert.rejects(
      withTenantTx({ db: t.app.db, tenantId: t.tenantA.id, requestId: 'rollback' }, async (uow) => {
        id = await queueNotification(uow, { channel: 'email', to: 'rolled@example.test', template: parcelArrived, data });
        throw new Error('the use case failed after queueing');
      }),
      /use case failed/,
    );
    assert.ok(id);
    const { rowCount } = await t.database.pool.query('SELECT 1 FROM notify_delivery WHERE id = $1', [id]);
    assert.equal(rowCount, 0);
    const providers = recordingProviders();
    await deliverDue(dbs(t), providers, soon(), DELIVER_OPTIONS);
    assert.equal(providers.emails.filter((email) => email.to === 'rolled@example.test').length, 0);
  });

  test('bad recipients and data fail where the message is queued', async () => {
    await assert.rejects(queue(t, { channel: 'sms', to: '555-1234', data }), /phone number/);
    await assert.rejects(queue(t, { channel: 'email', to: 'not-an-address', data }), /email address/);
    await assert.rejects(
      withTenantTx({ db: t.app.db, tenantId: t.tenantA.id, requestId: 'bad' }, (uow) =>
        queueNotification(uow, { channel: 'email', to: 'a@example.test', template: parcelArrived, data: { name: 'x' } as typeof data }),
      ),
    );
  });

  test('the file transport writes an .eml with escaped HTML and an unsubscribe header, and logs the delivery', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-notify-'));
    try {
      const providers = providersFromConfig(testConfig({ PLINTH_DATA_DIR: dataDir, NOTIFY_EMAIL_TRANSPORT: 'file' }));
      const emailId = await queue(t, { channel: 'email', to: 'Ada@Example.test', data });
      const smsId = await queue(t, { channel: 'sms', to: '+44 7700 900123', data, recipientTimeZone: 'UTC' });
      // Midday UTC: no quiet hours in the way of the SMS.
      const now = new Date(Date.UTC(2027, 0, 4, 12));
      await deliverDue(dbs(t), providers, now, { ...DELIVER_OPTIONS, unsubscribe: { key: Buffer.alloc(32, 1), baseUrl: 'https://plinth.test' } });

      const [emlName] = await readdir(path.join(dataDir, 'notify', 'email'));
      assert.ok(emlName?.endsWith(`${emailId}.eml`), String(emlName));
      // Unfold header lines (RFC 5322) and use \n line ends so each header is one line.
      const eml = (await readFile(path.join(dataDir, 'notify', 'email', emlName as string), 'utf8')).replace(/\r\n[ \t]+/g, ' ').replace(/\r\n/g, '\n');
      assert.match(eml, /^To: ada@example\.test$/m);
      assert.match(eml, /^Subject: Your parcel is here, Ada <Lovelace>$/m);
      assert.match(eml, /^List-Unsubscribe: <https:\/\/plinth\.test\/notify\/unsubscribe\?token=/m);
      assert.match(eml, /&lt;Lovelace&gt;/);
      assert.doesNotMatch(eml, /<b>Ada <Lovelace>/);

      const [txtName] = await readdir(path.join(dataDir, 'notify', 'sms'));
      const sms = await readFile(path.join(dataDir, 'notify', 'sms', txtName as string), 'utf8');
      assert.equal(sms, 'To: +447700900123\n\nParcel waiting. Code 4821. Reply STOP to opt out.\n');

      const email = await deliveryRow(t, emailId);
      assert.equal(email.status, 'sent');
      assert.equal(email.attempts, 1);
      assert.equal(email.provider_message_id, `<${emailId}@plinth.local>`);
      assert.equal(email.next_attempt_at, null);
      assert.equal((await deliveryRow(t, smsId)).status, 'sent');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('through a real SMTP server the message arrives', async () => {
    const received: { from: string | undefined; to: string[]; raw: string }[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const envelope = session.envelope;
          received.push({
            from: envelope.mailFrom ? envelope.mailFrom.address : undefined,
            to: envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as { port: number };
    const smtp = smtpEmailProvider(`smtp://127.0.0.1:${port}`);
    try {
      const id = await queue(t, { channel: 'email', to: 'grace@example.test', data: { name: 'Grace', code: '7777' } });
      const report = await deliverDue(dbs(t), { ...recordingProviders(), email: smtp }, soon(), DELIVER_OPTIONS);
      assert.ok(report.sent >= 1);
      assert.equal(received.length, 1);
      assert.equal(received[0]?.from, 'no-reply@plinth.test');
      assert.deepEqual(received[0]?.to, ['grace@example.test']);
      assert.match(received[0]?.raw ?? '', /Subject: Your parcel is here, Grace/);
      assert.match(received[0]?.raw ?? '', /pick-up code 7777/);
      const row = await deliveryRow(t, id);
      assert.equal(row.status, 'sent');
      assert.equal(row.provider_message_id, `<${id}@plinth>`);
    } finally {
      await smtp.close?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('a failing provider is retried with back-off, then the delivery fails', async () => {
    const id = await queue(t, { channel: 'email', to: 'flaky@example.test', data });
    const down = recordingProviders(() => new Error('connect ECONNREFUSED'));
    const options = { ...DELIVER_OPTIONS, maxAttempts: 3, backoffMs: (attempts: number) => attempts * 60_000 };
    const start = soon();
    const minutes = (n: number) => new Date(start.getTime() + n * 60_000);

    await deliverDue(dbs(t), down, start, options);
    let row = await deliveryRow(t, id);
    assert.deepEqual([row.status, row.attempts, row.error], ['queued', 1, 'connect ECONNREFUSED']);
    assert.equal(row.next_attempt_at?.toISOString(), minutes(1).toISOString());

    // Not due yet: nothing is tried.
    await deliverDue(dbs(t), down, new Date(minutes(1).getTime() - 1), options);
    assert.equal((await deliveryRow(t, id)).attempts, 1);

    await deliverDue(dbs(t), down, minutes(1), options);
    row = await deliveryRow(t, id);
    assert.deepEqual([row.status, row.attempts], ['queued', 2]);
    assert.equal(row.next_attempt_at?.toISOString(), minutes(3).toISOString());

    await deliverDue(dbs(t), down, minutes(3), options);
    row = await deliveryRow(t, id);
    assert.deepEqual([row.status, row.attempts, row.next_attempt_at], ['failed', 3, null]);

    // Settled: later passes leave it alone.
    const up = recordingProviders();
    await deliverDue(dbs(t), up, minutes(60), options);
    assert.equal(up.emails.filter((email) => email.deliveryId === id).length, 0);
  });

  test('a permanent refusal fails at once', async () => {
    const id = await queue(t, { channel: 'email', to: 'nobody@example.test', data });
    await deliverDue(dbs(t), recordingProviders(() => new PermanentDeliveryError('550 no such mailbox')), soon(), DELIVER_OPTIONS);
    const row = await deliveryRow(t, id);
    assert.deepEqual([row.status, row.attempts, row.error], ['failed', 1, '550 no such mailbox']);
  });

  test('SMS in quiet hours waits for the local morning, across a DST change; email goes at once', async () => {
    // 22:00 EST on 7 March 2026 in New York; clocks go forward that night.
    const night = new Date('2026-03-08T03:00:00Z');
    const smsId = await queue(t, { channel: 'sms', to: '+12025550143', data, recipientTimeZone: 'America/New_York', notBefore: night });
    const emailId = await queue(t, { channel: 'email', to: 'night-owl@example.test', data, recipientTimeZone: 'America/New_York', notBefore: night });
    const markedEmailId = await queue(t, { channel: 'email', to: 'sleeper@example.test', data, recipientTimeZone: 'America/New_York', notBefore: night, quietHours: true });
    const providers = recordingProviders();
    await deliverDue(dbs(t), providers, night, DELIVER_OPTIONS);
    assert.equal((await deliveryRow(t, markedEmailId)).next_attempt_at?.toISOString(), '2026-03-08T12:00:00.000Z', 'email marked for quiet hours waits too');

    const deferred = await deliveryRow(t, smsId);
    assert.equal(deferred.status, 'deferred');
    assert.equal(deferred.attempts, 0);
    // 08:00 EDT, not 08:00 EST.
    assert.equal(deferred.next_attempt_at?.toISOString(), '2026-03-08T12:00:00.000Z');
    assert.equal((await deliveryRow(t, emailId)).status, 'sent');

    await deliverDue(dbs(t), providers, new Date('2026-03-08T11:59:00Z'), DELIVER_OPTIONS);
    assert.equal((await deliveryRow(t, smsId)).status, 'deferred');
    await deliverDue(dbs(t), providers, new Date('2026-03-08T12:00:00Z'), DELIVER_OPTIONS);
    assert.equal((await deliveryRow(t, smsId)).status, 'sent');
    assert.equal(providers.texts.filter((sms) => sms.deliveryId === smsId).length, 1);
  });

  test('parallel passes never send the same delivery twice', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, (_, index) => queue(t, { channel: 'email', to: `crowd${index}@example.test`, data })));
    const providers = recordingProviders();
    const now = soon();
    await Promise.all([1, 2, 3].map(() => deliverDue(dbs(t), providers, now, DELIVER_OPTIONS)));
    const sent = providers.emails.map((email) => email.deliveryId).filter((id) => ids.includes(id));
    assert.equal(sent.length, ids.length);
    assert.equal(new Set(sent).size, ids.length);
  });

  test('the runner delivers on its interval and stops cleanly', async () => {
    const id = await queue(t, { channel: 'email', to: 'runner@example.test', data });
    const providers = recordingProviders();
    const runner = startNotifyRunner({ db: t.app.db, providers, options: DELIVER_OPTIONS, intervalMs: 20 });
    try {
      await until('the runner to send it', async () => (await deliveryRow(t, id)).status === 'sent');
    } finally {
      await runner.stop();
    }
  });

  test("a tenant's own quiet hours apply on the business's clocks when the recipient's zone is unknown", async () => {
    await withTenantTx({ db: t.app.db, tenantId: t.tenantB.id }, async (uow) => {
      await setNotifySettings(uow.tx, t.tenantB.id, { quietHours: '20:00-09:00' });
      await setTenantTimeZone(uow.tx, t.tenantB.id, 'Europe/Berlin');
    });
    // 08:30 in Berlin (CET, +1) on 5 January 2027: still quiet for tenant B until 09:00 = 08:00Z.
    const morning = new Date('2027-01-05T07:30:00Z');
    const id = await queue(t, { channel: 'sms', to: '+4915112345678', data, notBefore: morning }, t.tenantB.id);
    await deliverDue(dbs(t), recordingProviders(), morning, DELIVER_OPTIONS);
    const row = await deliveryRow(t, id);
    assert.deepEqual([row.status, row.next_attempt_at?.toISOString()], ['deferred', '2027-01-05T08:00:00.000Z']);
  });
});
