import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from '../../kernel/tenancy/index.ts';

export const SUBSCRIPTION_STATUSES = ['trialing', 'active', 'past_due', 'unpaid', 'canceled', 'incomplete'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/**
 * A business's subscription to a platform plan at the payments provider: one per tenant. The
 * provider customer is created once per tenant and kept; the provider subscription changes with
 * the plan. Status follows the provider's webhooks (dunning: past_due → unpaid → canceled).
 */
export const billingSubscription = pgTable(
  'billing_subscription',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .primaryKey()
      .references(() => tenantTable.id),
    provider: text('provider').notNull(),
    providerCustomerId: text('provider_customer_id'),
    providerSubscriptionId: text('provider_subscription_id'),
    /** The plan the current provider subscription is for; null before the first one. */
    planKey: text('plan_key'),
    /** A plan asked for whose provider subscription is not recorded yet (webhooks for it wait). */
    pendingPlanKey: text('pending_plan_key'),
    status: text('status').$type<SubscriptionStatus>().notNull().default('incomplete'),
    currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    /** Counts ended subscriptions, so subscribing again after a cancellation gets a new idempotency key. */
    generation: integer('generation').notNull().default(0),
    /** When the provider created the last event applied to the status: older events are ignored. */
    providerEventAt: timestamp('provider_event_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('billing_subscription_customer_key').on(table.provider, table.providerCustomerId),
    check('billing_subscription_status_known', sql`${table.status} IN ('trialing', 'active', 'past_due', 'unpaid', 'canceled', 'incomplete')`),
  ],
);

/** A provider invoice of a business's subscription, kept in step with the provider's webhooks. */
export const billingInvoice = pgTable(
  'billing_invoice',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenantTable.id),
    id: uuid('id').notNull().defaultRandom(),
    provider: text('provider').notNull(),
    providerInvoiceId: text('provider_invoice_id').notNull(),
    providerSubscriptionId: text('provider_subscription_id'),
    number: text('number'),
    amountDueMinor: bigint('amount_due_minor', { mode: 'number' }).notNull(),
    amountPaidMinor: bigint('amount_paid_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status').$type<InvoiceStatus>().notNull(),
    hostedUrl: text('hosted_url'),
    periodStart: timestamp('period_start', { withTimezone: true }),
    periodEnd: timestamp('period_end', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('billing_invoice_provider_key').on(table.provider, table.providerInvoiceId),
    index('billing_invoice_tenant_created_idx').on(table.tenantId, table.createdAt),
    check('billing_invoice_status_known', sql`${table.status} IN ('draft', 'open', 'paid', 'uncollectible', 'void')`),
    check('billing_invoice_amounts', sql`${table.amountDueMinor} >= 0 AND ${table.amountPaidMinor} >= 0`),
    check('billing_invoice_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
);
