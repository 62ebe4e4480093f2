import Stripe from 'stripe';
import { assertMinorAmount, PaymentsError, STRIPE_REFERENCE_KEY, type PaymentIntent, type PaymentsProvider, type Refund, type Subscription } from './port.ts';

const INTENT_STATUS: Record<string, PaymentIntent['status']> = {
  requires_payment_method: 'requires_action',
  requires_confirmation: 'requires_action',
  requires_action: 'requires_action',
  requires_capture: 'processing',
  processing: 'processing',
  succeeded: 'succeeded',
  canceled: 'canceled',
};

const REFUND_STATUS = (status: string | null): Refund['status'] => (status === 'succeeded' ? 'succeeded' : status === 'failed' || status === 'canceled' ? 'failed' : 'pending');

const KNOWN_SUBSCRIPTION: readonly string[] = ['active', 'trialing', 'past_due', 'canceled', 'incomplete', 'unpaid'];
const SUBSCRIPTION_STATUS = (status: string): Subscription['status'] =>
  KNOWN_SUBSCRIPTION.includes(status) ? (status as Subscription['status']) : status === 'paused' ? 'past_due' : status === 'incomplete_expired' ? 'canceled' : 'incomplete';

/** Where the SDK sends its requests; only tests point it elsewhere (a local server checking the request shape). */
export interface StripeEndpoint {
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

/** Stripe through its official SDK; the SDK retries network failures with the same idempotency key. */
export function createStripePayments(secretKey: string, endpoint?: StripeEndpoint): PaymentsProvider {
  const stripe = new Stripe(secretKey, { maxNetworkRetries: 2, timeout: 20_000, ...endpoint });
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError)
        throw new PaymentsError(error.message, 'stripe', error.type === 'StripeConnectionError' || error.type === 'StripeAPIError' || error.type === 'StripeRateLimitError');
      throw error;
    }
  };
  return {
    id: 'stripe',
    createPayment: (input) =>
      call(async () => {
        assertMinorAmount(input.amountMinor);
        const intent = await stripe.paymentIntents.create(
          {
            amount: input.amountMinor,
            currency: input.currency.toLowerCase(),
            ...(input.customerId ? { customer: input.customerId } : {}),
            ...(input.description ? { description: input.description } : {}),
            ...(input.reference ? { metadata: { [STRIPE_REFERENCE_KEY]: input.reference } } : {}),
            automatic_payment_methods: { enabled: true },
          },
          { idempotencyKey: input.idempotencyKey },
        );
        return { id: intent.id, status: INTENT_STATUS[intent.status] ?? 'processing', amountMinor: intent.amount, currency: intent.currency.toUpperCase(), clientSecret: intent.client_secret ?? undefined };
      }),
    refund: (input) =>
      call(async () => {
        assertMinorAmount(input.amountMinor);
        const refund = await stripe.refunds.create({ payment_intent: input.paymentId, amount: input.amountMinor }, { idempotencyKey: input.idempotencyKey });
        return { id: refund.id, paymentId: input.paymentId, status: REFUND_STATUS(refund.status), amountMinor: refund.amount };
      }),
    createCustomer: (input) =>
      call(async () => ({ id: (await stripe.customers.create({ email: input.email, name: input.name }, { idempotencyKey: input.idempotencyKey })).id })),
    createSubscription: (input) =>
      call(async () => {
        const subscription = await stripe.subscriptions.create({ customer: input.customerId, items: [{ price: input.priceId }] }, { idempotencyKey: input.idempotencyKey });
        return { id: subscription.id, status: SUBSCRIPTION_STATUS(subscription.status) };
      }),
    cancelSubscription: (input) =>
      call(async () => {
        const subscription = await stripe.subscriptions.cancel(input.subscriptionId);
        return { id: subscription.id, status: SUBSCRIPTION_STATUS(subscription.status) };
      }),
    setCancelAtPeriodEnd: (input) =>
      call(async () => {
        const subscription = await stripe.subscriptions.update(input.subscriptionId, { cancel_at_period_end: input.cancelAtPeriodEnd }, { idempotencyKey: input.idempotencyKey });
        return { id: subscription.id, status: SUBSCRIPTION_STATUS(subscription.status), cancelAtPeriodEnd: subscription.cancel_at_period_end };
      }),
    createBillingPortalSession: (input) =>
      call(async () => ({ url: (await stripe.billingPortal.sessions.create({ customer: input.customerId, return_url: input.returnUrl })).url })),
  };
}
