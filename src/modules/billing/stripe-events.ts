import { providerId } from '../../kernel/webhooks/index.ts';
import { INVOICE_STATUSES, SUBSCRIPTION_STATUSES, type InvoiceStatus, type SubscriptionStatus } from './billing.table.ts';

/**
 * The Stripe events billing owns. Only these are claimed and marked processed by its handler;
 * any other stored event is left for the module that owns it (payments owns payment_intent.*).
 */
export const BILLING_EVENTS: readonly string[] = [
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.created',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.voided',
  'invoice.marked_uncollectible',
];

export const ownsBillingEvent = (provider: string, eventType: string): boolean => provider === 'stripe' && BILLING_EVENTS.includes(eventType);

export interface SubscriptionReport {
  kind: 'subscription';
  customerId: string;
  subscriptionId: string;
  status: SubscriptionStatus;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** The Stripe price of its (first) item: which plan it is for, as plans carry their Stripe price. */
  priceId: string | null;
  /** When Stripe created the event: the order events are applied in. */
  occurredAt: Date;
}

export interface InvoiceReport {
  kind: 'invoice';
  eventType: string;
  customerId: string;
  invoiceId: string;
  subscriptionId: string | null;
  number: string | null;
  status: InvoiceStatus;
  amountDueMinor: number;
  amountPaidMinor: number;
  currency: string;
  hostedUrl: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  occurredAt: Date;
}

export type ParsedBillingEvent = SubscriptionReport | InvoiceReport | { kind: 'none'; why: string };

type Json = Record<string, unknown>;
const object = (value: unknown): Json | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const whole = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined);
const seconds = (value: unknown): Date | null => {
  const n = whole(value);
  return n === undefined ? null : new Date(n * 1000);
};
/** Longer invoice links are not kept (Stripe's are about 150 characters). */
const MAX_URL_LENGTH = 2048;
/** Stripe sends an expandable field as its id, or as the object when expanded. */
const idOf = (value: unknown): string | undefined => providerId(value) ?? providerId(object(value)?.id);

/** What the event type says the invoice's status is, when the object's own status is missing or unknown. */
const IMPLIED_INVOICE_STATUS: Record<string, InvoiceStatus> = {
  'invoice.created': 'draft',
  'invoice.finalized': 'open',
  'invoice.paid': 'paid',
  'invoice.payment_failed': 'open',
  'invoice.voided': 'void',
  'invoice.marked_uncollectible': 'uncollectible',
};

/** Stripe's statuses that billing does not keep as they are. */
const SUBSCRIPTION_ALIASES: Record<string, SubscriptionStatus> = { incomplete_expired: 'canceled', paused: 'past_due' };

function parseSubscription(eventType: string, sub: Json, occurredAt: Date): ParsedBillingEvent {
  const subscriptionId = providerId(sub.id);
  const customerId = idOf(sub.customer);
  const raw = text(sub.status);
  if (!subscriptionId || !customerId || !raw) return { kind: 'none', why: 'malformed subscription event' };
  const status = (SUBSCRIPTION_STATUSES as readonly string[]).includes(raw) ? (raw as SubscriptionStatus) : SUBSCRIPTION_ALIASES[raw];
  if (!status) return { kind: 'none', why: `subscription status ${raw} is not known` };
  // Newer API versions carry the period on the subscription's items.
  const firstItem = object((object(sub.items)?.data as unknown[] | undefined)?.[0]);
  const currentPeriodEnd = seconds(sub.current_period_end) ?? seconds(firstItem?.current_period_end);
  return {
    kind: 'subscription',
    customerId,
    subscriptionId,
    status: eventType === 'customer.subscription.deleted' ? 'canceled' : status,
    currentPeriodEnd,
    cancelAtPeriodEnd: sub.cancel_at_period_end === true,
    priceId: idOf(firstItem?.price) ?? null,
    occurredAt,
  };
}

function parseInvoice(eventType: string, invoice: Json, occurredAt: Date): ParsedBillingEvent {
  const invoiceId = providerId(invoice.id);
  const customerId = idOf(invoice.customer);
  const amountDueMinor = whole(invoice.amount_due);
  const amountPaidMinor = whole(invoice.amount_paid);
  const currency = text(invoice.currency)?.toUpperCase();
  if (!invoiceId || !customerId || amountDueMinor === undefined || amountPaidMinor === undefined || !currency || !/^[A-Z]{3}$/.test(currency))
    return { kind: 'none', why: 'malformed invoice event' };
  if (amountDueMinor < 0 || amountPaidMinor < 0) return { kind: 'none', why: 'negative invoice amounts' };
  const raw = text(invoice.status);
  const implied = IMPLIED_INVOICE_STATUS[eventType] ?? 'draft';
  const status = raw && (INVOICE_STATUSES as readonly string[]).includes(raw) ? (raw as InvoiceStatus) : implied;
  const subscriptionId = idOf(invoice.subscription) ?? idOf(object(object(invoice.parent)?.subscription_details)?.subscription) ?? null;
  const hostedUrl = text(invoice.hosted_invoice_url);
  return {
    kind: 'invoice',
    eventType,
    customerId,
    invoiceId,
    subscriptionId,
    number: providerId(invoice.number) ?? null,
    status,
    amountDueMinor,
    amountPaidMinor,
    currency,
    hostedUrl: hostedUrl && hostedUrl.length <= MAX_URL_LENGTH && /^https:\/\//.test(hostedUrl) ? hostedUrl : null,
    periodStart: seconds(invoice.period_start),
    periodEnd: seconds(invoice.period_end),
    occurredAt,
  };
}

/** Reads an owned, stored (signature-verified) Stripe event. */
export function parseBillingEvent(eventType: string, payload: Json): ParsedBillingEvent {
  const data = object(object(payload.data)?.object);
  if (!data) return { kind: 'none', why: 'event without an object' };
  const occurredAt = seconds(payload.created) ?? new Date();
  if (eventType.startsWith('customer.subscription.')) return parseSubscription(eventType, data, occurredAt);
  if (eventType.startsWith('invoice.')) return parseInvoice(eventType, data, occurredAt);
  return { kind: 'none', why: `event ${eventType} is not billing's` };
}

/**
 * Which invoice moves are real. Draft goes anywhere; open can be paid, written off or voided; an
 * uncollectible invoice can still be paid or voided; paid and void are final. A move back (e.g. an
 * `invoice.finalized` arriving after `invoice.paid`) is an out-of-order event and is ignored.
 */
const INVOICE_ALLOWED: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  draft: ['open', 'paid', 'uncollectible', 'void'],
  open: ['paid', 'uncollectible', 'void'],
  uncollectible: ['paid', 'void'],
  paid: [],
  void: [],
};
export const invoiceMoveAllowed = (from: InvoiceStatus, to: InvoiceStatus): boolean => INVOICE_ALLOWED[from].includes(to);
