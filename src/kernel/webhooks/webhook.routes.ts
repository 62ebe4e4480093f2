import { z } from 'zod';
import type { Config } from '../config/index.ts';
import { assertSignedJson } from '../http/index.ts';
import { AppError } from '../errors.ts';
import type { AppInstance } from '../module/index.ts';
import { storeWebhook, WEBHOOK_PROVIDERS, type WebhookProvider } from './inbox.service.ts';
import { verifySquareWebhook, verifyStripeWebhook, WebhookRejected, type VerifiedWebhook } from './signatures.ts';

type Verifier = (raw: Buffer, headers: Record<string, string | string[] | undefined>, now: Date) => VerifiedWebhook;
const header = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

/** The providers this installation has secrets for; the others answer 404 like an unknown path. */
function verifiers(config: Config): Partial<Record<WebhookProvider, Verifier>> {
  const { stripe, square, toleranceSeconds } = config.webhooks;
  return {
    ...(stripe ? { stripe: (raw, headers, now) => verifyStripeWebhook(raw, header(headers['stripe-signature']), stripe.secret, toleranceSeconds, now) } : {}),
    ...(square
      ? { square: (raw, headers, now) => verifySquareWebhook(raw, header(headers['x-square-hmacsha256-signature']), square.signatureKey, square.notificationUrl, { maxAgeSeconds: square.maxAgeSeconds, toleranceSeconds }, now) }
      : {}),
  };
}

/**
 * `POST /v1/webhooks/:provider`: the signature is checked on the raw bytes, then the event is
 * stored once and acknowledged at once; processing happens in a job, never in this request.
 * A bad signature, a stale event or a malformed body (or one breaking the edge rules) is 400 and stored nowhere.
 */
export function webhookRoutes(app: AppInstance, config: Config): void {
  const byProvider = verifiers(config);
  // The signature covers the exact bytes sent: keep them, parse only after verifying (in this scope only).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: config.bodyLimitBytes }, (_request, body, done) => done(null, body));

  app.post(
    '/v1/webhooks/:provider',
    {
      config: { access: 'public', rateClass: 'write' },
      schema: {
        tags: ['webhooks'],
        summary: 'Receive a signed provider event (Stripe, Square); stored once, processed by a job',
        params: z.strictObject({ provider: z.enum(WEBHOOK_PROVIDERS) }),
        response: { 200: z.object({ received: z.literal(true), duplicate: z.boolean() }) },
      },
    },
    async (request) => {
      const verify = byProvider[request.params.provider];
      if (!verify) throw new AppError('NOT_FOUND', 'No webhook endpoint is configured for this provider.');
      if (!Buffer.isBuffer(request.body)) throw new AppError('VALIDATION', 'Webhooks are JSON.', { reason: 'WEBHOOK_MALFORMED' });
      let event: VerifiedWebhook;
      try {
        event = verify(request.body, request.headers, new Date());
      } catch (error) {
        if (!(error instanceof WebhookRejected)) throw error;
        request.log.warn({ provider: request.params.provider, reason: error.reason }, 'webhook rejected');
        throw new AppError('VALIDATION', 'The webhook could not be verified.', { reason: `WEBHOOK_${error.reason.toUpperCase()}` });
      }
      // Signed is not well-formed: depth, duplicate keys, numbers and text follow the rules of every body.
      assertSignedJson(request.body);
      const stored = await storeWebhook(app.db, request.params.provider, event);
      return { received: true as const, duplicate: stored.duplicate };
    },
  );
}
