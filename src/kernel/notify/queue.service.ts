import type { ServiceContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { notifyDelivery, type Channel } from './delivery.table.ts';
import { normalizeRecipient } from './domain/keywords.ts';
import { isTimeZone } from '../time/index.ts';
import { notifyTemplates, type NotifyTemplate } from './domain/templates.ts';
import type { UnitOfWork } from '../tenancy/index.ts';

export interface QueueNotificationInput<D> {
  channel: Channel;
  /** An email address or an E.164 phone number. */
  to: string;
  template: NotifyTemplate<D>;
  data: D;
  /** IANA zone of the recipient for quiet hours; else the tenant's, else NOTIFY_TIME_ZONE. */
  recipientTimeZone?: string;
  /** Hold the message out of quiet hours: always true for SMS; email only when set. */
  quietHours?: boolean;
  /** Earliest time to send (default: now). */
  notBefore?: Date;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const PHONE = /^\+[1-9]\d{6,14}$/;

/**
 * Queues one message in the caller's transaction: it is sent (by deliverDue) only once that
 * transaction commits, and never if it rolls back. Checks the recipient, the template's data and
 * the time zone now, so a bad call fails where it is made. Answers the delivery's id.
 */
export async function queueNotification<D>(uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'requestId'>>, input: QueueNotificationInput<D>): Promise<string> {
  const { channel, template } = input;
  const to = normalizeRecipient(channel, input.to);
  if (channel === 'email' ? !EMAIL.test(to) : !PHONE.test(to))
    throw new AppError('VALIDATION', channel === 'email' ? 'Not an email address.' : 'Not a phone number in international form (+15551234567).', { reason: 'NOTIFY_BAD_RECIPIENT' });
  if (!notifyTemplates.has(template)) throw new Error(`Notification template ${template.id} is not registered (notifyTemplates.add).`);
  if (!template[channel]) throw new Error(`Notification template ${template.id} has no ${channel} body.`);
  const data = template.data.parse(input.data) as Record<string, unknown>;
  if (input.recipientTimeZone !== undefined && !isTimeZone(input.recipientTimeZone))
    throw new AppError('VALIDATION', `Unknown time zone ${input.recipientTimeZone}.`, { reason: 'NOTIFY_BAD_TIME_ZONE' });
  const [row] = await uow.tx
    .insert(notifyDelivery)
    .values({
      tenantId: uow.tenantId,
      channel,
      recipient: to,
      template: template.id,
      data,
      timeZone: input.recipientTimeZone ?? null,
      quietHours: channel === 'sms' || input.quietHours === true,
      status: 'queued',
      nextAttemptAt: input.notBefore ?? new Date(),
      requestId: uow.requestId,
    })
    .returning({ id: notifyDelivery.id });
  return (row as { id: string }).id;
}
