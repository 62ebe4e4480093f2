import { createHash } from 'node:crypto';
import { assertMinorAmount, PaymentsError, type PaymentIntent, type PaymentsProvider, type Refund, type Subscription } from './port.ts';

export interface SquareOptions {
  accessToken: string;
  environment: 'sandbox' | 'production';
  locationId: string;
}

/** The Square API version these calls are written against (Square pins behaviour by this header). */
const SQUARE_VERSION = '2025-10-16';

/** Square idempotency keys are at most 45 characters: a long business key is hashed to fit, still deterministic. */
const squareKey = (key: string) => (key.length <= 45 ? key : createHash('sha256').update(key).digest('base64url').slice(0, 43));

const PAYMENT_STATUS: Record<string, PaymentIntent['status']> = { APPROVED: 'processing', PENDING: 'processing', COMPLETED: 'succeeded', CANCELED: 'canceled', FAILED: 'failed' };
const REFUND_STATUS: Record<string, Refund['status']> = { PENDING: 'pending', COMPLETED: 'succeeded', REJECTED: 'failed', FAILED: 'failed' };
const SUBSCRIPTION_STATUS: Record<string, Subscription['status']> = { ACTIVE: 'active', PENDING: 'incomplete', CANCELED: 'canceled', DEACTIVATED: 'canceled', PAUSED: 'past_due' };

interface SquareMoney {
  amount: number;
  currency: string;
}

/**
 * Square's REST API over fetch: its SDK adds much weight for five calls. Every call sends an
 * idempotency key derived from the business operation, so a retry after a timeout cannot act twice.
 */
export function createSquarePayments(options: SquareOptions): PaymentsProvider {
  const base = options.environment === 'production' ? 'https://connect.squareup.com' : 'https://connect.squareupsandbox.com';
  async function post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json', 'square-version': SQUARE_VERSION },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
    } catch (error) {
      throw new PaymentsError(`Square unreachable: ${(error as Error).message}`, 'square', true);
    }
    const json = (await response.json().catch(() => ({}))) as T & { errors?: { detail?: string; code?: string }[] };
    if (!response.ok) throw new PaymentsError(json.errors?.map((error) => error.detail ?? error.code).join('; ') ?? `HTTP ${response.status}`, 'square', response.status >= 500 || response.status === 429);
    return json;
  }
  const money = (amountMinor: number, currency: string): SquareMoney => ({ amount: amountMinor, currency: currency.toUpperCase() });

  return {
    id: 'square',
    async createPayment(input) {
      assertMinorAmount(input.amountMinor);
      if (!input.sourceId) throw new PaymentsError('Square needs a payment source (card token, CASH or EXTERNAL)', 'square', false);
      const { payment } = await post<{ payment: { id: string; status: string; amount_money: SquareMoney } }>('/v2/payments', {
        idempotency_key: squareKey(input.idempotencyKey),
        source_id: input.sourceId,
        amount_money: money(input.amountMinor, input.currency),
        location_id: options.locationId,
        ...(input.customerId ? { customer_id: input.customerId } : {}),
        ...(input.description ? { note: input.description.slice(0, 500) } : {}),
        ...(input.reference ? { reference_id: input.reference.slice(0, 40) } : {}),
      });
      return { id: payment.id, status: PAYMENT_STATUS[payment.status] ?? 'processing', amountMinor: payment.amount_money.amount, currency: payment.amount_money.currency };
    },
    async refund(input) {
      assertMinorAmount(input.amountMinor);
      const { refund } = await post<{ refund: { id: string; status: string; amount_money: SquareMoney } }>('/v2/refunds', {
        idempotency_key: squareKey(input.idempotencyKey),
        payment_id: input.paymentId,
        amount_money: money(input.amountMinor, input.currency),
        ...(input.reason ? { reason: input.reason.slice(0, 192) } : {}),
      });
      return { id: refund.id, paymentId: input.paymentId, status: REFUND_STATUS[refund.status] ?? 'pending', amountMinor: refund.amount_money.amount };
    },
    async createCustomer(input) {
      const { customer } = await post<{ customer: { id: string } }>('/v2/customers', {
        idempotency_key: squareKey(input.idempotencyKey),
        email_address: input.email,
        given_name: input.name,
      });
      return { id: customer.id };
    },
    async createSubscription(input) {
      const { subscription } = await post<{ subscription: { id: string; status: string } }>('/v2/subscriptions', {
        idempotency_key: squareKey(input.idempotencyKey),
        location_id: options.locationId,
        plan_variation_id: input.priceId,
        customer_id: input.customerId,
      });
      return { id: subscription.id, status: SUBSCRIPTION_STATUS[subscription.status] ?? 'incomplete' };
    },
    async cancelSubscription(input) {
      const { subscription } = await post<{ subscription: { id: string; status: string } }>(`/v2/subscriptions/${encodeURIComponent(input.subscriptionId)}/cancel`, {});
      return { id: subscription.id, status: SUBSCRIPTION_STATUS[subscription.status] ?? 'canceled' };
    },
    // Square schedules cancellations as subscription actions and has no hosted portal: billing runs on Stripe only.
    async setCancelAtPeriodEnd() {
      throw new PaymentsError('Square subscriptions cannot be set to cancel at period end through Plinth; billing runs on Stripe', 'square', false);
    },
    async createBillingPortalSession() {
      throw new PaymentsError('Square has no billing portal; billing runs on Stripe', 'square', false);
    },
  };
}
