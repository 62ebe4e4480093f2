/** What a provider is handed: one rendered message to one recipient. */
export interface OutgoingEmail {
  /** The delivery's id: providers use it as the message's idempotency key where they can. */
  deliveryId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Where replies go (the tenant's reply-to address), when set. */
  replyTo?: string;
}

/** The message as nodemailer composes it, with our message id (the delivery's, for tracing). */
export function mailOptions(message: OutgoingEmail, messageId: string) {
  const { from, to, subject, text, html, headers, replyTo } = message;
  return { from, to, subject, text, html, headers, messageId, ...(replyTo ? { replyTo } : {}) };
}

export interface OutgoingSms {
  deliveryId: string;
  to: string;
  text: string;
}

/** A provider's answer: its id for the message, for the delivery log. */
export interface SentMessage {
  providerMessageId: string;
}

/**
 * A provider refusing for good (bad address, content rejected): retrying will not help, so the
 * delivery fails at once. Any other error is retried with back-off.
 */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentDeliveryError';
  }
}

/**
 * The provider says the recipient opted out of messages from this sender (Twilio 21610: they
 * replied STOP): the delivery is suppressed and the opt-out recorded, so nothing more is tried.
 */
export class RecipientOptedOutError extends PermanentDeliveryError {
  constructor(message: string) {
    super(message);
    this.name = 'RecipientOptedOutError';
  }
}

export interface EmailProvider {
  readonly name: string;
  send(message: OutgoingEmail): Promise<SentMessage>;
  close?(): Promise<void> | void;
}

/** An SMS gateway (a file in development; a Twilio-like HTTP adapter implements the same). */
export interface SmsProvider {
  readonly name: string;
  send(message: OutgoingSms): Promise<SentMessage>;
  close?(): Promise<void> | void;
}

export interface NotifyProviders {
  email: EmailProvider;
  sms: SmsProvider;
}
