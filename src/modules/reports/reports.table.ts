import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The reporting read model: one row per (day in the location's time zone, location, product,
 * currency), fed by the POS's outbox events (see facts.handler.ts). Every column is a sum that
 * handlers add to, so events may arrive in any order; the jobs runtime's processed-event record
 * makes a redelivered event add nothing. Amounts are integer minor units.
 */
export const reportsSalesFact = pgTable(
  'reports_sales_fact',
  {
    tenantId: uuid('tenant_id').notNull(),
    /** The calendar day of the sale (or refund) in its location's time zone. */
    day: date('day', { mode: 'string' }).notNull(),
    locationId: uuid('location_id').notNull(),
    productId: uuid('product_id').notNull(),
    currency: text('currency').notNull(),
    /** Product name and SKU as last sold, for labels (the catalog may rename it later). */
    productName: text('product_name').notNull(),
    productSku: text('product_sku').notNull(),
    /** Units sold (negative lines taken back on a ticket count against it); voided sales are taken out. */
    quantity: integer('quantity').notNull().default(0),
    /** Unit price with modifiers × quantity, before discounts. */
    grossMinor: bigint('gross_minor', { mode: 'number' }).notNull().default(0),
    /** Line and ticket discounts. */
    discountMinor: bigint('discount_minor', { mode: 'number' }).notNull().default(0),
    taxMinor: bigint('tax_minor', { mode: 'number' }).notNull().default(0),
    /** After discounts, without tax. */
    netMinor: bigint('net_minor', { mode: 'number' }).notNull().default(0),
    /** What customers paid for the lines (after discounts, with tax; tips left out). */
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull().default(0),
    /** Units refunded on this day (refunds count on the day they are made). */
    refundQuantity: integer('refund_quantity').notNull().default(0),
    /** Money refunded for the product on this day, with tax. */
    refundMinor: bigint('refund_minor', { mode: 'number' }).notNull().default(0),
    refundTaxMinor: bigint('refund_tax_minor', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.day, table.locationId, table.productId, table.currency] }),
    index('reports_sales_fact_tenant_location_day_idx').on(table.tenantId, table.locationId, table.day),
    check('reports_sales_fact_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const EXPORT_STATUSES = ['queued', 'done', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** A CSV export: requested through the API, rendered by a job into `csv`, downloaded when done. */
export const reportsExport = pgTable(
  'reports_export',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    report: text('report').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status').$type<ExportStatus>().notNull().default('queued'),
    /** Whether the requester could see product costs (catalog.product_cost.read) when asking. */
    includeCost: boolean('include_cost').notNull().default(false),
    requestedBy: text('requested_by').notNull(),
    csv: text('csv'),
    rowCount: integer('row_count'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('reports_export_tenant_created_idx').on(table.tenantId, table.createdAt),
    check('reports_export_status_known', sql`${table.status} IN ('queued', 'done', 'failed')`),
  ],
);
