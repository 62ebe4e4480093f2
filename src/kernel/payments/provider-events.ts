import type { ChargeOutcome } from './payment.service.ts';
import { providerId } from '../webhooks/index.ts';
import { STRIPE_REFERENCE_KEY } from './port.ts';

/**
 * The provider events the payments ledger owns. Only these are claimed and marked processed by
 * its handler; any other stored event is left untouched for the module that owns it, so marking
 * it here cannot starve that module's handler.
 */
export const OWNED_EVENTS: Readonly<Record<string, readonly string[]>> = {
  stripe: ['payment_intent.succeeded', 'payment_intent.payment_failed', 'payment_intent.canceled', 'charge.refunded'],
  square: ['payment.created', 'payment.updated'],
};

export const ownsEvent = (provider: string, eventType: string): boolean => OWNED_EVENTS[provider]?.includes(eventType) ?? false;

/** What a provider event says about one payment, in the ledger's terms. */
export interface PaymentReport {
  providerPaymentId: string;
  /** Our charge id from the payment's metadata (unverified: only a hint for routing). */
  chargeId: string | undefined;
  outcome: ChargeOutcome;
  amountMinor: number;
  currency: string;
  failureMessage?: string;
}

/**
 * What a refund at the provider (e.g. made in Stripe's dashboard) says about a payment: how much
 * of it is refunded in all by now. Stripe's charge no longer lists its refunds unless expanded;
 * the newest one's id is kept when it does.
 */
export interface RefundReport extends Omit<PaymentReport, 'outcome' | 'failureMessage'> {
  refundedTotalMinor: number;
  providerRefundId: string | undefined;
}

/** `report`: act on it; `refund`: reconcile refunds; `none`: an owned event with nothing to do (e.g. Square's APPROVED), marked processed. */
export type ParsedEvent = { kind: 'report'; report: PaymentReport } | { kind: 'refund'; report: RefundReport } | { kind: 'none'; why: string };

type Json = Record<string, unknown>;
const object = (value: unknown): Json | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const whole = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Only a well-formed UUID is passed on as a charge id (it goes to a uuid parameter). */
const chargeIdOf = (value: unknown) => {
  const id = text(value);
  return id && UUID.test(id) ? id.toLowerCase() : undefined;
};

const STRIPE_OUTCOME: Record<string, ChargeOutcome> = {
  'payment_intent.succeeded': 'succeeded',
  'payment_intent.payment_failed': 'failed',
  'payment_intent.canceled': 'canceled',
};

const SQUARE_OUTCOME: Record<string, ChargeOutcome> = { COMPLETED: 'succeeded', FAILED: 'failed', CANCELED: 'canceled' };

/** Stripe `charge.refunded`: `data.object` is the Charge of a PaymentIntent (the ledger's payment id), `amount_refunded` its running total. */
function parseStripeRefund(payload: Json): ParsedEvent {
  const charge = object(object(payload.data)?.object);
  const paymentIntent = providerId(charge?.payment_intent) ?? providerId(object(charge?.payment_intent)?.id);
  const amountMinor = whole(charge?.amount);
  const refundedTotalMinor = whole(charge?.amount_refunded);
  const currency = text(charge?.currency);
  if (!charge || !paymentIntent || amountMinor === undefined || refundedTotalMinor === undefined || refundedTotalMinor < 0 || !currency)
    return { kind: 'none', why: 'malformed charge event (or a charge without a payment intent)' };
  const newest = object((object(charge.refunds)?.data as unknown[] | undefined)?.[0]);
  return {
    kind: 'refund',
    report: {
      providerPaymentId: paymentIntent,
      chargeId: chargeIdOf(object(charge.metadata)?.[STRIPE_REFERENCE_KEY]),
      amountMinor,
      currency: currency.toUpperCase(),
      refundedTotalMinor,
      providerRefundId: providerId(newest?.id),
    },
  };
}

/** Stripe: `data.object` is the PaymentIntent (amount in minor units, currency lower-case). */
function parseStripe(eventType: string, payload: Json): ParsedEvent {
  if (eventType === 'charge.refunded') return parseStripeRefund(payload);
  const outcome = STRIPE_OUTCOME[eventType];
  const intent = object(object(payload.data)?.object);
  const id = providerId(intent?.id);
  const amountMinor = whole(intent?.amount);
  const currency = text(intent?.currency);
  if (!outcome || !intent || !id || amountMinor === undefined || !currency) return { kind: 'none', why: 'malformed payment intent event' };
  const failureMessage = text(object(intent.last_payment_error)?.message) ?? text(intent.cancellation_reason);
  return {
    kind: 'report',
    report: { providerPaymentId: id, chargeId: chargeIdOf(object(intent.metadata)?.[STRIPE_REFERENCE_KEY]), outcome, amountMinor, currency: currency.toUpperCase(), ...(failureMessage ? { failureMessage } : {}) },
  };
}

/** Square: `data.object.payment` is the Payment; only its final statuses settle a charge. */
function parseSquare(payload: Json): ParsedEvent {
  const payment = object(object(object(payload.data)?.object)?.payment);
  const id = providerId(payment?.id);
  const status = text(payment?.status);
  const money = object(payment?.amount_money);
  const amountMinor = whole(money?.amount);
  const currency = text(money?.currency);
  if (!payment || !id || !status || amountMinor === undefined || !currency) return { kind: 'none', why: 'malformed payment event' };
  const outcome = SQUARE_OUTCOME[status];
  if (!outcome) return { kind: 'none', why: `payment status ${status} is not final` };
  return { kind: 'report', report: { providerPaymentId: id, chargeId: chargeIdOf(payment.reference_id), outcome, amountMinor, currency: currency.toUpperCase() } };
}

/** Reads an owned, stored (signature-verified) provider event. */
export function parseProviderEvent(provider: string, eventType: string, payload: Json): ParsedEvent {
  if (provider === 'stripe') return parseStripe(eventType, payload);
  if (provider === 'square') return parseSquare(payload);
  return { kind: 'none', why: `provider ${provider} is not handled` };
}
