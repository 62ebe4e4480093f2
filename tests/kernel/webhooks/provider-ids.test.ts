import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseProviderEvent } from '../../../src/kernel/payments/provider-events.ts';
import { parseBillingEvent } from '../../../src/modules/billing/stripe-events.ts';

// A signed event carries ids the handlers store in ledger and billing rows: an over-long one is
// a malformed event (marked processed, nothing stored), never a row with a 100,000-character id.
const long = 'x'.repeat(256);
const longest = 'x'.repeat(255);

const intent = (id: string) => ({ data: { object: { id, amount: 1200, currency: 'eur', metadata: {} } } });
const refunded = (paymentIntent: string, refundId: string) => ({
  data: { object: { payment_intent: paymentIntent, amount: 1200, amount_refunded: 200, currency: 'eur', refunds: { data: [{ id: refundId }] } } },
});
const squarePayment = (id: string) => ({ data: { object: { payment: { id, status: 'COMPLETED', amount_money: { amount: 1200, currency: 'EUR' } } } } });
const subscription = (id: string, customer: string, price = 'price_1') => ({
  created: 1_700_000_000,
  data: { object: { id, customer, status: 'active', items: { data: [{ price: { id: price } }] } } },
});
const invoice = (id: string, customer: string, number = 'INV-1', hostedUrl = 'https://invoice.stripe.com/i/1') => ({
  created: 1_700_000_000,
  data: { object: { id, customer, amount_due: 1200, amount_paid: 0, currency: 'eur', status: 'open', number, hosted_invoice_url: hostedUrl } },
});

describe('provider ids from signed events are bounded before they are stored', () => {
  test('payments: payment intent, charge and refund ids and Square payment ids over 255 characters make the event malformed', () => {
    assert.equal(parseProviderEvent('stripe', 'payment_intent.succeeded', intent(long)).kind, 'none');
    assert.equal(parseProviderEvent('stripe', 'charge.refunded', refunded(long, 're_1')).kind, 'none');
    assert.equal(parseProviderEvent('square', 'payment.updated', squarePayment(long)).kind, 'none');
    const refund = parseProviderEvent('stripe', 'charge.refunded', refunded('pi_1', long));
    assert.equal(refund.kind === 'refund' && refund.report.providerRefundId, undefined, 'an over-long refund id is not kept');

    const ok = parseProviderEvent('stripe', 'payment_intent.succeeded', intent(longest));
    assert.equal(ok.kind === 'report' && ok.report.providerPaymentId, longest);
    assert.equal(parseProviderEvent('square', 'payment.updated', squarePayment(longest)).kind, 'report');
  });

  test('billing: subscription, customer, price and invoice ids, invoice numbers and links over their limits are refused or dropped', () => {
    assert.equal(parseBillingEvent('customer.subscription.updated', subscription(long, 'cus_1')).kind, 'none');
    assert.equal(parseBillingEvent('customer.subscription.updated', subscription('sub_1', long)).kind, 'none');
    const priced = parseBillingEvent('customer.subscription.updated', subscription('sub_1', 'cus_1', long));
    assert.equal(priced.kind === 'subscription' && priced.priceId, null);
    assert.equal(parseBillingEvent('invoice.finalized', invoice(long, 'cus_1')).kind, 'none');
    const dropped = parseBillingEvent('invoice.finalized', invoice('in_1', 'cus_1', long, `https://invoice.stripe.com/${'x'.repeat(2100)}`));
    assert.ok(dropped.kind === 'invoice');
    assert.equal(dropped.number, null);
    assert.equal(dropped.hostedUrl, null);

    const ok = parseBillingEvent('invoice.finalized', invoice(longest, longest, longest));
    assert.ok(ok.kind === 'invoice');
    assert.deepEqual([ok.invoiceId, ok.customerId, ok.number], [longest, longest, longest]);
  });
});
