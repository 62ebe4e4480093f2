import { PermanentDeliveryError, RecipientOptedOutError, type OutgoingSms, type SentMessage, type SmsProvider } from './port.ts';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** The sending number (E.164); ignored when a Messaging Service is named. */
  from: string | undefined;
  /** A Messaging Service (MG…) picks the sender from its pool; preferred over `from` when set. */
  messagingServiceSid: string | undefined;
  /** `https://api.twilio.com`, or a local server in tests. */
  apiBaseUrl: string;
  /** Give up on one request after this long, ms (default 10 s); the delivery is retried. */
  timeoutMs?: number;
}

/** Twilio's error for a recipient who replied STOP to this sender: no message will reach them. */
export const TWILIO_UNSUBSCRIBED_RECIPIENT = 21610;

interface TwilioAnswer {
  sid?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * SMS through Twilio's Messages API: one form-encoded POST per message, basic auth with the
 * account SID and token. Outcomes map onto the delivery's: 2xx with a message SID is sent; 429
 * and 5xx (and a network failure or timeout) are retried with back-off; 21610 (the recipient
 * replied STOP) suppresses it and records the opt-out; any other 4xx (bad number, bad sender)
 * fails it at once, as a retry would be refused the same way.
 */
export function twilioSmsProvider(options: TwilioOptions): SmsProvider {
  if (!options.from && !options.messagingServiceSid) throw new Error('Twilio needs TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID.');
  const url = `${options.apiBaseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  return {
    name: 'twilio',
    async send(message: OutgoingSms): Promise<SentMessage> {
      const form = new URLSearchParams({ To: message.to, Body: message.text });
      if (options.messagingServiceSid) form.set('MessagingServiceSid', options.messagingServiceSid);
      else form.set('From', options.from as string);
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form.toString(),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        // Not reached, or no answer in time: whether Twilio took it is unknown, so at-least-once retries.
        throw new Error(`Twilio could not be reached: ${(error as Error).message}`, { cause: error });
      }
      const answer = (await response.json().catch(() => ({}))) as TwilioAnswer;
      if (response.ok && typeof answer.sid === 'string') return { providerMessageId: answer.sid };
      const code = typeof answer.code === 'number' ? answer.code : undefined;
      const detail = `Twilio answered ${response.status}${code ? ` (error ${code})` : ''}: ${typeof answer.message === 'string' ? answer.message : response.statusText}`;
      if (response.status === 429 || response.status >= 500 || response.ok) throw new Error(detail);
      if (code === TWILIO_UNSUBSCRIBED_RECIPIENT) throw new RecipientOptedOutError(detail);
      throw new PermanentDeliveryError(detail);
    },
  };
}
