/**
 * One interface for taking money, whatever the provider. Amounts are integer minor units with
 * an ISO currency; every call that moves money or creates something carries an idempotency key
 * derived from the business operation (e.g. `refund:<ticket id>:<n>`), never a random one, so a
 * retried call cannot act twice.
 */
export interface Money {
  amountMinor: number;
  currency: string;
}

export interface PaymentIntent {
  id: string;
  status: 'requires_action' | 'processing' | 'succeeded' | 'failed' | 'canceled';
  amountMinor: number;
  currency: string;
  /** Handed to the browser by providers that confirm on the client (Stripe). */
  clientSecret?: string | undefined;
}

export interface Refund {
  id: string;
  paymentId: string;
  status: 'pending' | 'succeeded' | 'failed';
  amountMinor: number;
}

export interface Customer {
  id: string;
}

export interface Subscription {
  id: string;
  status: 'active' | 'trialing' | 'past_due' | 'canceled' | 'incomplete' | 'unpaid';
  /** Whether the subscription ends when the paid period does; answered by calls that change it. */
  cancelAtPeriodEnd?: boolean | undefined;
}

/** A provider-hosted page where the customer changes their card and sees their invoices. */
export interface BillingPortalSession {
  url: string;
}

export interface CreatePaymentInput extends Money {
  idempotencyKey: string;
  customerId?: string;
  description?: string;
  sourceId?: string;
  /**
   * Our id of the payment (the ledger's charge id; at most 40 characters, Square's limit), stored
   * with the provider's payment (Stripe `metadata.plinth_charge_id`, Square `reference_id`) so its
   * webhooks can be routed back to the charge.
   */
  reference?: string;
}

/** The metadata key under which Stripe payments carry our charge id. */
export const STRIPE_REFERENCE_KEY = 'plinth_charge_id';

export interface PaymentsProvider {
  readonly id: 'stripe' | 'square' | 'fake';
  createPayment(input: CreatePaymentInput): Promise<PaymentIntent>;
  refund(input: { paymentId: string; amountMinor: number; currency: string; idempotencyKey: string; reason?: string }): Promise<Refund>;
  createCustomer(input: { email: string; name: string; idempotencyKey: string }): Promise<Customer>;
  createSubscription(input: { customerId: string; priceId: string; idempotencyKey: string }): Promise<Subscription>;
  cancelSubscription(input: { subscriptionId: string }): Promise<Subscription>;
  /** Schedules the end of the subscription at the end of the paid period (true) or takes that back (false). */
  setCancelAtPeriodEnd(input: { subscriptionId: string; cancelAtPeriodEnd: boolean; idempotencyKey: string }): Promise<Subscription>;
  /**
   * A short-lived session of the provider's billing portal for the customer, returning to
   * `returnUrl`. No idempotency key: it moves no money, and a replayed key would hand back an
   * expired session.
   */
  createBillingPortalSession(input: { customerId: string; returnUrl: string }): Promise<BillingPortalSession>;
}

export class PaymentsError extends Error {
  constructor(
    message: string,
    readonly provider: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'PaymentsError';
  }
}

export function assertMinorAmount(amountMinor: number): void {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new PaymentsError(`amount must be a positive whole number of minor units, not ${amountMinor}`, 'port', false);
}
