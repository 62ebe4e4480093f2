import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/*
 * Money is integer minor units (bigint) in the register's currency throughout. Ids of other
 * modules' rows (locations, catalog products) and of kernel rows (terminals, users, charges) are
 * plain uuids without foreign keys: modules link by id, not by constraint.
 */

export interface TaxRate {
  /** Short code the register's lines name, e.g. STD, RED, ZERO. */
  code: string;
  label: string;
  /** Basis points: 1900 = 19 %. */
  rateBp: number;
}

/** A till: belongs to a location, bound to at most one kernel terminal (device), with its tax set-up. */
export const posRegister = pgTable(
  'pos_register',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    locationId: uuid('location_id').notNull(),
    /** The kernel terminal (identity_device) this till runs on; null until bound. */
    deviceId: uuid('device_id'),
    name: text('name').notNull(),
    /** Short code printed in sale numbers (T1-000042). */
    code: text('code').notNull(),
    currency: text('currency').notNull(),
    pricesIncludeTax: boolean('prices_include_tax').notNull().default(true),
    taxRates: jsonb('tax_rates').$type<TaxRate[]>().notNull(),
    defaultTaxCode: text('default_tax_code').notNull(),
    /** Discounts above this (basis points of the discounted amount) need pos.discount.unlimited. */
    maxDiscountBp: integer('max_discount_bp').notNull().default(2000),
    /** The next sale number; taken under this row's lock, so numbers are gapless per register. */
    nextSaleNumber: integer('next_sale_number').notNull().default(1),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('pos_register_tenant_code_key').on(table.tenantId, sql`lower(${table.code})`),
    // One live register per terminal: the till a device signs in at is unambiguous.
    uniqueIndex('pos_register_tenant_device_key').on(table.tenantId, table.deviceId).where(sql`${table.deviceId} IS NOT NULL AND ${table.archivedAt} IS NULL`),
    check('pos_register_max_discount_range', sql`${table.maxDiscountBp} BETWEEN 0 AND 10000`),
  ],
);

export const SHIFT_STATUSES = ['open', 'closed'] as const;
export type ShiftStatus = (typeof SHIFT_STATUSES)[number];

export const posShift = pgTable(
  'pos_shift',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    registerId: uuid('register_id').notNull(),
    status: text('status').$type<ShiftStatus>().notNull().default('open'),
    openingFloatMinor: bigint('opening_float_minor', { mode: 'number' }).notNull(),
    openedBy: text('opened_by').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    /** Blind close: the cashier counts without being shown the expected amount. */
    blindClose: boolean('blind_close').notNull().default(false),
    closedBy: text('closed_by'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    countedCashMinor: bigint('counted_cash_minor', { mode: 'number' }),
    expectedCashMinor: bigint('expected_cash_minor', { mode: 'number' }),
    varianceMinor: bigint('variance_minor', { mode: 'number' }),
    /** Sales the register still held unsent when it closed (a manager approved the close). */
    unsyncedCount: integer('unsynced_count').notNull().default(0),
    closeApprovedBy: uuid('close_approved_by'),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    // One open shift per register, whatever races the requests run.
    uniqueIndex('pos_shift_one_open_per_register').on(table.tenantId, table.registerId).where(sql`${table.status} = 'open'`),
    index('pos_shift_register_idx').on(table.tenantId, table.registerId, table.openedAt),
    check('pos_shift_float_non_negative', sql`${table.openingFloatMinor} >= 0`),
  ],
);

export const posCashMovement = pgTable(
  'pos_cash_movement',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    shiftId: uuid('shift_id').notNull(),
    kind: text('kind').$type<'in' | 'out'>().notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    reason: text('reason').notNull(),
    actor: text('actor').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('pos_cash_movement_shift_idx').on(table.tenantId, table.shiftId),
    check('pos_cash_movement_positive', sql`${table.amountMinor} > 0`),
  ],
);

export const SALE_STATUSES = ['completed', 'voided'] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

export interface SaleDiscount {
  kind: 'percent' | 'amount';
  /** Basis points for percent (1000 = 10 %), minor units for amount. */
  value: number;
}

/**
 * A completed sale. Its id is the CLIENT-GENERATED uuid: the primary key is what dedupes a
 * re-sent sale. `fingerprint` is a hash of the submitted content, telling a re-send (same hash)
 * from a different sale reusing the id (CONFLICT).
 */
export const posSale = pgTable(
  'pos_sale',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    registerId: uuid('register_id').notNull(),
    shiftId: uuid('shift_id').notNull(),
    locationId: uuid('location_id').notNull(),
    number: integer('number').notNull(),
    saleNumber: text('sale_number').notNull(),
    status: text('status').$type<SaleStatus>().notNull().default('completed'),
    currency: text('currency').notNull(),
    pricesIncludeTax: boolean('prices_include_tax').notNull(),
    subtotalMinor: bigint('subtotal_minor', { mode: 'number' }).notNull(),
    discountMinor: bigint('discount_minor', { mode: 'number' }).notNull(),
    taxMinor: bigint('tax_minor', { mode: 'number' }).notNull(),
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
    tipMinor: bigint('tip_minor', { mode: 'number' }).notNull().default(0),
    changeMinor: bigint('change_minor', { mode: 'number' }).notNull().default(0),
    ticketDiscount: jsonb('ticket_discount').$type<SaleDiscount | null>(),
    fingerprint: text('fingerprint').notNull(),
    /** When the register rang it up (offline sales carry their original time). */
    soldAt: timestamp('sold_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** Accepted into a shift that had closed (manager-approved late sync). */
    late: boolean('late').notNull().default(false),
    cashierUserId: uuid('cashier_user_id'),
    actor: text('actor').notNull(),
    approvedBy: uuid('approved_by'),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    /** Receipts printed so far: every one after the first is marked REPRINT and audited. */
    printCount: integer('print_count').notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('pos_sale_register_number_key').on(table.tenantId, table.registerId, table.number),
    index('pos_sale_shift_idx').on(table.tenantId, table.shiftId),
    check('pos_sale_total_non_negative', sql`${table.totalMinor} >= 0`),
  ],
);

