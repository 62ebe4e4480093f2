import { z } from 'zod';
import { currencyCode } from '../../../kernel/money/index.ts';

export const NAME_MAX = 120;
export const REASON_MAX = 500;
export const LINES_MAX = 200;
export const QUANTITY_MAX = 10_000;
/** Any single amount on a ticket; keeps every product of amounts far inside a safe integer. */
export const AMOUNT_MAX = 100_000_000_00;

const amount = z.number({ error: 'must be a whole number of minor units' }).int({ error: 'must be a whole number of minor units' }).min(0, { error: 'must not be negative' }).max(AMOUNT_MAX);
const positiveAmount = amount.min(1, { error: 'must be more than 0' });
const signedAmount = z.number({ error: 'must be a whole number of minor units' }).int().min(-AMOUNT_MAX).max(AMOUNT_MAX);
// PostgreSQL cannot store U+0000: refused here, before anything (a card charge) happens.
const noNul = (text: string) => !text.includes(String.fromCharCode(0));
const reason = z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(REASON_MAX).refine(noNul, { error: 'may not contain NUL' });
const name = z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }).max(NAME_MAX).refine(noNul, { error: 'may not contain NUL' });
const voucherCode = z.string().trim().regex(/^[A-Za-z0-9-]{4,40}$/, { error: 'must be 4 to 40 letters, digits or -' });
const pin = z.string().regex(/^\d{4,8}$/, { error: 'must be 4 to 8 digits' });

/** A manager's PIN approving the restricted actions of this one request (audited with both people). */
export const override = z.strictObject({ userId: z.uuid(), pin });
export type Override = z.output<typeof override>;

export const taxRate = z.strictObject({
  code: z.string().trim().regex(/^[A-Z0-9_]{1,8}$/, { error: 'must be 1 to 8 capital letters, digits or _' }),
  label: name,
  rateBp: z.number().int().min(0).max(10_000),
});

export const registerInput = z
  .strictObject({
    locationId: z.uuid(),
    deviceId: z.uuid().nullable().optional(),
    name,
    code: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$/, { error: 'must be 1 to 16 letters, digits, _ or -' }),
    currency: currencyCode,
    pricesIncludeTax: z.boolean().default(true),
    taxRates: z.array(taxRate).min(1).max(10),
    defaultTaxCode: z.string().trim().min(1).max(8),
    maxDiscountBp: z.number().int().min(0).max(10_000).default(2000),
  })
  .refine((input) => input.taxRates.some((rate) => rate.code === input.defaultTaxCode), { error: 'must name one of the tax rates', path: ['defaultTaxCode'] })
  .refine((input) => new Set(input.taxRates.map((rate) => rate.code)).size === input.taxRates.length, { error: 'tax rate codes must differ', path: ['taxRates'] });
export type RegisterInput = z.output<typeof registerInput>;

export const registerPatch = z
  .strictObject({
    deviceId: z.uuid().nullable(),
    name,
    maxDiscountBp: z.number().int().min(0).max(10_000),
    archived: z.boolean(),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'name at least one field to change' });
export type RegisterPatch = z.output<typeof registerPatch>;

export const register = z.object({
  id: z.uuid(),
  locationId: z.uuid(),
  deviceId: z.uuid().nullable(),
  name: z.string(),
  code: z.string(),
  currency: z.string(),
  pricesIncludeTax: z.boolean(),
  taxRates: z.array(z.object({ code: z.string(), label: z.string(), rateBp: z.number() })),
  defaultTaxCode: z.string(),
  maxDiscountBp: z.number(),
  archivedAt: z.iso.datetime().nullable(),
  openShiftId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
});
export type Register = z.output<typeof register>;

export const shiftOpenInput = z.strictObject({ openingFloatMinor: amount, blindClose: z.boolean().default(false) });
export const cashMovementInput = z.strictObject({ kind: z.enum(['in', 'out']), amountMinor: positiveAmount, reason });
export const shiftCloseInput = z.strictObject({
  countedCashMinor: amount,
  /** Sales the register holds that it could not send yet; more than 0 needs a manager override. */
  unsyncedCount: z.number().int().min(0).max(100_000).default(0),
  override: override.optional(),
});
export type ShiftCloseInput = z.output<typeof shiftCloseInput>;

