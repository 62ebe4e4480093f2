import { createHash } from 'node:crypto';
import { assertMinorAmount, PaymentsError, type PaymentIntent, type PaymentsProvider, type Refund, type Subscription } from './port.ts';

/**
 * FAKE PROVIDER — for demo mode and tests only; it moves no money. It behaves like the real
 * ones where it matters to callers: the same idempotency key returns the same result, refunds
 * never exceed what was paid, ids are stable per key.
 */
export interface FakePaymentsOptions {
  /**
   * `at-once` (default): a payment succeeds when created. `by-webhook`: it stays `processing`, as a
   * Stripe payment does until the customer confirms it, and is settled by a provider webhook.
   */
  settle?: 'at-once' | 'by-webhook';
}

export function createFakePayments(options: FakePaymentsOptions = {}): PaymentsProvider {
  const settled = (options.settle ?? 'at-once') === 'at-once';
  const byKey = new Map<string, unknown>();
  const payments = new Map<string, PaymentIntent & { refundedMinor: number }>();
  const subscriptions = new Map<string, Subscription>();
  const idFor = (prefix: string, key: string) => `${prefix}_fake_${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
  const once = <T>(key: string, make: () => T): T => {
    if (!byKey.has(key)) byKey.set(key, make());
    return byKey.get(key) as T;
  };

  return {
    id: 'fake',
    async createPayment(input) {
      assertMinorAmount(input.amountMinor);
      return once(`payment:${input.idempotencyKey}`, () => {
        const payment = { id: idFor('pay', input.idempotencyKey), status: settled ? ('succeeded' as const) : ('processing' as const), amountMinor: input.amountMinor, currency: input.currency, refundedMinor: 0 };
        payments.set(payment.id, payment);
        return { id: payment.id, status: payment.status, amountMinor: payment.amountMinor, currency: payment.currency };
      });
    },
    async refund(input) {
      assertMinorAmount(input.amountMinor);
      return once(`refund:${input.idempotencyKey}`, (): Refund => {
        const payment = payments.get(input.paymentId);
        if (!payment) throw new PaymentsError(`no such payment ${input.paymentId}`, 'fake', false);
        if (payment.refundedMinor + input.amountMinor > payment.amountMinor)
          throw new PaymentsError('refund exceeds the amount captured', 'fake', false);
        payment.refundedMinor += input.amountMinor;
        return { id: idFor('re', input.idempotencyKey), paymentId: payment.id, status: 'succeeded', amountMinor: input.amountMinor };
      });
    },
    async createCustomer(input) {
      return once(`customer:${input.idempotencyKey}`, () => ({ id: idFor('cus', input.idempotencyKey) }));
    },
    async createSubscription(input) {
      return once(`subscription:${input.idempotencyKey}`, () => {
        const subscription: Subscription = { id: idFor('sub', input.idempotencyKey), status: 'active' };
        subscriptions.set(subscription.id, subscription);
        return subscription;
      });
    },
    async cancelSubscription(input) {
      const subscription = subscriptions.get(input.subscriptionId);
      if (!subscription) throw new PaymentsError(`no such subscription ${input.subscriptionId}`, 'fake', false);
      subscription.status = 'canceled';
      return { ...subscription };
    },
    async setCancelAtPeriodEnd(input) {
      return once(`cancel-at-period-end:${input.idempotencyKey}`, () => {
        const subscription = subscriptions.get(input.subscriptionId);
        if (!subscription) throw new PaymentsError(`no such subscription ${input.subscriptionId}`, 'fake', false);
        if (subscription.status === 'canceled') throw new PaymentsError(`subscription ${input.subscriptionId} is canceled`, 'fake', false);
        subscription.cancelAtPeriodEnd = input.cancelAtPeriodEnd;
        return { ...subscription };
      });
    },
    async createBillingPortalSession(input) {
      // A local page: the demo has no portal to send anyone to.
      const url = new URL(input.returnUrl);
      url.searchParams.set('notice', `Fake billing portal for ${input.customerId}: nothing to change in demo mode.`);
      return { url: url.toString() };
    },
  };
}
