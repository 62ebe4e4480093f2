import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import type { Database } from '../../../src/kernel/db/index.ts';
import { deliverEvent, type HandlerJobData } from '../../../src/kernel/jobs/index.ts';
import type { Logger } from '../../../src/kernel/observability/logger.ts';
import { createFakePayments, type PaymentsProvider } from '../../../src/kernel/payments/index.ts';
import { PLATFORM_TENANT_ID } from '../../../src/kernel/tenancy/index.ts';
import { WEBHOOK_RECEIVED } from '../../../src/kernel/webhooks/index.ts';
import { billingEventsHandler } from '../../../src/modules/billing/index.ts';
import { TEST_STRIPE_WEBHOOK_SECRET, type TestApp } from '../../support/app.ts';

export const DAY = 86_400;
export const now = () => Math.floor(Date.now() / 1000);

/** The fake provider standing in for Stripe, counting what it is asked (and with which keys). */
export function countingStripe() {
  const fake = createFakePayments();
  const calls = { customers: [] as string[], subscriptions: [] as string[], cancels: [] as string[], cancelAtPeriodEnd: [] as string[], portals: [] as string[] };
  const counted =
    <I, R>(list: string[], pick: (input: I) => string, work: (input: I) => Promise<R>) =>
    (input: I): Promise<R> => {
      list.push(pick(input));
      return work(input);
    };
  const key = (input: { idempotencyKey: string }) => input.idempotencyKey;
  const provider: PaymentsProvider = {
    ...fake,
    id: 'stripe',
    createCustomer: counted(calls.customers, key, fake.createCustomer),
    createSubscription: counted(calls.subscriptions, key, fake.createSubscription),
    cancelSubscription: counted(calls.cancels, (input) => input.subscriptionId, fake.cancelSubscription),
    setCancelAtPeriodEnd: counted(calls.cancelAtPeriodEnd, key, fake.setCancelAtPeriodEnd),
    createBillingPortalSession: counted(calls.portals, (input) => input.customerId, fake.createBillingPortalSession),
  };
  return { provider, calls };
}

export interface SubFacts {
  id: string;
  customer: string;
  status: string;
  periodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  price?: string;
}
export interface InvoiceFacts {
  id: string;
  customer: string;
  subscription: string | null;
  status: string;
  due: number;
  paid?: number;
  number?: string;
}

/** A Stripe event as its webhook sends it. */
const stripeEvent = (type: string, object: Record<string, unknown>, created: number) => JSON.stringify({ id: `evt_${randomUUID()}`, object: 'event', type, created, data: { object } });

/** A subscription event (its price as an expanded object). */
export const subscriptionEvent = (type: string, sub: SubFacts, created = now()) =>
  stripeEvent(
    type,
    {
      id: sub.id,
      object: 'subscription',
      customer: sub.customer,
      status: sub.status,
      cancel_at_period_end: sub.cancelAtPeriodEnd ?? false,
      items: { data: [{ current_period_end: sub.periodEnd ?? now() + 30 * DAY, price: { id: sub.price ?? 'price_x' } }] },
    },
    created,
  );
export const invoiceEvent = (type: string, invoice: InvoiceFacts, created = now()) =>
  stripeEvent(
    type,
    {
      id: invoice.id,
      object: 'invoice',
      customer: invoice.customer,
      subscription: invoice.subscription,
      status: invoice.status,
      number: invoice.number ?? 'INV-0001',
      amount_due: invoice.due,
      amount_paid: invoice.paid ?? 0,
      currency: 'eur',
      hosted_invoice_url: `https://invoice.stripe.com/i/${invoice.id}`,
      period_start: now() - 30 * DAY,
      period_end: now(),
    },
    created,
  );

export const signedStripeHeaders = (payload: string, secret = TEST_STRIPE_WEBHOOK_SECRET) => ({
  'content-type': 'application/json',
  'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }),
});

/** Signed Stripe webhooks posted through the real endpoint and handed to billing's handler. */
export function stripeWebhooks(t: TestApp, appDatabase: Database, log: Logger) {
  const handler = { name: 'billing.stripe-events', definition: billingEventsHandler };
  const post = (payload: string) => t.app.inject({ method: 'POST', url: '/v1/webhooks/stripe', headers: signedStripeHeaders(payload), payload });

  /** Posts a signed event; answers the outbox event the inbox emitted for it. */
  async function receive(payload: string): Promise<HandlerJobData> {
    const response = await post(payload);
    assert.equal(response.statusCode, 200, response.body);
    const eventId = (JSON.parse(payload) as { id: string }).id;
    const { rows } = await t.database.pool.query<{ id: string; payload: Record<string, unknown>; occurred_at: Date }>(
      `SELECT o.id, o.payload, o.occurred_at FROM jobs_outbox o JOIN webhook_inbox i ON o.payload->>'inboxId' = i.id::text
        WHERE o.type = $1 AND i.provider = 'stripe' AND i.event_id = $2`,
      [WEBHOOK_RECEIVED, eventId],
    );
    assert.equal(rows.length, 1);
    const [row] = rows;
    assert.ok(row);
    return { id: row.id, type: WEBHOOK_RECEIVED, tenantId: PLATFORM_TENANT_ID, payload: row.payload, occurredAt: row.occurred_at.toISOString(), handler: handler.name };
  }
  const deliver = (job: HandlerJobData) => deliverEvent(appDatabase, log, handler, job);
  const handle = async (payload: string) => {
    const job = await receive(payload);
    await deliver(job);
    return job;
  };
  return { post, receive, deliver, handle };
}
