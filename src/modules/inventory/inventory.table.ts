import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/*
 * Quantities are whole units (integers) throughout: the catalog sells units, not weights.
 * Fractional stock would become milli-units in new columns, not floats in these.
 */

/** Per-tenant inventory settings; no row means the defaults (negative stock not allowed). */
export const inventorySetting = pgTable('inventory_setting', {
  tenantId: uuid('tenant_id').notNull().primaryKey(),
  allowNegativeStock: boolean('allow_negative_stock').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The stock item of one product at one location: its reorder settings and its balance. on_hand
 * always equals the sum of the item's ledger movements: it changes only in the transaction that
 * appends a movement, under this row's lock, which is also what serialises concurrent sales.
 */
export const inventoryStock = pgTable(
  'inventory_stock',
  {
    tenantId: uuid('tenant_id').notNull(),
    locationId: uuid('location_id').notNull(),
    productId: uuid('product_id').notNull(),
    onHand: integer('on_hand').notNull().default(0),
    reorderPoint: integer('reorder_point'),
    reorderQuantity: integer('reorder_quantity'),
    /** Set when a low-stock alert went out; cleared when stock rises above the reorder point again (one alert per crossing). */
    lowAlerted: boolean('low_alerted').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.locationId, table.productId] }),
    index('inventory_stock_tenant_product_idx').on(table.tenantId, table.productId),
    check('inventory_stock_reorder_point_non_negative', sql`${table.reorderPoint} >= 0`),
    check('inventory_stock_reorder_quantity_positive', sql`${table.reorderQuantity} > 0`),
  ],
);

export const MOVEMENT_KINDS = ['sale', 'refund', 'receipt', 'adjustment', 'transfer_out', 'transfer_in', 'count_correction'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** The stock ledger: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE); a mistake is corrected by a new movement. */
export const inventoryMovement = pgTable(
  'inventory_movement',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    /** Ledger order across the installation; "movements since" a point compare it. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    locationId: uuid('location_id').notNull(),
    productId: uuid('product_id').notNull(),
    kind: text('kind').$type<MovementKind>().notNull(),
    /** Signed change of on-hand, in whole units. */
    quantity: integer('quantity').notNull(),
    reason: text('reason'),
    /** What caused it: a sale id, a delivery note, a transfer or count id. */
    reference: text('reference'),
    actor: text('actor').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('inventory_movement_item_idx').on(table.tenantId, table.locationId, table.productId, table.seq),
    check('inventory_movement_kind_known', sql`${table.kind} IN ('sale', 'refund', 'receipt', 'adjustment', 'transfer_out', 'transfer_in', 'count_correction')`),
    check(
      'inventory_movement_sign_matches_kind',
      sql`CASE WHEN ${table.kind} IN ('sale', 'transfer_out') THEN ${table.quantity} < 0
               WHEN ${table.kind} IN ('refund', 'receipt', 'transfer_in') THEN ${table.quantity} > 0
               ELSE ${table.quantity} <> 0 END`,
    ),
  ],
);

export const COUNT_STATUSES = ['open', 'posted', 'cancelled'] as const;
export type CountStatus = (typeof COUNT_STATUSES)[number];

/** A stock count of one location: opened with a snapshot of what the ledger expects, posted as corrections. */
export const inventoryCount = pgTable(
  'inventory_count',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    locationId: uuid('location_id').notNull(),
    status: text('status').$type<CountStatus>().notNull().default('open'),
    startedBy: text('started_by').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('inventory_count_tenant_started_idx').on(table.tenantId, table.startedAt),
    check('inventory_count_status_known', sql`${table.status} IN ('open', 'posted', 'cancelled')`),
  ],
);

export const inventoryCountLine = pgTable(
  'inventory_count_line',
  {
    tenantId: uuid('tenant_id').notNull(),
    countId: uuid('count_id').notNull(),
    productId: uuid('product_id').notNull(),
    /** On hand when the count started (the snapshot the review compares with). */
    expected: integer('expected').notNull(),
    counted: integer('counted'),
    /** On hand at the moment `counted` was entered: the correction is counted minus this. */
    onHandAtEntry: integer('on_hand_at_entry'),
    countedAt: timestamp('counted_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.countId, table.productId] }),
    foreignKey({ columns: [table.tenantId, table.countId], foreignColumns: [inventoryCount.tenantId, inventoryCount.id] }),
    check('inventory_count_line_counted_non_negative', sql`${table.counted} >= 0`),
  ],
);

export const TRANSFER_STATUSES = ['draft', 'in_transit', 'received', 'cancelled'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export const inventoryTransfer = pgTable(
  'inventory_transfer',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    fromLocationId: uuid('from_location_id').notNull(),
    toLocationId: uuid('to_location_id').notNull(),
    status: text('status').$type<TransferStatus>().notNull().default('draft'),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('inventory_transfer_tenant_created_idx').on(table.tenantId, table.createdAt),
    check('inventory_transfer_status_known', sql`${table.status} IN ('draft', 'in_transit', 'received', 'cancelled')`),
    check('inventory_transfer_distinct_locations', sql`${table.fromLocationId} <> ${table.toLocationId}`),
  ],
);

export const inventoryTransferLine = pgTable(
  'inventory_transfer_line',
  {
    tenantId: uuid('tenant_id').notNull(),
    transferId: uuid('transfer_id').notNull(),
    productId: uuid('product_id').notNull(),
    quantity: integer('quantity').notNull(),
    /** What arrived; quantity − received is the discrepancy recorded on receipt. */
    receivedQuantity: integer('received_quantity'),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.transferId, table.productId] }),
    foreignKey({ columns: [table.tenantId, table.transferId], foreignColumns: [inventoryTransfer.tenantId, inventoryTransfer.id] }),
    check('inventory_transfer_line_quantity_positive', sql`${table.quantity} > 0`),
    check('inventory_transfer_line_received_range', sql`${table.receivedQuantity} >= 0 AND ${table.receivedQuantity} <= ${table.quantity}`),
  ],
);
