import { z } from 'zod';
import { addDays, isCalendarDate } from '../../kernel/time/index.ts';

const day = z.string({ error: 'must be a date (YYYY-MM-DD)' }).refine(isCalendarDate, { error: 'must be a date (YYYY-MM-DD)' });

/** Longest range one sales report covers, in days (a year and a day, so a whole leap year fits). */
export const MAX_RANGE_DAYS = 366;

export const GROUP_BY = ['day', 'location', 'product'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

type Days = { from?: string | undefined; to?: string | undefined };
const inOrder = ({ from, to }: Days) => !from || !to || from <= to;
const withinMaxRange = ({ from, to }: Days) => !from || !to || to < addDays(from, MAX_RANGE_DAYS);
const orderError = { error: 'from must not be after to', path: ['from'] };
const rangeError = { error: `a report covers at most ${MAX_RANGE_DAYS} days`, path: ['to'] };

/** A sales report's query as asked: `from`/`to` inclusive days, either may be left out. */
export const salesQuery = z
  .strictObject({
    from: day.optional(),
    to: day.optional(),
    groupBy: z.enum(GROUP_BY, { error: 'must be day, location or product' }).default('day'),
    locationId: z.uuid({ error: 'must be a location id (UUID)' }).optional(),
  })
  .refine(inOrder, orderError)
  .refine(withinMaxRange, rangeError);
export type SalesQueryInput = z.output<typeof salesQuery>;

/** The query with its days: left out, they are the 30 days ending `today`, the business's local day. */
export const salesQueryOn = (today: string) =>
  salesQuery
    .transform((query) => {
      const to = query.to ?? today;
      return { ...query, from: query.from ?? addDays(to, -29), to };
    })
    .refine(inOrder, orderError)
    .refine(withinMaxRange, rangeError);
export type SalesQuery = z.output<ReturnType<typeof salesQueryOn>>;

/** One row of the sales report: a group's sums in one currency, integer minor units. */
export const salesRow = z.object({
  key: z.string(),
  label: z.string(),
  currency: z.string(),
  quantity: z.number().int(),
  grossMinor: z.number().int(),
  discountMinor: z.number().int(),
  taxMinor: z.number().int(),
  netMinor: z.number().int(),
  totalMinor: z.number().int(),
  refundQuantity: z.number().int(),
  refundMinor: z.number().int(),
  refundTaxMinor: z.number().int(),
  /** What was paid less what was refunded. */
  netTakingsMinor: z.number().int(),
});
export type SalesRow = z.output<typeof salesRow>;

export const salesReport = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(GROUP_BY),
  locationId: z.string().nullable(),
  rows: z.array(salesRow),
  /** Sums of all rows per currency. */
  totals: z.array(salesRow),
});
export type SalesReport = z.output<typeof salesReport>;

export const valuationLine = z.object({
  locationId: z.uuid(),
  locationName: z.string(),
  productId: z.uuid(),
  productName: z.string(),
  sku: z.string(),
  onHand: z.number().int(),
  currency: z.string().nullable(),
  /** Left out (absent) without catalog.product_cost.read; null when the product has no cost set. */
  unitCostMinor: z.number().int().nullable().optional(),
  valueMinor: z.number().int().nullable().optional(),
});
export type ValuationLine = z.output<typeof valuationLine>;

export const valuationReport = z.object({
  costVisible: z.boolean(),
  lines: z.array(valuationLine),
  /** Per location and currency: units on hand and (with cost) their value; products without cost count as unvalued. */
  locations: z.array(
    z.object({
      locationId: z.uuid(),
      locationName: z.string(),
      currency: z.string().nullable(),
      onHand: z.number().int(),
      valueMinor: z.number().int().nullable().optional(),
      unvaluedProducts: z.number().int().optional(),
    }),
  ),
});
export type ValuationReport = z.output<typeof valuationReport>;

export const shiftSummary = z.object({
  shiftId: z.uuid(),
  registerId: z.uuid(),
  registerName: z.string(),
  locationId: z.uuid(),
  status: z.string(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  currency: z.string(),
  countedCashMinor: z.number().int().nullable(),
  expectedCashMinor: z.number().int().nullable().optional(),
  varianceMinor: z.number().int().nullable().optional(),
});
export type ShiftSummary = z.output<typeof shiftSummary>;

export const REPORT_KINDS = ['sales', 'stock-valuation', 'shifts'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const exportInput = z.discriminatedUnion('report', [
  z.strictObject({ report: z.literal('sales'), params: z.record(z.string(), z.unknown()).default({}).pipe(salesQuery) }),
  z.strictObject({ report: z.literal('stock-valuation'), params: z.strictObject({}).default({}) }),
  z.strictObject({ report: z.literal('shifts'), params: z.strictObject({}).default({}) }),
], { error: 'report must be sales, stock-valuation or shifts' });
export type ExportInput = z.output<typeof exportInput>;

export const exportView = z.object({
  id: z.uuid(),
  report: z.string(),
  params: z.record(z.string(), z.unknown()),
  status: z.enum(['queued', 'done', 'failed']),
  rowCount: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  downloadUrl: z.string().nullable(),
});
export type ExportView = z.output<typeof exportView>;