export const discount = z.strictObject({
  kind: z.enum(['percent', 'amount']),
  value: z.number().int().min(0).max(AMOUNT_MAX),
}).refine((d) => d.kind !== 'percent' || d.value <= 10_000, { error: 'a percentage is at most 10000 basis points (100 %)', path: ['value'] });

export const saleLineInput = z.strictObject({
  productId: z.uuid(),
  quantity: z
    .number()
    .int({ error: 'must be a whole number' })
    .min(-QUANTITY_MAX)
    .max(QUANTITY_MAX)
    .refine((quantity) => quantity !== 0, { error: 'must not be 0' }),
  /** Replaces the catalog price (needs pos.price.override). */
  unitPriceMinor: amount.optional(),
  modifiers: z.array(z.strictObject({ name, priceDeltaMinor: signedAmount })).max(20).default([]),
  discount: discount.optional(),
  taxCode: z.string().trim().min(1).max(8).optional(),
  /** Voided at the register before payment (needs pos.ticket.void): kept for the Z report. */
  void: z.strictObject({ reason }).optional(),
});

export const tenderInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cash'), amountMinor: amount }),
  z.strictObject({ kind: z.literal('card'), amountMinor: positiveAmount }),
  z.strictObject({ kind: z.literal('voucher'), amountMinor: positiveAmount, code: voucherCode }),
]);
export type TenderInputBody = z.output<typeof tenderInput>;

export const saleInput = z.strictObject({
  /** Generated by the register; the same id again answers the same sale. */
  id: z.uuid(),
  registerId: z.uuid(),
  /** The shift open at the register when the sale was rung up (offline sales keep it). */
  shiftId: z.uuid(),
  soldAt: z.iso.datetime({ offset: true }),
  lines: z.array(saleLineInput).min(1).max(LINES_MAX),
  ticketDiscount: discount.optional(),
  tipMinor: amount.default(0),
  tenders: z.array(tenderInput).min(1).max(10),
  /** The register's own total; when given it must match the server's (else CONFLICT with both). */
  expectedTotalMinor: z.number().int().optional(),
  override: override.optional(),
});
export type SaleInput = z.output<typeof saleInput>;

export const refundInput = z.strictObject({
  /** Generated by the register; the same id again answers the same refund. */
  id: z.uuid(),
  registerId: z.uuid(),
  reason,
  /** Omitted: every line still refundable, in full. */
  lines: z.array(z.strictObject({ lineNo: z.number().int().min(1).max(LINES_MAX), quantity: z.number().int().min(1).max(QUANTITY_MAX) })).min(1).max(LINES_MAX).optional(),
  override: override.optional(),
});
export type RefundInput = z.output<typeof refundInput>;

export const voidInput = z.strictObject({ id: z.uuid(), registerId: z.uuid(), reason, override: override.optional() });
export type VoidInput = z.output<typeof voidInput>;

export const voucherInput = z.strictObject({
  code: voucherCode,
  currency: currencyCode,
  amountMinor: positiveAmount,
});
export type VoucherInput = z.output<typeof voucherInput>;

export const voucher = z.object({ id: z.uuid(), code: z.string(), currency: z.string(), initialMinor: z.number(), balanceMinor: z.number(), createdAt: z.iso.datetime() });
export type Voucher = z.output<typeof voucher>;

const discountView = z.object({ kind: z.enum(['percent', 'amount']), value: z.number() }).nullable();

export const saleLine = z.object({
  lineNo: z.number(),
  productId: z.uuid(),
  name: z.string(),
  sku: z.string(),
  quantity: z.number(),
  catalogPriceMinor: z.number(),
  unitPriceMinor: z.number(),
  priceOverridden: z.boolean(),
  modifiers: z.array(z.object({ name: z.string(), priceDeltaMinor: z.number() })),
  discount: discountView,
  grossMinor: z.number(),
  lineDiscountMinor: z.number(),
  ticketDiscountMinor: z.number(),
  taxCode: z.string(),
  taxRateBp: z.number(),
  netMinor: z.number(),
  taxMinor: z.number(),
  totalMinor: z.number(),
  voided: z.boolean(),
  voidReason: z.string().nullable(),
  refundedQuantity: z.number(),
});
export type SaleLine = z.output<typeof saleLine>;

