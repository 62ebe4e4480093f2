import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import Stripe from 'stripe';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import { APP_ROLE, createDatabase, type Database } from '../../../src/kernel/db/index.ts';
import { deliverEvent, type HandlerJobData } from '../../../src/kernel/jobs/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { paymentsCharge } from '../../../src/kernel/payments/ledger.table.ts';
import { createFakePayments, providerEventsHandler, refundCharge, startPayment, type PaymentsProvider } from '../../../src/kernel/payments/index.ts';
import { PLATFORM_TENANT_ID, withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { WEBHOOK_RECEIVED } from '../../../src/kernel/webhooks/index.ts';
import { startTestApp, TEST_STRIPE_WEBHOOK_SECRET, type TestApp } from '../../support/app.ts';
import { lockWaiters } from '../../support/wait.ts';

const SQUARE_KEY = 'square-signature-key-for-payments-tests';
const SQUARE_URL = 'https://plinth.example/v1/webhooks/square';
const log = createLogger('silent');
const handler = { name: 'payments.provider-events', definition: providerEventsHandler };
/** A started charge's provider payment id (recorded by startPayment before it answers). */
const paymentIdOf = (charge: { providerPaymentId: string | null }): string => {
  assert.ok(charge.providerPaymentId, 'the provider payment id is recorded');
  return charge.providerPaymentId;
};

interface IntentFacts {
  id: string;
  amount: number;
  currency?: string;
  chargeId?: string;
  error?: string;
}
const stripeEvent = (eventId: string, type: string, intent: IntentFacts) =>
  JSON.stringify({
    id: eventId,
    object: 'event',
    type,
    data: {
      object: {
        id: intent.id,
        object: 'payment_intent',
        amount: intent.amount,
        currency: intent.currency ?? 'eur',
        metadata: intent.chargeId ? { plinth_charge_id: intent.chargeId } : {},
        last_payment_error: intent.error ? { message: intent.error } : null,
      },
    },
  });
const squareEvent = (eventId: string, payment: { id: string; status: string; amount: number; chargeId: string }) =>
  JSON.stringify({
    merchant_id: 'M1',
    type: 'payment.updated',
    event_id: eventId,
    created_at: new Date().toISOString(),
    data: { type: 'payment', id: payment.id, object: { payment: { id: payment.id, status: payment.status, amount_money: { amount: payment.amount, currency: 'EUR' }, reference_id: payment.chargeId } } },
  });

describe('provider webhooks settle charges exactly once', () => {
  let t: TestApp;
  let appDatabase: Database;
  let ctxA: ServiceContext;
  let ctxB: ServiceContext;
  // The fake adapter standing in for the provider whose signed webhooks the tests send.
  const asStripe: PaymentsProvider = { ...createFakePayments({ settle: 'by-webhook' }), id: 'stripe' };
  const asSquare: PaymentsProvider = { ...createFakePayments({ settle: 'by-webhook' }), id: 'square' };

  const owner = <R extends Record<string, unknown>>(query: string, values: unknown[] = []) => t.database.pool.query<R>(query, values);
  const count = async (query: string, values: unknown[]) => Number((await owner<{ n: number }>(`SELECT count(*)::int AS n FROM (${query}) AS q`, values)).rows[0]?.n);
  const audits = (chargeId: string, action: string) => count('SELECT 1 FROM audit_event WHERE target_id = $1 AND action = $2', [chargeId, action]);
  const emitted = (chargeId: string, type: string) => count("SELECT 1 FROM jobs_outbox WHERE type = $1 AND payload->>'chargeId' = $2", [type, chargeId]);
  const statusOf = async (chargeId: string) => (await owner<{ status: string }>('SELECT status FROM payments_charge WHERE id = $1', [chargeId])).rows[0]?.status;
  const processed = async (inboxId: string) => (await owner<{ processed_at: Date | null }>('SELECT processed_at FROM webhook_inbox WHERE id = $1', [inboxId])).rows[0]?.processed_at != null;

  const post = (provider: 'stripe' | 'square', payload: string) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/${provider}`,
      headers: {
        'content-type': 'application/json',
        ...(provider === 'stripe'
          ? { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_STRIPE_WEBHOOK_SECRET }) }
          : { 'x-square-hmacsha256-signature': createHmac('sha256', SQUARE_KEY).update(SQUARE_URL + payload).digest('base64') }),
      },
      payload,
    });

  /** Posts a signed event through the real endpoint; answers the outbox event the inbox emitted for it. */
  async function receive(provider: 'stripe' | 'square', payload: string): Promise<HandlerJobData> {
    const response = await post(provider, payload);
    assert.equal(response.statusCode, 200, response.body);
    const eventId = (JSON.parse(payload) as { id?: string; event_id?: string }).id ?? (JSON.parse(payload) as { event_id: string }).event_id;
    const { rows } = await owner<{ id: string; payload: Record<string, unknown>; occurred_at: Date }>(
      `SELECT o.id, o.payload, o.occurred_at FROM jobs_outbox o JOIN webhook_inbox i ON o.payload->>'inboxId' = i.id::text
        WHERE o.type = $1 AND i.provider = $2 AND i.event_id = $3`,
      [WEBHOOK_RECEIVED, provider, eventId],
    );
    assert.equal(rows.length, 1);
    const [row] = rows;
    assert.ok(row);
    return { id: row.id, type: WEBHOOK_RECEIVED, tenantId: PLATFORM_TENANT_ID, payload: row.payload, occurredAt: row.occurred_at.toISOString(), handler: handler.name };
  }
  const inboxOf = (job: HandlerJobData) => job.payload.inboxId as string;
  const deliver = (job: HandlerJobData) => deliverEvent(appDatabase, log, handler, job);
  /** The same stored event handed over again as a new job (as if emitted twice): only the inbox claim can stop it. */
  const redelivery = (job: HandlerJobData): HandlerJobData => ({ ...job, id: randomUUID() });

  const pendingCharge = (ctx: ServiceContext, provider = asStripe, amountMinor = 1500) =>
    startPayment(ctx, provider, { amountMinor, currency: 'EUR', operationKey: `sale:${randomUUID()}` });

  before(async () => {
    t = await startTestApp({ SQUARE_WEBHOOK_SIGNATURE_KEY: SQUARE_KEY, SQUARE_WEBHOOK_URL: SQUARE_URL });
    // Handlers run as the app role, under row-level security, like the job workers.
    appDatabase = createDatabase(t.database.url, { poolMax: 16, log, role: APP_ROLE });
    const base = { db: appDatabase.db, actor: { kind: 'system', process: 'test' } as const, requestId: randomUUID(), log };
    ctxA = { ...base, tenantId: t.tenantA.id };
    ctxB = { ...base, tenantId: t.tenantB.id };
  });
  after(async () => {
    await appDatabase.close();
    await t.close();
  });

  test('payment_intent.succeeded: the charge succeeds, with one audit entry and one outbox event, and the inbox row is processed', async () => {
    const charge = await pendingCharge(ctxA);
    const job = await receive('stripe', stripeEvent(`evt_${randomUUID()}`, 'payment_intent.succeeded', { id: paymentIdOf(charge), amount: 1500, chargeId: charge.id }));
    assert.equal(await deliver(job), true);
    assert.equal(await statusOf(charge.id), 'succeeded');
    assert.equal(await audits(charge.id, 'payments.charge.succeeded'), 1);
    assert.equal(await emitted(charge.id, 'payments.charge.succeeded'), 1);
    assert.ok(await processed(inboxOf(job)));
    const { rows } = await owner<{ tenant_id: string }>("SELECT tenant_id FROM jobs_outbox WHERE type = 'payments.charge.succeeded' AND payload->>'chargeId' = $1", [charge.id]);
    assert.equal(rows[0]?.tenant_id, t.tenantA.id, "the effect's event belongs to the charge's tenant, not the platform");
    // Now it is refundable.
    assert.equal((await refundCharge(ctxA, asStripe, { chargeId: charge.id, amountMinor: 500, operationKey: 'return:1' })).status, 'succeeded');
  });

  test('one event delivered 10 times in parallel (same job, and as 10 different jobs) has one effect', async () => {
    const charge = await pendingCharge(ctxA);
    const job = await receive('stripe', stripeEvent(`evt_${randomUUID()}`, 'payment_intent.succeeded', { id: paymentIdOf(charge), amount: 1500, chargeId: charge.id }));
    const ran = await Promise.all([
      ...Array.from({ length: 10 }, () => deliver(job)),
      ...Array.from({ length: 10 }, () => deliver(redelivery(job))),
    ]);
    assert.equal(ran.filter((first) => first).length, 11, 'one run of the same job, ten of the other jobs: all but one find the event processed');
    assert.equal(await audits(charge.id, 'payments.charge.succeeded'), 1);
    assert.equal(await emitted(charge.id, 'payments.charge.succeeded'), 1);
    await deliver(redelivery(job));
    assert.equal(await audits(charge.id, 'payments.charge.succeeded'), 1);
  });

  test('the same webhook POSTed 10 times in parallel is stored once and settles the charge once', async () => {
    const charge = await pendingCharge(ctxA);
    const eventId = `evt_${randomUUID()}`;
    const payload = stripeEvent(eventId, 'payment_intent.succeeded', { id: paymentIdOf(charge), amount: 1500, chargeId: charge.id });
    const responses = await Promise.all(Array.from({ length: 10 }, () => post('stripe', payload)));
    assert.ok(responses.every((response) => response.statusCode === 200));
    assert.equal(responses.filter((response) => (response.json() as { duplicate: boolean }).duplicate === false).length, 1);
    const job = await receive('stripe', payload);
    await Promise.all(Array.from({ length: 5 }, () => deliver(redelivery(job))));
    assert.equal(await statusOf(charge.id), 'succeeded');
    assert.equal(await audits(charge.id, 'payments.charge.succeeded'), 1);
    assert.equal(await emitted(charge.id, 'payments.charge.succeeded'), 1);
  });

  test('in flight A: while an API request holds the charge row lock, deliveries wait, then apply once after its commit', async () => {
    // The charge is committed but its provider payment id is not yet (the API request is recording it).
    const chargeId = randomUUID();
    const providerPaymentId = `pi_${randomUUID()}`;
    await withTenantTx(ctxA, (uow) => uow.tx.insert(paymentsCharge).values({ tenantId: t.tenantA.id, id: chargeId, provider: 'stripe', status: 'pending', operationKey: `sale:${chargeId}`, amountMinor: 900, currency: 'EUR' }));
    const job = await receive('stripe', stripeEvent(`evt_${randomUUID()}`, 'payment_intent.succeeded', { id: providerPaymentId, amount: 900, chargeId }));

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const apiRequest = withTenantTx(ctxA, async (uow) => {
      await uow.tx.select().from(paymentsCharge).where(and(eq(paymentsCharge.tenantId, t.tenantA.id), eq(paymentsCharge.id, chargeId))).for('update');
      await uow.tx.update(paymentsCharge).set({ providerPaymentId }).where(and(eq(paymentsCharge.tenantId, t.tenantA.id), eq(paymentsCharge.id, chargeId)));
      locked();
      await released;
    });
    await lockTaken;
    let finished = 0;
    const deliveries = Array.from({ length: 5 }, () => deliver(redelivery(job)).finally(() => finished++));
    // All five queue on a lock (the first on the charge row, the others behind it on the inbox row).
    await lockWaiters(t.database.pool, 5);
    assert.equal(finished, 0, 'every delivery waits for the lock');
    assert.equal(await statusOf(chargeId), 'pending');
    assert.equal(await processed(inboxOf(job)), false);
    release();
    await apiRequest;
    await Promise.all(deliveries);
    assert.equal(await statusOf(chargeId), 'succeeded', 'after the lock, the state was read again: the payment id now matches');
    assert.equal(await audits(chargeId, 'payments.charge.succeeded'), 1);
    assert.equal(await emitted(chargeId, 'payments.charge.succeeded'), 1);
    assert.ok(await processed(inboxOf(job)));
  });

  test('in flight B: a charge whose insert has not committed fails the delivery (retried), and the retry applies once', async () => {
    const chargeId = randomUUID();
    const providerPaymentId = `pi_${randomUUID()}`;
    const job = await receive('stripe', stripeEvent(`evt_${randomUUID()}`, 'payment_intent.succeeded', { id: providerPaymentId, amount: 700, chargeId }));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertDone = new Promise<void>((resolve) => (inserted = resolve));
    const apiRequest = withTenantTx(ctxA, async (uow) => {
      await uow.tx.insert(paymentsCharge).values({ tenantId: t.tenantA.id, id: chargeId, provider: 'stripe', providerPaymentId, status: 'pending', operationKey: `sale:${chargeId}`, amountMinor: 700, currency: 'EUR' });
      inserted();
      await released;
    });
    await insertDone;
    await assert.rejects(deliver(job), /not committed yet/);
    assert.equal(await processed(inboxOf(job)), false, 'a failed delivery marks nothing');
    release();
    await apiRequest;
    // pg-boss retries the same job (same event id): the failed attempt's processed-event record was rolled back.
    const retries = await Promise.all([deliver(job), deliver(job), deliver(redelivery(job))]);
    assert.ok(retries.includes(true));
    assert.equal(await statusOf(chargeId), 'succeeded');
    assert.equal(await audits(chargeId, 'payments.charge.succeeded'), 1);
    assert.ok(await processed(inboxOf(job)));
  });

  test("a forged event naming another tenant's charge, with a payment id that is not that charge's, has no effect", async () => {
    const victim = await pendingCharge(ctxB);
    const job = await receive('stripe', stripeEvent(`evt_${randomUUID()}`, 'payment_intent.succeeded', { id: `pi_${randomUUID()}`, amount: 1500, chargeId: victim.id }));
    await deliver(job);
    assert.equal(await statusOf(victim.id), 'pending');
    assert.equal(await audits(victim.id, 'payments.charge.succeeded'), 0);
    assert.equal(await emitted(victim.id, 'payments.charge.succeeded'), 0);
    assert.ok(await processed(inboxOf(job)), 'processed: retrying cannot make it match');
    // The right payment id with another amount is no effect either.
    const wrongAmount = await receive('stripe', stripeEvent(`evt_${randomUUID()}`, 'payment_intent.succeeded', { id: paymentIdOf(victim), amount: 1, chargeId: victim.id }));
    await deliver(wrongAmount);
    assert.equal(await statusOf(victim.id), 'pending');
  });

  test('out of order: a failure after success is ignored; a failure of a pending charge fails it once', async () => {
    const charge = await pendingCharge(ctxA);
    const facts = { id: paymentIdOf(charge), amount: 1500, chargeId: charge.id };
    await deliver(await receive('stripe', stripeEvent(`evt_${randomUUID()}`, 'payment_intent.succeeded', facts)));
    const late = await receive('stripe', stripeEvent(`evt_${randomUUID()}`, 'payment_intent.payment_failed', { ...facts, error: 'card declined' }));
    await deliver(late);
    assert.equal(await statusOf(charge.id), 'succeeded');
    assert.equal(await audits(charge.id, 'payments.charge.failed'), 0);
    assert.ok(await processed(inboxOf(late)));

    const other = await pendingCharge(ctxA);
    const failed = await receive('stripe', stripeEvent(`evt_${randomUUID()}`, 'payment_intent.payment_failed', { id: paymentIdOf(other), amount: 1500, chargeId: other.id, error: 'card declined' }));
    await Promise.all([deliver(failed), deliver(redelivery(failed))]);
    assert.equal(await statusOf(other.id), 'failed');
    assert.equal(await audits(other.id, 'payments.charge.failed'), 1);
    assert.equal(await emitted(other.id, 'payments.charge.failed'), 1);
    const { rows } = await owner<{ failure_message: string }>('SELECT failure_message FROM payments_charge WHERE id = $1', [other.id]);
    assert.equal(rows[0]?.failure_message, 'card declined');
  });

  test('Square payment.updated: COMPLETED settles the charge once; a non-final status changes nothing', async () => {
    const charge = await pendingCharge(ctxB, asSquare, 2000);
    const approved = await receive('square', squareEvent(`sq_${randomUUID()}`, { id: paymentIdOf(charge), status: 'APPROVED', amount: 2000, chargeId: charge.id }));
    await deliver(approved);
    assert.equal(await statusOf(charge.id), 'pending');
    assert.ok(await processed(inboxOf(approved)));
    const completed = await receive('square', squareEvent(`sq_${randomUUID()}`, { id: paymentIdOf(charge), status: 'COMPLETED', amount: 2000, chargeId: charge.id }));
    await Promise.all(Array.from({ length: 4 }, () => deliver(redelivery(completed))));
    assert.equal(await statusOf(charge.id), 'succeeded');
    assert.equal(await audits(charge.id, 'payments.charge.succeeded'), 1);
    const { rows } = await owner<{ tenant_id: string }>('SELECT tenant_id FROM audit_event WHERE target_id = $1 AND action = $2', [charge.id, 'payments.charge.succeeded']);
    assert.equal(rows[0]?.tenant_id, t.tenantB.id);
  });

  test("events it does not own stay unprocessed for their own handlers; owned events for payments Plinth did not start are processed with no effect", async () => {
    const other = await receive('stripe', JSON.stringify({ id: `evt_${randomUUID()}`, object: 'event', type: 'customer.created', data: { object: { id: 'cus_1' } } }));
    await deliver(other);
    assert.equal(await processed(inboxOf(other)), false);
    const foreign = await receive('stripe', stripeEvent(`evt_${randomUUID()}`, 'payment_intent.succeeded', { id: `pi_${randomUUID()}`, amount: 100 }));
    await deliver(foreign);
    assert.ok(await processed(inboxOf(foreign)));
  });

  test('the routing function is the only way across tenants: the app role still sees no other tenant\'s charges', async () => {
    const charge = await pendingCharge(ctxB);
    const visible = await withTenantTx(ctxA, (uow) => uow.tx.select().from(paymentsCharge).where(eq(paymentsCharge.id, charge.id)));
    assert.equal(visible.length, 0);
    const { rows } = await appDatabase.pool.query('SELECT tenant_id, by_payment_id FROM payments_route_charge($1, $2, NULL)', ['stripe', charge.providerPaymentId]);
    assert.deepEqual(rows, [{ tenant_id: t.tenantB.id, by_payment_id: true }]);
    // The inbox is platform-level (no tenant_id), so not under row-level security: a transaction
    // scoped to the charge's tenant can still mark it processed, together with the effect.
    const rls = await owner<{ relname: string; relrowsecurity: boolean }>("SELECT relname, relrowsecurity FROM pg_class WHERE relname IN ('webhook_inbox', 'payments_charge') ORDER BY relname");
    assert.deepEqual(rls.rows, [
      { relname: 'payments_charge', relrowsecurity: true },
      { relname: 'webhook_inbox', relrowsecurity: false },
    ]);
    // Outside a tenant transaction the app role sees no charge at all; the function reads only its four columns.
    assert.equal((await appDatabase.pool.query('SELECT id FROM payments_charge')).rows.length, 0);
    const privileges = await owner<{ amount: boolean; payment: boolean }>(
      "SELECT has_column_privilege('plinth_payments_router', 'payments_charge', 'amount_minor', 'SELECT') AS amount, has_column_privilege('plinth_payments_router', 'payments_charge', 'provider_payment_id', 'SELECT') AS payment",
    );
    assert.deepEqual(privileges.rows[0], { amount: false, payment: true });
  });
  test('charge.refunded (a refund made in the Stripe dashboard) becomes one refund row per refund, capped at the capture, audited; replays, old events and our own refunds add nothing', async () => {
    const succeeded = async (amount: number) => {
      const charge = await pendingCharge(ctxA, asStripe, amount);
      await deliver(await receive('stripe', stripeEvent(`evt_${randomUUID()}`, 'payment_intent.succeeded', { id: paymentIdOf(charge), amount, chargeId: charge.id })));
      return charge;
    };
    const refunded = (paymentIntent: string, total: number, refundId?: string, amount = 1500) =>
      JSON.stringify({
        id: `evt_${randomUUID()}`,
        object: 'event',
        type: 'charge.refunded',
        data: {
          object: {
            id: `ch_${randomUUID()}`,
            object: 'charge',
            payment_intent: paymentIntent,
            amount,
            amount_refunded: total,
            currency: 'eur',
            ...(refundId ? { refunds: { object: 'list', data: [{ id: refundId, object: 'refund', amount: total }] } } : {}),
          },
        },
      });
    const ledger = async (chargeId: string) => {
      const { rows } = await owner<{ refunded_minor: string; tenant_id: string }>('SELECT refunded_minor, tenant_id FROM payments_charge WHERE id = $1', [chargeId]);
      const refunds = await owner<{ amount_minor: string; provider_refund_id: string | null; status: string }>('SELECT amount_minor, provider_refund_id, status FROM payments_refund WHERE charge_id = $1 ORDER BY created_at', [chargeId]);
      return { refunded: Number(rows[0]?.refunded_minor), refunds: refunds.rows.map((row) => ({ amount: Number(row.amount_minor), id: row.provider_refund_id, status: row.status })) };
    };

    const charge = await succeeded(1500);
    const pi = paymentIdOf(charge);
    const first = await receive('stripe', refunded(pi, 500, 're_dash_1'));
    await Promise.all([deliver(first), deliver(redelivery(first)), deliver(redelivery(first))]);
    assert.ok(await processed(inboxOf(first)));
    assert.deepEqual(await ledger(charge.id), { refunded: 500, refunds: [{ amount: 500, id: 're_dash_1', status: 'succeeded' }] });
    assert.equal(await audits(charge.id, 'payments.refund.reconciled'), 1);
    // The same refund reported again in another event: nothing more.
    await deliver(await receive('stripe', refunded(pi, 500, 're_dash_1')));
    // A newer API version lists no refunds: the running total still says what is missing; more than the capture is capped.
    await deliver(await receive('stripe', refunded(pi, 1700)));
    assert.equal((await ledger(charge.id)).refunded, 1500, 'never more than captured');
    // An older event arriving late finds nothing missing.
    await deliver(await receive('stripe', refunded(pi, 500, 're_dash_1')));
    assert.equal((await ledger(charge.id)).refunds.length, 2);
    assert.equal(await audits(charge.id, 'payments.refund.reconciled'), 2);

    // Our own refund, reported back by Stripe, is not counted twice; one in flight makes the event wait for it.
    const own = await succeeded(1500);
    const ownRefund = await refundCharge(ctxA, asStripe, { chargeId: own.id, amountMinor: 300, operationKey: `return:${randomUUID()}` });
    await deliver(await receive('stripe', refunded(paymentIdOf(own), 300, ownRefund.providerRefundId ?? undefined)));
    assert.equal((await ledger(own.id)).refunded, 300);
    await owner(`UPDATE payments_refund SET status = 'pending' WHERE id = $1`, [ownRefund.id]);
    const waiting = await receive('stripe', refunded(paymentIdOf(own), 500, 're_dash_2'));
    await assert.rejects(deliver(waiting), /in flight/);
    assert.equal(await processed(inboxOf(waiting)), false);
    await owner(`UPDATE payments_refund SET status = 'succeeded' WHERE id = $1`, [ownRefund.id]);
    await deliver(redelivery(waiting));
    assert.deepEqual((await ledger(own.id)).refunds.map((refund) => refund.amount), [300, 200]);

    // Cross-tenant: a refund naming A's charge in its metadata but another payment changes nothing; B's charges have no refunds.
    const forged = JSON.parse(refunded(`pi_${randomUUID()}`, 100, 're_forged')) as { data: { object: Record<string, unknown> } };
    forged.data.object.metadata = { plinth_charge_id: own.id };
    await deliver(await receive('stripe', JSON.stringify(forged)));
    assert.equal((await ledger(own.id)).refunded, 500);
    assert.equal(await count('SELECT 1 FROM payments_refund WHERE tenant_id = $1', [t.tenantB.id]), 0);
    assert.equal(await count('SELECT 1 FROM audit_event WHERE action = $1 AND tenant_id <> $2', ['payments.refund.reconciled', t.tenantA.id]), 0);
  });
});
