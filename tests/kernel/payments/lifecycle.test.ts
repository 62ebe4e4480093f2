import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import { APP_ROLE, createDatabase, type Database } from '../../../src/kernel/db/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { createFakePayments, PaymentsError, refundCharge, startPayment, type CreatePaymentInput, type PaymentsProvider } from '../../../src/kernel/payments/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';

const reasonOf = (error: unknown) => (error as { details?: { reason?: string } }).details?.reason;

describe('payment lifecycle: startPayment and its settlement', () => {
  let t: TestApp;
  let appDatabase: Database;
  let ctx: ServiceContext;
  const count = async (query: string, values: unknown[]) => Number((await t.database.pool.query(`SELECT count(*)::int AS n FROM (${query}) AS q`, values)).rows[0].n);
  const audits = (chargeId: string, action: string) => count('SELECT 1 FROM audit_event WHERE target_id = $1 AND action = $2', [chargeId, action]);
  const events = (chargeId: string, type: string) => count("SELECT 1 FROM jobs_outbox WHERE type = $1 AND payload->>'chargeId' = $2", [type, chargeId]);

  before(async () => {
    t = await startTestApp();
    appDatabase = createDatabase(t.database.url, { poolMax: 8, log: createLogger('silent'), role: APP_ROLE });
    ctx = { db: appDatabase.db, tenantId: t.tenantA.id, actor: { kind: 'system', process: 'test' }, requestId: randomUUID(), log: createLogger('silent') };
  });
  after(async () => {
    await appDatabase.close();
    await t.close();
  });

  test('the same operation key, sequential or parallel, is one charge and one provider payment', async () => {
    const fake = createFakePayments({ settle: 'by-webhook' });
    const calls: CreatePaymentInput[] = [];
    const provider: PaymentsProvider = { ...fake, createPayment: async (input) => (calls.push(input), fake.createPayment(input)) };
    const input = { amountMinor: 2599, currency: 'eur', operationKey: `sale:${randomUUID()}`, description: 'Ticket 7' };
    const first = await startPayment(ctx, provider, input);
    const again = await Promise.all([1, 2, 3].map(() => startPayment(ctx, provider, input)));
    assert.ok(again.every((charge) => charge.id === first.id));
    assert.equal(first.status, 'pending', 'the fake settles by webhook, like a Stripe payment awaiting confirmation');
    assert.equal(first.currency, 'EUR');
    assert.match(first.providerPaymentId ?? '', /^pay_fake_/);
    assert.deepEqual(new Set(calls.map((call) => call.idempotencyKey)), new Set([`payment:${first.id}`]), 'one key, derived from the charge, never random');
    assert.ok(calls.every((call) => call.reference === first.id), 'our charge id travels to the provider for its webhooks');
    assert.equal(await audits(first.id, 'payments.charge.started'), 1);
    assert.equal(await audits(first.id, 'payments.charge.submitted'), 1);
    await assert.rejects(startPayment(ctx, provider, { ...input, amountMinor: 100 }), (error) => reasonOf(error) === 'PAYMENTS_OPERATION_KEY_REUSED');
    // The key is unique per tenant, not across tenants.
    const other = await startPayment({ ...ctx, tenantId: t.tenantB.id }, provider, input);
    assert.notEqual(other.id, first.id);
  });

  test('a provider that settles at once: succeeded, audited and emitted once, then refundable', async () => {
    const provider = createFakePayments();
    const input = { amountMinor: 1000, currency: 'EUR', operationKey: `sale:${randomUUID()}` };
    const charge = await startPayment(ctx, provider, input);
    assert.equal(charge.status, 'succeeded');
    assert.equal((await startPayment(ctx, provider, input)).status, 'succeeded');
    assert.equal(await audits(charge.id, 'payments.charge.succeeded'), 1);
    assert.equal(await events(charge.id, 'payments.charge.succeeded'), 1);
    const refund = await refundCharge(ctx, provider, { chargeId: charge.id, amountMinor: 400, operationKey: 'return:1' });
    assert.equal(refund.status, 'succeeded');
  });

  test('refunds are refused for a pending charge (nothing was taken yet)', async () => {
    const provider = createFakePayments({ settle: 'by-webhook' });
    const charge = await startPayment(ctx, provider, { amountMinor: 1000, currency: 'EUR', operationKey: `sale:${randomUUID()}` });
    assert.equal(charge.status, 'pending');
    await assert.rejects(refundCharge(ctx, provider, { chargeId: charge.id, amountMinor: 100, operationKey: 'return:1' }), (error) => reasonOf(error) === 'PAYMENTS_CHARGE_NOT_REFUNDABLE');
    const { rows } = await t.database.pool.query('SELECT refunded_minor FROM payments_charge WHERE id = $1', [charge.id]);
    assert.equal(Number(rows[0].refunded_minor), 0);
  });

  test('a refusal fails the charge (audited, emitted); no answer leaves it pending for a safe retry', async () => {
    const fake = createFakePayments();
    const refusing: PaymentsProvider = { ...fake, createPayment: async () => Promise.reject(new PaymentsError('card declined', 'fake', false)) };
    const refusedKey = `sale:${randomUUID()}`;
    await assert.rejects(startPayment(ctx, refusing, { amountMinor: 500, currency: 'EUR', operationKey: refusedKey }), (error) => reasonOf(error) === 'PROVIDER_REFUSED');
    const failed = await startPayment(ctx, fake, { amountMinor: 500, currency: 'EUR', operationKey: refusedKey });
    assert.equal(failed.status, 'failed', 'the same operation answers the settled charge, without asking the provider again');
    assert.equal(await audits(failed.id, 'payments.charge.failed'), 1);
    assert.equal(await events(failed.id, 'payments.charge.failed'), 1);

    const silent: PaymentsProvider = { ...fake, createPayment: async () => Promise.reject(new PaymentsError('timeout', 'fake', true)) };
    const key = `sale:${randomUUID()}`;
    await assert.rejects(startPayment(ctx, silent, { amountMinor: 700, currency: 'EUR', operationKey: key }), (error) => reasonOf(error) === 'PROVIDER_UNAVAILABLE');
    const retried = await startPayment(ctx, fake, { amountMinor: 700, currency: 'EUR', operationKey: key });
    assert.equal(retried.status, 'succeeded');
    assert.equal(await audits(retried.id, 'payments.charge.started'), 1);
  });

  test('amounts are whole minor units', async () => {
    const provider = createFakePayments();
    await assert.rejects(startPayment(ctx, provider, { amountMinor: 12.5, currency: 'EUR', operationKey: 'sale:x' }), (error) => reasonOf(error) === 'PAYMENTS_INVALID_AMOUNT');
    await assert.rejects(startPayment(ctx, provider, { amountMinor: 100, currency: 'euro', operationKey: 'sale:y' }), (error) => reasonOf(error) === 'PAYMENTS_INVALID_AMOUNT');
  });
});
