import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createFakePayments } from '../../../src/kernel/payments/fake.adapter.ts';
import { PaymentsError } from '../../../src/kernel/payments/port.ts';

describe('fake payments provider (demo and tests only)', () => {
  test('the same idempotency key gives the same payment; amounts are whole minor units', async () => {
    const payments = createFakePayments();
    const first = await payments.createPayment({ amountMinor: 1250, currency: 'EUR', idempotencyKey: 'sale:1' });
    const again = await payments.createPayment({ amountMinor: 1250, currency: 'EUR', idempotencyKey: 'sale:1' });
    assert.deepEqual(again, first);
    assert.notEqual((await payments.createPayment({ amountMinor: 1250, currency: 'EUR', idempotencyKey: 'sale:2' })).id, first.id);
    await assert.rejects(payments.createPayment({ amountMinor: 12.5, currency: 'EUR', idempotencyKey: 'sale:3' }), PaymentsError);
    await assert.rejects(payments.createPayment({ amountMinor: 0, currency: 'EUR', idempotencyKey: 'sale:4' }), PaymentsError);
  });

  test('refunds never exceed what was captured, and a retried refund does not refund twice', async () => {
    const payments = createFakePayments();
    const payment = await payments.createPayment({ amountMinor: 1000, currency: 'EUR', idempotencyKey: 'sale:9' });
    const refund = await payments.refund({ paymentId: payment.id, amountMinor: 600, currency: 'EUR', idempotencyKey: 'refund:9:1' });
    assert.deepEqual(await payments.refund({ paymentId: payment.id, amountMinor: 600, currency: 'EUR', idempotencyKey: 'refund:9:1' }), refund);
    await assert.rejects(payments.refund({ paymentId: payment.id, amountMinor: 600, currency: 'EUR', idempotencyKey: 'refund:9:2' }), /exceeds/);
    assert.equal((await payments.refund({ paymentId: payment.id, amountMinor: 400, currency: 'EUR', idempotencyKey: 'refund:9:3' })).status, 'succeeded');
  });

  test('subscriptions start active and cancel', async () => {
    const payments = createFakePayments();
    const customer = await payments.createCustomer({ email: 'a@example.test', name: 'A', idempotencyKey: 'customer:a' });
    const subscription = await payments.createSubscription({ customerId: customer.id, priceId: 'price_1', idempotencyKey: 'sub:a' });
    assert.equal(subscription.status, 'active');
    assert.equal((await payments.cancelSubscription({ subscriptionId: subscription.id })).status, 'canceled');
  });
});
