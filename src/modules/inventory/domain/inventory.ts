import { z } from 'zod';
import { text } from '../../../kernel/text/index.ts';

/** Quantities are whole units; this bounds one movement so sums stay far inside a 32-bit integer. */
export const QUANTITY_MAX = 1_000_000;
export const TEXT_MAX = 500;
export const REFERENCE_MAX = 120;
export const LINES_MAX = 200;

const wholeNumber = z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' });
export const positiveQuantity = wholeNumber.min(1, { error: 'must be at least 1' }).max(QUANTITY_MAX, { error: `must be at most ${QUANTITY_MAX}` });
export const countedQuantity = wholeNumber.min(0, { error: 'must not be negative' }).max(QUANTITY_MAX, { error: `must be at most ${QUANTITY_MAX}` });
const optionalText = (max: number) => text(max).optional();
const productId = z.uuid({ error: 'must be a product id (UUID)' });
const locationId = z.uuid({ error: 'must be a location id (UUID)' });

export const stockLine = z.strictObject({ productId, quantity: positiveQuantity });
export type StockLine = z.output<typeof stockLine>;
const lines = z.array(stockLine).min(1, { error: 'name at least one product' }).max(LINES_MAX);

/** What the POS passes for a sale or a refund at a location opened with openStockAt (see stageSaleMovements). */
export interface SaleMovementsInput {
  /** The sale's (or refund's) id, written on each movement. */
  reference: string;
  lines: readonly StockLine[];
}
export const saleMovementsInput = z.object({
  reference: z.string().min(1).max(REFERENCE_MAX),
  lines: z.array(z.object({ productId, quantity: positiveQuantity })).min(1).max(LINES_MAX),
});

export const receiptInput = z.strictObject({
  locationId,
  lines,
  reference: optionalText(REFERENCE_MAX),
  note: optionalText(TEXT_MAX),
});
export type ReceiptInput = z.output<typeof receiptInput>;

export const adjustmentInput = z.strictObject({
  locationId,
  productId,
  quantityDelta: wholeNumber
    .min(-QUANTITY_MAX)
    .max(QUANTITY_MAX)
    .refine((delta) => delta !== 0, { error: 'must not be 0' }),
  reason: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(TEXT_MAX),
});
export type AdjustmentInput = z.output<typeof adjustmentInput>;

export const reorderInput = z.strictObject({
  reorderPoint: wholeNumber.min(0).max(QUANTITY_MAX).nullable(),
  reorderQuantity: positiveQuantity.nullable().optional(),
});
export type ReorderInput = z.output<typeof reorderInput>;

export const settingsInput = z.strictObject({ allowNegativeStock: z.boolean({ error: 'must be true or false' }) });
export type InventorySettings = z.output<typeof settingsInput>;

export const itemParams = z.strictObject({ locationId, productId });

export const stockItem = z.object({
  locationId: z.uuid(),
  productId: z.uuid(),
  onHand: z.number().int(),
  /** Units sent to this location on transfers not yet received. */
  inTransit: z.number().int(),
  reorderPoint: z.number().int().nullable(),
  reorderQuantity: z.number().int().nullable(),
  /** On hand is at or below the reorder point. */
  low: z.boolean(),
});
export type StockItem = z.output<typeof stockItem>;

export const movement = z.object({
  id: z.uuid(),
  locationId: z.uuid(),
  productId: z.uuid(),
  kind: z.string(),
  quantity: z.number().int(),
  reason: z.string().nullable(),
  reference: z.string().nullable(),
  actor: z.string(),
  occurredAt: z.iso.datetime(),
});
export type Movement = z.output<typeof movement>;

export const countStart = z.strictObject({ locationId });
export const countEntry = z.strictObject({
  lines: z.array(z.strictObject({ productId, counted: countedQuantity })).min(1, { error: 'name at least one product' }).max(LINES_MAX),
});
export type CountEntry = z.output<typeof countEntry>;

export const countLine = z.object({
  productId: z.uuid(),
  expected: z.number().int(),
  counted: z.number().int().nullable(),
  /** counted − expected at start; null until counted. */
  variance: z.number().int().nullable(),
  /** What posting will append: counted − on hand when the count was entered. */
  correction: z.number().int().nullable(),
  /** variance × unit cost, in the product's currency minor units; absent without catalog.product_cost.read or a known cost. */
  varianceValueMinor: z.number().int().nullable().optional(),
  currency: z.string().nullable().optional(),
});
export const stockCount = z.object({
  id: z.uuid(),
  locationId: z.uuid(),
  status: z.string(),
  startedBy: z.string(),
  startedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
  lines: z.array(countLine),
});
export type StockCount = z.output<typeof stockCount>;
export type CountLine = z.output<typeof countLine>;

export const transferInput = z.strictObject({
  fromLocationId: locationId,
  toLocationId: locationId,
  note: optionalText(TEXT_MAX),
  lines,
});
export type TransferInput = z.output<typeof transferInput>;

export const transferReceipt = z.strictObject({
  /** Lines left out arrived in full. */
  lines: z.array(z.strictObject({ productId, receivedQuantity: countedQuantity })).max(LINES_MAX).default([]),
});
export type TransferReceipt = z.output<typeof transferReceipt>;

export const transfer = z.object({
  id: z.uuid(),
  fromLocationId: z.uuid(),
  toLocationId: z.uuid(),
  status: z.string(),
  note: z.string().nullable(),
  createdAt: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
  receivedAt: z.iso.datetime().nullable(),
  cancelledAt: z.iso.datetime().nullable(),
  lines: z.array(
    z.object({
      productId: z.uuid(),
      quantity: z.number().int(),
      receivedQuantity: z.number().int().nullable(),
      /** Sent but not received (lost or damaged in transit); null until received. */
      discrepancy: z.number().int().nullable(),
    }),
  ),
});
export type Transfer = z.output<typeof transfer>;
