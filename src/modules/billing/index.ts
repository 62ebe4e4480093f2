/** Billing's public surface: the only file other modules and editions import. */
export { billingEvents } from './events.ts';
export { billingModule, createBillingModule, type BillingModuleOptions } from './manifest.ts';
export { getSubscription, listInvoices, subscribe, cancelAtPeriodEnd, resumeSubscription, openBillingPortal, getTenantBilling, subscribeTenant } from './subscription.service.ts';
export { handleBillingEvent, billingEventsHandler, SubscriptionNotReady } from './stripe-events.job.ts';
export { BILLING_EVENTS } from './stripe-events.ts';
export { SUBSCRIPTION_STATUSES, INVOICE_STATUSES, type SubscriptionStatus, type InvoiceStatus } from './billing.table.ts';
export type { SubscriptionView, InvoiceView, SubscribeInput } from './domain/types.ts';
