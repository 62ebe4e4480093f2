import { z } from 'zod';
import { INVOICE_STATUSES, SUBSCRIPTION_STATUSES } from '../billing.table.ts';

export const subscribeInput = z.strictObject({
  planKey: z
    .string({ error: 'is required' })
    .trim()
    .regex(/^[a-z][a-z0-9_-]{1,39}$/, { error: 'must be a plan key' }),
});
export type SubscribeInput = z.output<typeof subscribeInput>;

export const subscriptionView = z.object({
  planKey: z.string().nullable(),
  pendingPlanKey: z.string().nullable(),
  plan: z
    .object({ key: z.string(), name: z.string(), priceMinor: z.number().int(), currency: z.string(), interval: z.enum(['month', 'year']) })
    .nullable(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  provider: z.string(),
  providerCustomerId: z.string().nullable(),
  providerSubscriptionId: z.string().nullable(),
  currentPeriodEnd: z.iso.datetime().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  /** True while the provider is collecting a failed payment (past_due) or gave up (unpaid). */
  dunning: z.boolean(),
});
export type SubscriptionView = z.output<typeof subscriptionView>;

export const invoiceView = z.object({
  id: z.uuid(),
  providerInvoiceId: z.string(),
  number: z.string().nullable(),
  amountDueMinor: z.number().int(),
  amountPaidMinor: z.number().int(),
  currency: z.string().length(3),
  status: z.enum(INVOICE_STATUSES),
  hostedUrl: z.string().nullable(),
  periodStart: z.iso.datetime().nullable(),
  periodEnd: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type InvoiceView = z.output<typeof invoiceView>;
