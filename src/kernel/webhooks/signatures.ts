import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { sameSecret } from '../secrets/index.ts';
import { providerId } from './identifiers.ts';

/** A webhook that passed its provider's signature check: what the inbox stores. */
export interface VerifiedWebhook {
  eventId: string;
  type: string;
  payload: Record<string, unknown>;
}

export class WebhookRejected extends Error {
  constructor(readonly reason: 'signature' | 'stale' | 'future' | 'malformed') {
    super(`webhook rejected: ${reason}`);
    this.name = 'WebhookRejected';
  }
}

const parseObject = (raw: Buffer): Record<string, unknown> => {
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // falls through to the rejection below
  }
  throw new WebhookRejected('malformed');
};

/** The event's id and type as the inbox stores them: bounded identifiers, or the webhook is malformed. */
function verifiedEvent(payload: Record<string, unknown>, id: unknown): VerifiedWebhook {
  const eventId = providerId(id);
  const type = providerId(payload.type);
  if (!eventId || !type) throw new WebhookRejected('malformed');
  return { eventId, type, payload };
}

/** A moment a provider vouches for, more than `toleranceSeconds` ahead of our clock: signed ahead of time, refused. */
const isFuture = (at: number, toleranceSeconds: number, now: Date) => at - now.getTime() > toleranceSeconds * 1000;

/**
 * Stripe signs `<timestamp>.<raw body>` (header `Stripe-Signature: t=…,v1=…`) and re-signs every
 * retry, so a signature older than the tolerance is a replay. Checked by the official SDK, which
 * judges the past only: a timestamp further ahead than the tolerance is refused here.
 */
export function verifyStripeWebhook(raw: Buffer, header: string | undefined, secret: string, toleranceSeconds: number, now: Date): VerifiedWebhook {
  if (!header) throw new WebhookRejected('signature');
  try {
    Stripe.webhooks.constructEvent(raw, header, secret, toleranceSeconds, undefined, now.getTime());
  } catch (error) {
    throw new WebhookRejected(/timestamp outside the tolerance/i.test(String((error as Error).message)) ? 'stale' : 'signature');
  }
  const signedAt = Number(/(?:^|,)t=(\d+)(?:,|$)/.exec(header)?.[1]);
  if (!Number.isSafeInteger(signedAt)) throw new WebhookRejected('signature');
  if (isFuture(signedAt * 1000, toleranceSeconds, now)) throw new WebhookRejected('future');
  const payload = parseObject(raw);
  return verifiedEvent(payload, payload.id);
}

/**
 * Square signs `<notification URL><raw body>` with HMAC-SHA256 (header
 * `x-square-hmacsha256-signature`, base64) and has no signed timestamp; it retries the same
 * event for a day or more, so staleness is judged by the event's `created_at` against a longer
 * window, and replays inside it are stopped by the inbox's unique event id. An event created
 * further ahead of our clock than the tolerance is refused.
 */
export function verifySquareWebhook(
  raw: Buffer,
  header: string | undefined,
  signatureKey: string,
  notificationUrl: string,
  window: { maxAgeSeconds: number; toleranceSeconds: number },
  now: Date,
): VerifiedWebhook {
  if (!header) throw new WebhookRejected('signature');
  const expected = createHmac('sha256', signatureKey).update(notificationUrl).update(raw).digest();
  const presented = Buffer.from(header, 'base64');
  if (!sameSecret(presented, expected)) throw new WebhookRejected('signature');
  const payload = parseObject(raw);
  const event = verifiedEvent(payload, payload.event_id);
  const created = typeof payload.created_at === 'string' ? Date.parse(payload.created_at) : NaN;
  if (Number.isNaN(created)) throw new WebhookRejected('malformed');
  if (now.getTime() - created > window.maxAgeSeconds * 1000) throw new WebhookRejected('stale');
  if (isFuture(created, window.toleranceSeconds, now)) throw new WebhookRejected('future');
  return event;
}
