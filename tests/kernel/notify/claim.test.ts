import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { claimDue, deliverDue, type NotifyProviders, type OutgoingEmail } from '../../../src/kernel/notify/index.ts';
import { startTestApp } from '../../support/app.ts';
import { meeting } from '../../support/wait.ts';
import { DELIVER_OPTIONS, dbs, deliveryRow, queue, recordingProviders } from './support.ts';

const t = await startTestApp();
after(() => t.close());

const data = { name: 'Ada', code: '4821' };
const soon = () => new Date(Date.now() + 1_000);

/** A second runner's own owner connection, as another process would have. */
function ownerPool(): pg.Pool {
  const pool = new pg.Pool({ connectionString: t.database.url, max: 2 });
  after(() => pool.end());
  return pool;
}

describe('the cross-tenant claim', () => {
  test('two runners in parallel send every due delivery of every tenant exactly once', async () => {
    const ids = await Promise.all(
      Array.from({ length: 16 }, (_, index) => queue(t, { channel: 'email', to: `parallel${index}@example.test`, data }, index % 2 === 0 ? t.tenantA.id : t.tenantB.id)),
    );
    const sent: OutgoingEmail[] = [];
    const now = soon();
    const options = { ...DELIVER_OPTIONS, batchSize: 5 };
    // Each runner keeps claiming until nothing is left, on its own owner connection. Its first send
    // waits until the other runner has begun sending too (or stopped): the passes overlap for real.
    const join = meeting(2);
    const runner = async (owner: pg.Pool) => {
      const arrive = join();
      const email = {
        name: 'meeting',
        async send(message: OutgoingEmail) {
          await arrive();
          sent.push(message);
          return { providerMessageId: `meeting-${sent.length}` };
        },
      };
      let total = 0;
      try {
        for (;;) {
          const report = await deliverDue({ db: t.app.db, owner }, { ...recordingProviders(), email }, now, options);
          const handled = report.sent + report.retrying + report.failed + report.suppressed + report.deferred;
          total += handled;
          if (handled === 0) return total;
        }
      } finally {
        void arrive();
      }
    };
    const [first, second] = await Promise.all([runner(ownerPool()), runner(ownerPool())]);
    const mine = sent.map((email) => email.deliveryId).filter((id) => ids.includes(id));
    assert.equal(mine.length, ids.length, 'every delivery was sent');
    assert.equal(new Set(mine).size, ids.length, 'none twice');
    assert.ok(first > 0 && second > 0, `both runners took part (${first} and ${second})`);
    for (const id of ids) assert.deepEqual([(await deliveryRow(t, id)).status, (await deliveryRow(t, id)).attempts], ['sent', 1]);
  });

  test("a crashed runner's claim comes back once its lease runs out, and counts as an attempt only once sending began", async () => {
    const id = await queue(t, { channel: 'email', to: 'crashed@example.test', data });
    const start = soon();
    // A runner claims and dies before preparing the delivery.
    const claims = await claimDue(t.database.pool, start, 1000, 60_000);
    assert.ok(claims.some((claim) => claim.id === id));
    const claimed = await deliveryRow(t, id);
    assert.deepEqual([claimed.status, claimed.attempts, claimed.next_attempt_at?.toISOString()], ['sending', 0, new Date(start.getTime() + 60_000).toISOString()]);

    const providers = recordingProviders();
    await deliverDue(dbs(t), providers, new Date(start.getTime() + 59_000), DELIVER_OPTIONS);
    assert.equal(providers.emails.filter((email) => email.deliveryId === id).length, 0, 'not while the lease holds');
    await deliverDue(dbs(t), providers, new Date(start.getTime() + 60_000), DELIVER_OPTIONS);
    assert.equal(providers.emails.filter((email) => email.deliveryId === id).length, 1, 'taken over once it ran out');
    assert.deepEqual([(await deliveryRow(t, id)).status, (await deliveryRow(t, id)).attempts], ['sent', 1]);
  });

  test('a delivery whose lease ran out while earlier ones of the batch were sent is left to the next claim, not sent late', async () => {
    await deliverDue(dbs(t), recordingProviders(), soon(), DELIVER_OPTIONS); // nothing else due in the way
    const start = new Date(Date.now() + 5_000);
    const ids = await Promise.all([0, 1, 2].map((index) => queue(t, { channel: 'email', to: `batch${index}@example.test`, data, notBefore: start }, t.tenantB.id)));
    const sent: OutgoingEmail[] = [];
    // The pass's clock moves by hand: each message takes 600 ms of it.
    let wall = 0;
    const slow: NotifyProviders = {
      ...recordingProviders(),
      email: {
        name: 'slow',
        async send(message) {
          wall += 600;
          sent.push(message);
          return { providerMessageId: 'slow' };
        },
      },
    };
    // A 300 ms lease: the first message takes 600 ms, so the others' leases have run out by their turn.
    const first = await deliverDue(dbs(t), slow, start, { ...DELIVER_OPTIONS, leaseMs: 300, wallClock: () => wall });
    assert.equal(first.sent, 1);
    const left = ids.filter((id) => !sent.some((message) => message.deliveryId === id));
    assert.equal(left.length, 2);
    for (const id of left) assert.deepEqual([(await deliveryRow(t, id)).status, (await deliveryRow(t, id)).attempts], ['sending', 0]);
    await deliverDue(dbs(t), recordingProviders(), new Date(start.getTime() + 10_000), DELIVER_OPTIONS);
    for (const id of ids) assert.deepEqual([(await deliveryRow(t, id)).status, (await deliveryRow(t, id)).attempts], ['sent', 1]);
  });

  test('the late outcome of a claim that was taken over is not recorded', async () => {
    const id = await queue(t, { channel: 'email', to: 'late@example.test', data });
    const start = soon();
    const [stale] = (await claimDue(t.database.pool, start, 1000, 1_000)).filter((claim) => claim.id === id);
    assert.ok(stale);
    // The lease runs out and another runner sends it.
    await deliverDue(dbs(t), recordingProviders(), new Date(start.getTime() + 2_000), DELIVER_OPTIONS);
    assert.equal((await deliveryRow(t, id)).status, 'sent');
    // The first runner comes back: its token no longer matches, so nothing changes.
    const { rowCount } = await t.database.pool.query(`UPDATE notify_delivery SET status = 'failed', next_attempt_at = NULL WHERE id = $1 AND claim_token = $2`, [id, stale.token]);
    assert.equal(rowCount, 0);
  });

  test('attempts used up by runners that crashed mid-send fail the delivery instead of sending it forever', async () => {
    const id = await queue(t, { channel: 'email', to: 'poison@example.test', data });
    await t.database.pool.query(`UPDATE notify_delivery SET attempts = 5 WHERE id = $1`, [id]);
    const providers = recordingProviders();
    await deliverDue(dbs(t), providers, soon(), DELIVER_OPTIONS);
    const row = await deliveryRow(t, id);
    assert.equal(row.status, 'failed');
    assert.match(row.error ?? '', /Gave up after 5 attempts/);
    assert.equal(providers.emails.filter((email) => email.deliveryId === id).length, 0);
  });

  test('the app role may not call the claim function, nor see other tenants’ deliveries', async () => {
    await assert.rejects(t.app.db.execute(sql`SELECT * FROM notify_claim_due(10, now(), 1000)`), (error: Error & { cause?: { code?: string } }) => {
      assert.equal(error.cause?.code ?? (error as { code?: string }).code, '42501', String(error));
      return true;
    });
    const { rows } = await t.database.pool.query<{ rolname: string; rolcanlogin: boolean; rolbypassrls: boolean }>(
      `SELECT r.rolname, r.rolcanlogin, r.rolbypassrls FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner WHERE p.proname = 'notify_claim_due'`,
    );
    assert.deepEqual(rows, [{ rolname: 'plinth_notify_runner', rolcanlogin: false, rolbypassrls: false }]);
    const { rows: grants } = await t.database.pool.query<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM information_schema.role_table_grants WHERE grantee = 'plinth_notify_runner' ORDER BY 1`,
    );
    assert.deepEqual(grants.map((grant) => grant.table_name), ['notify_delivery'], 'the definer role touches the delivery table only');
  });
});
