import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../../kernel/jobs/index.ts';
import { INVOICE_STATUSES, SUBSCRIPTION_STATUSES } from './billing.table.ts';

const status = z.enum(SUBSCRIPTION_STATUSES);
/** A subscription started or moved to another plan (at Plinth or at the provider). */
const planned = z.object({ tenantId: z.guid(), plan: z.string().nullable(), previousPlan: z.string().nullable(), providerSubscriptionId: z.string().nullable(), status });
const updated = z.object({
  tenantId: z.guid(),
  plan: z.string().nullable(),
  providerSubscriptionId: z.string().nullable(),
  status,
  previousStatus: status,
  currentPeriodEnd: z.iso.datetime({ offset: true }).nullable(),
  cancelAtPeriodEnd: z.boolean(),
});
const cancellation = z.object({ tenantId: z.guid(), plan: z.string().nullable(), providerSubscriptionId: z.string(), currentPeriodEnd: z.iso.datetime({ offset: true }).nullable() });
const invoice = z.object({
  tenantId: z.guid(),
  invoiceId: z.guid(),
  providerInvoiceId: z.string(),
  providerSubscriptionId: z.string().nullable(),
  amountDueMinor: z.number().int(),
  amountPaidMinor: z.number().int(),
  currency: z.string(),
  status: z.enum(INVOICE_STATUSES),
  previousStatus: z.enum(INVOICE_STATUSES).optional(),
});

/** Billing's events: subscriptions (the platform follows them, see its billing-state job) and invoices. */
export const billingEvents = defineEvents({
  'billing.subscription.started': planned,
  'billing.subscription.plan_changed': planned,
  'billing.subscription.updated': updated,
  'billing.subscription.lapsed': updated,
  'billing.subscription.cancel_scheduled': cancellation,
  'billing.subscription.cancel_withdrawn': cancellation,
  'billing.invoice.created': invoice,
  'billing.invoice.opened': invoice,
  'billing.invoice.paid': invoice,
  'billing.invoice.uncollectible': invoice,
  'billing.invoice.voided': invoice,
  'billing.invoice.updated': invoice,
});

declare module '../../kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof billingEvents> {}
}
