/** The webhook inbox's public surface. */
export { webhookInbox } from './inbox.table.ts';
export {
  storeWebhook,
  claimWebhook,
  markWebhookProcessed,
  WEBHOOK_PROVIDERS,
  WEBHOOK_RECEIVED,
  type WebhookProvider,
  type WebhookReceivedPayload,
  type InboxEvent,
} from './inbox.service.ts';
export { webhooksEvents } from './events.ts';
export { verifySquareWebhook, verifyStripeWebhook, WebhookRejected, type VerifiedWebhook } from './signatures.ts';
export { MAX_PROVIDER_ID_LENGTH, providerId } from './identifiers.ts';
