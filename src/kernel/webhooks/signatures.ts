import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { sameSecret } from '../secrets/index.ts';

/** A webhook that passed its provider's signature check: what the inbox stores. */
export interface VerifiedWebhook {
  eventId: string;
  type: string;
  payload: Record<string, unknown>;
}

export class WebhookRejected extends Error {
  constructor(readonly reason: 'signature' | 'stale' | 'malformed') {
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

/**
 * Stripe signs `<timestamp>.<raw body>` (header `Stripe-Signature: t=…,v1=…`) and re-signs every
 * retry, so a signature older than the tolerance is a replay. Checked by the official SDK.
 */
export function verifyStripeWebhook(raw: Buffer, header: string | undefined, secret: string, toleranceSeconds: number, now: Date): VerifiedWebhook {
  if (!header) throw new WebhookRejected('signature');
  try {
    Stripe.webhooks.constructEvent(raw, header, secret, toleranceSeconds, undefined, now.getTime());
  } catch (error) {
    throw new WebhookRejected(/timestamp outside the tolerance/i.test(String((error as Error).message)) ? 'stale' : 'signature');
  }
  const payload = parseObject(raw);
  if (typeof payload.id !== 'string' || typeof payload.type !== 'string') throw new WebhookRejected('malformed');
  return { eventId: payload.id, type: payload.type, payload };
}

/**
 * Square signs `<notification URL><raw body>` with HMAC-SHA256 (header
 * `x-square-hmacsha256-signature`, base64) and has no signed timestamp; it retries the same
 * event for a day or more, so staleness is judged by the event's `created_at` against a longer
 * window, and replays inside it are stopped by the inbox's unique event id.
 */
export function verifySquareWebhook(
  raw: Buffer,
  header: string | undefined,
  signatureKey: string,
  notificationUrl: string,
  maxAgeSeconds: number,
  now: Date,
): VerifiedWebhook {
  if (!header) throw new WebhookRejected('signature');
  const expected = createHmac('sha256', signatureKey).update(notificationUrl).update(raw).digest();
  const presented = Buffer.from(header, 'base64');
  if (!sameSecret(presented, expected)) throw new WebhookRejected('signature');
  const payload = parseObject(raw);
  const { event_id: eventId, type, created_at: createdAt } = payload;
  if (typeof eventId !== 'string' || typeof type !== 'string' || typeof createdAt !== 'string') throw new WebhookRejected('malformed');
  const created = Date.parse(createdAt);
  if (Number.isNaN(created) || now.getTime() - created > maxAgeSeconds * 1000) throw new WebhookRejected('stale');
  return { eventId, type, payload };
}
