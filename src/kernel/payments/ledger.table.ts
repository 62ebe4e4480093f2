import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenancy/tenant.table.ts';

export const CHARGE_STATUSES = ['pending', 'succeeded', 'failed', 'canceled'] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

/**
 * Money a tenant takes through a provider, with how much of it has been (or is being) refunded.
 * A charge started here is `pending` (inserted before the provider is called, so its id can travel
 * to the provider and come back in webhooks) until the provider's answer or webhook settles it;
 * one recorded after the fact (recordCharge) is `succeeded` from the start.
 */
export const paymentsCharge = pgTable(
  'payments_charge',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenantTable.id),
    id: uuid('id').notNull().defaultRandom(),
    provider: text('provider').notNull(),
    /** Null only while a started payment has not had the provider's answer yet. */
    providerPaymentId: text('provider_payment_id'),
    status: text('status').$type<ChargeStatus>().notNull().default('succeeded'),
    /** The business operation that started it (e.g. `sale:<ticket id>`): the same one twice finds this charge. */
    operationKey: text('operation_key'),
    description: text('description'),
    failureMessage: text('failure_message'),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    /** Refunds succeeded or in flight: reserved before the provider is called, released if it refuses. */
    refundedMinor: bigint('refunded_minor', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('payments_charge_provider_payment_key').on(table.provider, table.providerPaymentId),
    uniqueIndex('payments_charge_operation_key').on(table.tenantId, table.operationKey),
    // Webhooks carry our charge id without its tenant: the routing function looks it up by id alone.
    index('payments_charge_id_idx').on(table.id),
    check('payments_charge_status_known', sql`${table.status} IN ('pending', 'succeeded', 'failed', 'canceled')`),
    // Money taken is always traceable to the provider's payment (refunds need its id).
    check('payments_charge_succeeded_has_payment', sql`${table.status} <> 'succeeded' OR ${table.providerPaymentId} IS NOT NULL`),
    check('payments_charge_amounts', sql`${table.amountMinor} > 0 AND ${table.refundedMinor} >= 0 AND ${table.refundedMinor} <= ${table.amountMinor}`),
  ],
);

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** One refund of a charge, named by the business operation that asked for it (unique per charge). */
export const paymentsRefund = pgTable(
  'payments_refund',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    chargeId: uuid('charge_id').notNull(),
    operationKey: text('operation_key').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    status: text('status').$type<RefundStatus>().notNull().default('pending'),
    providerRefundId: text('provider_refund_id'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('payments_refund_operation_key').on(table.tenantId, table.chargeId, table.operationKey),
    foreignKey({ columns: [table.tenantId, table.chargeId], foreignColumns: [paymentsCharge.tenantId, paymentsCharge.id] }),
    check('payments_refund_amount_positive', sql`${table.amountMinor} > 0`),
    check('payments_refund_status_known', sql`${table.status} IN ('pending', 'succeeded', 'failed')`),
  ],
);