export interface LineModifier {
  name: string;
  priceDeltaMinor: number;
}

export const posSaleLine = pgTable(
  'pos_sale_line',
  {
    tenantId: uuid('tenant_id').notNull(),
    saleId: uuid('sale_id').notNull(),
    lineNo: integer('line_no').notNull(),
    productId: uuid('product_id').notNull(),
    name: text('name').notNull(),
    sku: text('sku').notNull(),
    /** Negative for an item taken back on the same ticket (needs pos.quantity.negative). */
    quantity: integer('quantity').notNull(),
    catalogPriceMinor: bigint('catalog_price_minor', { mode: 'number' }).notNull(),
    unitPriceMinor: bigint('unit_price_minor', { mode: 'number' }).notNull(),
    priceOverridden: boolean('price_overridden').notNull().default(false),
    modifiers: jsonb('modifiers').$type<LineModifier[]>().notNull(),
    discount: jsonb('discount').$type<SaleDiscount | null>(),
    grossMinor: bigint('gross_minor', { mode: 'number' }).notNull(),
    lineDiscountMinor: bigint('line_discount_minor', { mode: 'number' }).notNull(),
    ticketDiscountMinor: bigint('ticket_discount_minor', { mode: 'number' }).notNull(),
    taxCode: text('tax_code').notNull(),
    taxRateBp: integer('tax_rate_bp').notNull(),
    netMinor: bigint('net_minor', { mode: 'number' }).notNull(),
    taxMinor: bigint('tax_minor', { mode: 'number' }).notNull(),
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
    /** Voided at the register before payment: kept for the Z report, not in totals or stock. */
    voided: boolean('voided').notNull().default(false),
    voidReason: text('void_reason'),
    refundedQuantity: integer('refunded_quantity').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.saleId, table.lineNo] })],
);

export const TENDER_KINDS = ['cash', 'card', 'voucher'] as const;
export type TenderKind = (typeof TENDER_KINDS)[number];

export const posTender = pgTable(
  'pos_tender',
  {
    tenantId: uuid('tenant_id').notNull(),
    saleId: uuid('sale_id').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind').$type<TenderKind>().notNull(),
    /** What this tender pays of the sale (cash: tendered minus change). */
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    /** Cash handed over; equals amount for other kinds. */
    tenderedMinor: bigint('tendered_minor', { mode: 'number' }).notNull(),
    chargeId: uuid('charge_id'),
    voucherId: uuid('voucher_id'),
    refundedMinor: bigint('refunded_minor', { mode: 'number' }).notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.saleId, table.seq] }),
    // A charge pays one sale only.
    uniqueIndex('pos_tender_charge_key').on(table.tenantId, table.chargeId).where(sql`${table.chargeId} IS NOT NULL`),
    check('pos_tender_refund_within_amount', sql`${table.refundedMinor} >= 0 AND ${table.refundedMinor} <= ${table.amountMinor}`),
  ],
);

export interface RefundLine {
  lineNo: number;
  productId: string;
  quantity: number;
  amountMinor: number;
  taxMinor: number;
}

export interface RefundTender {
  kind: TenderKind;
  seq: number;
  amountMinor: number;
  chargeId?: string | null;
  voucherId?: string | null;
}

export const REFUND_KINDS = ['refund', 'void'] as const;
export type RefundKind = (typeof REFUND_KINDS)[number];
export const CARD_REFUND_STATUSES = ['none', 'pending', 'succeeded', 'failed'] as const;
export type CardRefundStatus = (typeof CARD_REFUND_STATUSES)[number];

/** A refund (or a whole-sale void) of a completed sale; its id is client-generated like a sale's. */
export const posRefund = pgTable(
  'pos_refund',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    saleId: uuid('sale_id').notNull(),
    registerId: uuid('register_id').notNull(),
    shiftId: uuid('shift_id').notNull(),
    kind: text('kind').$type<RefundKind>().notNull(),
    reason: text('reason').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    taxMinor: bigint('tax_minor', { mode: 'number' }).notNull(),
    lines: jsonb('lines').$type<RefundLine[]>().notNull(),
    tenders: jsonb('tenders').$type<RefundTender[]>().notNull(),
    cardStatus: text('card_status').$type<CardRefundStatus>().notNull().default('none'),
    fingerprint: text('fingerprint').notNull(),
    actor: text('actor').notNull(),
    approvedBy: uuid('approved_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('pos_refund_sale_idx').on(table.tenantId, table.saleId),
    index('pos_refund_shift_idx').on(table.tenantId, table.shiftId),
  ],
);

/** A stored-value voucher (gift card): spent in sales under its row lock, credited back on refunds. */
export const posVoucher = pgTable(
  'pos_voucher',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    code: text('code').notNull(),
    currency: text('currency').notNull(),
    initialMinor: bigint('initial_minor', { mode: 'number' }).notNull(),
    balanceMinor: bigint('balance_minor', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('pos_voucher_tenant_code_key').on(table.tenantId, sql`upper(${table.code})`),
    check('pos_voucher_balance_range', sql`${table.balanceMinor} >= 0 AND ${table.balanceMinor} <= ${table.initialMinor}`),
  ],
);
