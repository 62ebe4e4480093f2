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
}

export interface PaymentsProvider {
  readonly id: 'stripe' | 'square' | 'fake';
  createPayment(input: Money & { idempotencyKey: string; customerId?: string; description?: string; sourceId?: string }): Promise<PaymentIntent>;
  refund(input: { paymentId: string; amountMinor: number; currency: string; idempotencyKey: string; reason?: string }): Promise<Refund>;
  createCustomer(input: { email: string; name: string; idempotencyKey: string }): Promise<Customer>;
  createSubscription(input: { customerId: string; priceId: string; idempotencyKey: string }): Promise<Subscription>;
  cancelSubscription(input: { subscriptionId: string }): Promise<Subscription>;
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
