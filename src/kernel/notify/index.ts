/** Notifications' public surface: the only file modules, editions and the app import. */
export { queueNotification, type QueueNotificationInput } from './queue.service.ts';
export { deliverDue, claimDue, defaultBackoffMs, senderAddress, type DeliverOptions, type DeliverReport, type NotifyDatabases } from './deliver.service.ts';
export { startNotifyRunner, notifySetup, type NotifyRunner } from './runner.ts';
export { handleInboundSms, handlePlatformInboundSms, optOut, optIn, isOptedOut, type InboundSmsResult } from './opt-out.service.ts';
export { setNotifySettings, getNotifySettings, updateNotifySettings, readNotifySettings, type NotifySettings, type NotifySettingsInput } from './settings.service.ts';
export { signUnsubscribeToken, verifyUnsubscribeToken, unsubscribeKey, type UnsubscribeClaim } from './unsubscribe-token.ts';
export { defineTemplate, html, escapeHtml, notifyTemplates, TemplateRegistry, type NotifyTemplate, type SafeHtml, type RenderExtras } from './domain/templates.ts';
export { STOP_KEYWORDS, START_KEYWORDS } from './domain/keywords.ts';
export type { Channel, DeliveryStatus } from './delivery.table.ts';
export {
  PermanentDeliveryError,
  RecipientOptedOutError,
  providersFromConfig,
  fileEmailProvider,
  fileSmsProvider,
  smtpEmailProvider,
  twilioSmsProvider,
  TWILIO_UNSUBSCRIBED_RECIPIENT,
  type TwilioOptions,
  type EmailProvider,
  type SmsProvider,
  type NotifyProviders,
  type OutgoingEmail,
  type OutgoingSms,
  type SentMessage,
} from './providers/index.ts';
