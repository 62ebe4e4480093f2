import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Config } from '../config/index.ts';
import { AppError } from '../errors.ts';
import type { AppInstance } from '../module/index.ts';
import { sameSecret } from '../secrets/index.ts';
import { normalizeRecipient } from './domain/keywords.ts';
import { handlePlatformInboundSms } from './opt-out.service.ts';
import { publicBaseUrl } from './runner.ts';

export const TWILIO_INBOUND_PATH = '/v1/notify/sms/inbound/twilio';

type FormParams = Record<string, string | string[]>;

/**
 * Twilio's request signature: HMAC-SHA1 with the auth token over the full URL it posted to, then
 * each form parameter sorted by name as name + value (a repeated one once per value, values
 * sorted), base64.
 */
export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  const data = Object.keys(params)
    .sort()
    .reduce((text, key) => text + [params[key] ?? []].flat().sort().map((value) => key + value).join(''), url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function verifyTwilioSignature(authToken: string, url: string, params: FormParams, header: string | undefined): boolean {
  if (!header) return false;
  return sameSecret(Buffer.from(header, 'base64'), Buffer.from(twilioSignature(authToken, url, params), 'base64'));
}

/** An empty TwiML answer: Twilio sends no reply of ours (its own opt-out handling confirms STOP). */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value.at(-1) : value);

/** An E.164 number has at most 15 digits; a longer `From` is not a phone and is not stored as one. */
const MAX_SENDER_LENGTH = 32;

/**
 * `POST /v1/notify/sms/inbound/twilio`: the "A message comes in" webhook of the Twilio number.
 * Public (Twilio's signature is the credential, so no CSRF token either); served only when
 * NOTIFY_SMS_TRANSPORT=twilio, else 404 like an unknown path. A STOP or START from `From` changes
 * its SMS consent in every tenant: the number is platform-wide (see handlePlatformInboundSms).
 */
export function smsInboundRoutes(app: AppInstance, config: Config): void {
  const twilio = config.notify.twilio;
  app.post(
    TWILIO_INBOUND_PATH,
    {
      config: { access: 'public', csrf: false, rateClass: 'write' },
      schema: {
        tags: ['notify'],
        summary: "Twilio's inbound-SMS webhook: STOP and START keywords change the sender's SMS consent (signed by Twilio)",
        body: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
      },
    },
    async (request, reply) => {
      if (!twilio) throw new AppError('NOT_FOUND', 'No SMS provider webhook is configured.');
      const params = request.body;
      // Twilio signs the URL it was given: PUBLIC_URL and the path with its query, as requested.
      const url = `${publicBaseUrl(config).replace(/\/+$/, '')}${request.url}`;
      const header = request.headers['x-twilio-signature'];
      if (!verifyTwilioSignature(twilio.authToken, url, params, typeof header === 'string' ? header : undefined)) {
        request.log.warn({ provider: 'twilio' }, 'inbound SMS webhook rejected: bad signature');
        throw new AppError('VALIDATION', 'The webhook could not be verified.', { reason: 'NOTIFY_TWILIO_SIGNATURE' });
      }
      const from = single(params.From);
      const body = single(params.Body);
      if (!from || from.length > MAX_SENDER_LENGTH || body === undefined) throw new AppError('VALIDATION', 'An inbound message names From and Body.', { reason: 'NOTIFY_INBOUND_MALFORMED' });
      const { result, changed } = await handlePlatformInboundSms(app.db, normalizeRecipient('sms', from), body);
      request.log.info({ provider: 'twilio', result, changed }, 'inbound SMS handled');
      return reply.type('text/xml; charset=utf-8').send(EMPTY_TWIML);
    },
  );
}
