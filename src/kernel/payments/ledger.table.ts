import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenancy/tenant.table.ts';

/** Money a tenant took through a provider, with how much of it has been (or is being) refunded. */
export const paymentsCharge = pgTable(
  'payments_charge',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenantTable.id),
    id: uuid('id').notNull().defaultRandom(),
    provider: text('provider').notNull(),
    providerPaymentId: text('provider_payment_id').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    /** Refunds succeeded or in flight: reserved before the provider is called, released if it refuses. */
    refundedMinor: bigint('refunded_minor', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('payments_charge_provider_payment_key').on(table.provider, table.providerPaymentId),
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
