import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { createFakePayments, PaymentsError, recordCharge, refundCharge, type PaymentsProvider } from '../../../src/kernel/payments/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';

describe('refunds through the charge ledger', () => {
  let t: TestApp;
  let ctx: ServiceContext;
  let provider: PaymentsProvider;
  const newCharge = async (amountMinor = 1000) => {
    const payment = await provider.createPayment({ amountMinor, currency: 'EUR', idempotencyKey: `sale:${randomUUID()}` });
    return recordCharge(ctx, { provider: 'fake', providerPaymentId: payment.id, amountMinor, currency: 'EUR' });
  };
  const refundedOf = async (chargeId: string) => Number((await t.database.pool.query('SELECT refunded_minor FROM payments_charge WHERE id = $1', [chargeId])).rows[0].refunded_minor);

  before(async () => {
    t = await startTestApp();
    ctx = { db: t.app.db, tenantId: t.tenantA.id, actor: { kind: 'system', process: 'test' }, requestId: randomUUID(), log: createLogger('silent') };
    provider = createFakePayments();
  });
  after(() => t.close());

  test('parallel refunds of one charge never add up to more than was captured', async () => {
    const charge = await newCharge(1000);
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => refundCharge(ctx, provider, { chargeId: charge.id, amountMinor: 300, operationKey: `return:${n}` })));
    const succeeded = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    assert.equal(succeeded.length, 3);
    assert.ok(refused.every((result) => (result.reason as { details?: { reason?: string } }).details?.reason === 'REFUND_EXCEEDS_CAPTURE'));
    assert.equal(await refundedOf(charge.id), 900);
  });

  test('the same operation asked twice, even in parallel, refunds once', async () => {
    const charge = await newCharge(1000);
    const calls: string[] = [];
    const counting: PaymentsProvider = { ...provider, refund: async (input) => (calls.push(input.idempotencyKey), provider.refund(input)) };
    const results = await Promise.all([1, 2, 3].map(() => refundCharge(ctx, counting, { chargeId: charge.id, amountMinor: 400, operationKey: 'return:same' })));
    assert.equal(new Set(results.map((refund) => refund.id)).size, 1);
    assert.equal(new Set(calls).size, 1, 'one idempotency key, derived from the operation');
    assert.equal(await refundedOf(charge.id), 400);
    await assert.rejects(refundCharge(ctx, provider, { chargeId: charge.id, amountMinor: 500, operationKey: 'return:same' }), /another amount/);
  });

  test('a provider refusal releases the reservation; an unanswered call keeps it for a safe retry', async () => {
    const charge = await newCharge(1000);
    const refusing: PaymentsProvider = { ...provider, refund: async () => Promise.reject(new PaymentsError('card closed', 'fake', false)) };
    await assert.rejects(refundCharge(ctx, refusing, { chargeId: charge.id, amountMinor: 700, operationKey: 'return:x' }), /refused the refund: card closed/);
    assert.equal(await refundedOf(charge.id), 0);

    const silent: PaymentsProvider = { ...provider, refund: async () => Promise.reject(new PaymentsError('timeout', 'fake', true)) };
    await assert.rejects(refundCharge(ctx, silent, { chargeId: charge.id, amountMinor: 700, operationKey: 'return:y' }), /did not answer/);
    assert.equal(await refundedOf(charge.id), 700, 'still reserved: it may have gone through');
    const retried = await refundCharge(ctx, provider, { chargeId: charge.id, amountMinor: 700, operationKey: 'return:y' });
    assert.equal(retried.status, 'succeeded');
    assert.equal(await refundedOf(charge.id), 700);
    const actions = await t.database.pool.query("SELECT action FROM audit_event WHERE target_id = $1 ORDER BY seq", [charge.id]);
    assert.deepEqual(actions.rows.map((row) => row.action), [
      'payments.charge.recorded',
      'payments.refund.requested',
      'payments.refund.failed',
      'payments.refund.requested',
      'payments.refund.succeeded',
    ]);
  });

  test("another tenant's charge is not found", async () => {
    const charge = await newCharge(1000);
    const other = { ...ctx, tenantId: t.tenantB.id };
    await assert.rejects(refundCharge(other, provider, { chargeId: charge.id, amountMinor: 100, operationKey: 'return:z' }), /Payment was not found/);
  });
});