export const tender = z.object({
  seq: z.number(),
  kind: z.enum(['cash', 'card', 'voucher']),
  amountMinor: z.number(),
  tenderedMinor: z.number(),
  chargeId: z.uuid().nullable(),
  voucherId: z.uuid().nullable(),
  refundedMinor: z.number(),
});
export type Tender = z.output<typeof tender>;

export const sale = z.object({
  id: z.uuid(),
  registerId: z.uuid(),
  shiftId: z.uuid(),
  locationId: z.uuid(),
  number: z.number(),
  saleNumber: z.string(),
  status: z.enum(['completed', 'voided']),
  currency: z.string(),
  pricesIncludeTax: z.boolean(),
  subtotalMinor: z.number(),
  discountMinor: z.number(),
  taxMinor: z.number(),
  totalMinor: z.number(),
  tipMinor: z.number(),
  changeMinor: z.number(),
  ticketDiscount: discountView,
  soldAt: z.iso.datetime(),
  receivedAt: z.iso.datetime(),
  late: z.boolean(),
  cashierUserId: z.uuid().nullable(),
  approvedBy: z.uuid().nullable(),
  taxes: z.array(z.object({ code: z.string(), rateBp: z.number(), netMinor: z.number(), taxMinor: z.number() })),
  lines: z.array(saleLine),
  tenders: z.array(tender),
});
export type Sale = z.output<typeof sale>;

export const refund = z.object({
  id: z.uuid(),
  saleId: z.uuid(),
  registerId: z.uuid(),
  shiftId: z.uuid(),
  kind: z.enum(['refund', 'void']),
  reason: z.string(),
  amountMinor: z.number(),
  taxMinor: z.number(),
  lines: z.array(z.object({ lineNo: z.number(), productId: z.uuid(), quantity: z.number(), amountMinor: z.number(), taxMinor: z.number() })),
  tenders: z.array(z.object({ kind: z.enum(['cash', 'card', 'voucher']), seq: z.number(), amountMinor: z.number(), chargeId: z.uuid().nullable().optional(), voucherId: z.uuid().nullable().optional() })),
  cardStatus: z.enum(['none', 'pending', 'succeeded', 'failed']),
  approvedBy: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
});
export type Refund = z.output<typeof refund>;

const amountByKind = z.object({ cash: z.number(), card: z.number(), voucher: z.number() });

/** An X report (shift open) or Z report (closed): sums over the shift, as data. */
export const shiftReport = z.object({
  kind: z.enum(['X', 'Z']),
  shift: z.object({
    id: z.uuid(),
    registerId: z.uuid(),
    status: z.enum(['open', 'closed']),
    openedBy: z.string(),
    openedAt: z.iso.datetime(),
    closedBy: z.string().nullable(),
    closedAt: z.iso.datetime().nullable(),
    blindClose: z.boolean(),
    unsyncedCount: z.number(),
    closeApprovedBy: z.uuid().nullable(),
  }),
  currency: z.string(),
  sales: z.object({ count: z.number(), grossMinor: z.number(), discountMinor: z.number(), taxMinor: z.number(), totalMinor: z.number(), tipMinor: z.number(), lateCount: z.number() }),
  tenders: amountByKind,
  taxes: z.array(z.object({ code: z.string(), rateBp: z.number(), netMinor: z.number(), taxMinor: z.number() })),
  refunds: z.object({ count: z.number(), amountMinor: z.number(), taxMinor: z.number(), byTender: amountByKind }),
  voids: z.object({ saleCount: z.number(), saleAmountMinor: z.number(), lineCount: z.number(), lineAmountMinor: z.number() }),
  cash: z.object({
    openingFloatMinor: z.number(),
    salesMinor: z.number(),
    refundsMinor: z.number(),
    paidInMinor: z.number(),
    paidOutMinor: z.number(),
    movements: z.array(z.object({ kind: z.enum(['in', 'out']), amountMinor: z.number(), reason: z.string(), actor: z.string(), at: z.iso.datetime() })),
    /** Absent on a blind close until the shift is closed. */
    expectedMinor: z.number().optional(),
    countedMinor: z.number().nullable(),
    varianceMinor: z.number().nullable(),
  }),
});
export type ShiftReport = z.output<typeof shiftReport>;
