import { computeTicket, planTenders, type Discount, type TenderPlan, type TicketTotals } from '../domain/totals.ts';
import type { ProductSummary, RegisterSummary } from './bootstrap.ts';

/**
 * The register's ticket in the browser: the same arithmetic the server uses (domain/totals.ts,
 * pure), so the total the cashier collects is the one the server records — the sale carries it
 * as expectedTotalMinor and the server refuses a mismatch instead of silently differing.
 */

export interface CartLine {
  productId: string;
  name: string;
  sku: string;
  unitPriceMinor: number;
  quantity: number;
  /** Line discount in basis points (1000 = 10 %); 0 = none. */
  discountBp: number;
}

export type TenderKind = 'cash' | 'card' | 'voucher';

export interface TenderRow {
  kind: TenderKind;
  amountMinor: number;
  /** Voucher code (voucher tenders only). */
  code?: string;
}

export interface ProvisionalReceipt {
  registerName: string;
  cashierName: string;
  soldAt: string;
  currency: string;
  lines: { name: string; quantity: number; totalMinor: number }[];
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
  tenders: TenderRow[];
  changeMinor: number;
}

/** The body of POST /v1/pos/sales. */
export interface SaleBody {
  id: string;
  registerId: string;
  shiftId: string;
  soldAt: string;
  lines: { productId: string; quantity: number; discount?: Discount }[];
  ticketDiscount?: Discount;
  tipMinor: number;
  tenders: ({ kind: 'cash' | 'card'; amountMinor: number } | { kind: 'voucher'; amountMinor: number; code: string })[];
  expectedTotalMinor: number;
}

export function addProduct(lines: readonly CartLine[], product: ProductSummary): CartLine[] {
  const existing = lines.find((line) => line.productId === product.id);
  if (existing) return lines.map((line) => (line === existing ? { ...line, quantity: line.quantity + 1 } : line));
  return [...lines, { productId: product.id, name: product.name, sku: product.sku, unitPriceMinor: product.priceMinor, quantity: 1, discountBp: 0 }];
}

/** Changes a line's quantity by `delta`; a line reaching 0 leaves the ticket (returns at the till are refunds). */
export function changeQuantity(lines: readonly CartLine[], productId: string, delta: number): CartLine[] {
  return lines.flatMap((line) => {
    if (line.productId !== productId) return [line];
    const quantity = line.quantity + delta;
    return quantity <= 0 ? [] : [{ ...line, quantity }];
  });
}

const percent = (bp: number): Discount | undefined => (bp > 0 ? { kind: 'percent', value: bp } : undefined);

export function ticketTotals(register: RegisterSummary, lines: readonly CartLine[], ticketDiscountBp: number): TicketTotals {
  const rate = register.taxRates.find((candidate) => candidate.code === register.defaultTaxCode)?.rateBp ?? 0;
  return computeTicket(
    lines.map((line) => ({ unitPriceMinor: line.unitPriceMinor, modifiers: [], quantity: line.quantity, discount: percent(line.discountBp), taxRateBp: rate })),
    percent(ticketDiscountBp),
    register.pricesIncludeTax,
  );
}

/** How the tenders settle the total, or null while they do not (yet). */
export function settle(totalMinor: number, tenders: readonly TenderRow[]): TenderPlan | null {
  if (tenders.length === 0) return null;
  return planTenders(totalMinor, tenders);
}

export function remainingDue(totalMinor: number, tenders: readonly TenderRow[]): number {
  return Math.max(0, totalMinor - tenders.reduce((sum, tender) => sum + tender.amountMinor, 0));
}

export function saleBody(input: {
  id: string;
  register: RegisterSummary;
  shiftId: string;
  soldAt: string;
  lines: readonly CartLine[];
  ticketDiscountBp: number;
  tenders: readonly TenderRow[];
  totalMinor: number;
}): SaleBody {
  const ticketDiscount = percent(input.ticketDiscountBp);
  return {
    id: input.id,
    registerId: input.register.id,
    shiftId: input.shiftId,
    soldAt: input.soldAt,
    lines: input.lines.map((line) => {
      const discount = percent(line.discountBp);
      return { productId: line.productId, quantity: line.quantity, ...(discount ? { discount } : {}) };
    }),
    ...(ticketDiscount ? { ticketDiscount } : {}),
    tipMinor: 0,
    tenders: input.tenders.map((tender) =>
      tender.kind === 'voucher' ? { kind: 'voucher', amountMinor: tender.amountMinor, code: tender.code ?? '' } : { kind: tender.kind, amountMinor: tender.amountMinor },
    ),
    expectedTotalMinor: input.totalMinor,
  };
}

/** Digits of the currency's minor unit (EUR 2, JPY 0). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** A fixed locale, so the server's HTML and the browser's first render match exactly (hydration). */
export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat('en-GB', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(minor / 10 ** digits);
}

/** "12.5", "12,50", "12" → minor units; null when it is not an amount. */
export function parseMoney(text: string, currency: string): number | null {
  const cleaned = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
  const digits = minorDigits(currency);
  const [whole = '0', fraction = ''] = cleaned.split('.');
  if (fraction.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** "10" or "12.5" percent → basis points; null when not a percentage from 0 to 100. */
export function parsePercent(text: string): number | null {
  const cleaned = text.trim().replace(',', '.');
  if (cleaned === '') return 0;
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const bp = Math.round(Number(cleaned) * 100);
  return bp <= 10_000 ? bp : null;
}

/** Products matching a search: barcode or SKU exact first, then name or SKU containing the text. */
export function searchProducts(products: readonly ProductSummary[], query: string): ProductSummary[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [...products];
  const exact = products.filter((product) => isCodeOf(product, needle));
  const partial = products.filter((product) => !isCodeOf(product, needle) && (product.name.toLowerCase().includes(needle) || product.sku.toLowerCase().includes(needle)));
  return [...exact, ...partial];
}

const isCodeOf = (product: ProductSummary, code: string) => product.sku.toLowerCase() === code || product.barcode?.toLowerCase() === code;

/** The product a scanned (or typed) barcode or SKU names exactly, if any. */
export function productWithCode(products: readonly ProductSummary[], code: string): ProductSummary | undefined {
  const needle = code.trim().toLowerCase();
  return needle ? products.find((product) => isCodeOf(product, needle)) : undefined;
}

/** Digits only and long enough for EAN-8 and up: what a scanner sends, not a name being typed. */
export const looksScanned = (text: string) => /^\d{8,14}$/.test(text.trim());
