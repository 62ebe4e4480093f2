import { formatMajorAmount } from '../../../kernel/money/index.ts';
import { formatDateTime } from '../../../kernel/time/index.ts';
import type { Sale } from './schemas.ts';

export const RECEIPT_WIDTHS = [32, 48] as const;
export type ReceiptWidth = (typeof RECEIPT_WIDTHS)[number];

export interface ReceiptContext {
  businessName: string;
  locationName: string;
  /** The location's zone (the business's when the location is gone). */
  timeZone: string;
  registerName: string;
  reprint: boolean;
}

/** Amounts as a receipt prints them: major units, a minus sign for money going back. */
export function money(minor: number, currency: string): string {
  return minor < 0 ? `-${formatMajorAmount(-minor, currency)}` : formatMajorAmount(minor, currency);
}

const percent = (bp: number) => `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 2)}%`;
/** Code points, not UTF-16 units: "×" or "é" is one column on a thermal printer. */
const chars = (text: string) => Array.from(text).map((ch) => (ch.charCodeAt(0) < 32 || ch === '\u007f' ? ' ' : ch));
const cut = (text: string, width: number) => chars(text).slice(0, width).join('');
const size = (text: string) => chars(text).length;
const pad = (text: string, width: number) => cut(text, width) + ' '.repeat(Math.max(0, width - size(text)));

/** `left` and `right` on one line of exactly `width` columns; the left side gives way. */
function row(left: string, right: string, width: number): string {
  const rightPart = cut(right, width);
  const room = width - size(rightPart) - (rightPart ? 1 : 0);
  return pad(cut(left, Math.max(0, room)), width - size(rightPart)) + rightPart;
}

function center(text: string, width: number): string {
  const body = cut(text, width);
  const left = Math.floor((width - size(body)) / 2);
  return pad(' '.repeat(left) + body, width);
}

/** Long text over as many lines as it needs, each padded to the width. */
function wrap(text: string, width: number, indent = ''): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : `${indent}${word}`;
    if (size(candidate) <= width) current = candidate;
    else {
      if (current) out.push(pad(current, width));
      current = cut(`${indent}${word}`, width);
    }
  }
  if (current) out.push(pad(current, width));
  return out;
}

/** When the sale was made, on the clocks of the shop that made it: "7 Dec 2026, 14:05". */
export const localTime = (iso: string, timeZone: string): string => formatDateTime(new Date(iso), timeZone);

/**
 * A plain-text receipt for a thermal printer: every line exactly `width` columns (32 for 58 mm
 * paper, 48 for 80 mm), lines separated by \n. Business, location, register, local date and time,
 * sale number, lines with modifiers and discounts, voided lines, totals, tax by rate, tenders and
 * change; REPRINT at top and bottom of every print after the first.
 */
export function receiptText(sale: Sale, context: ReceiptContext, width: ReceiptWidth): string {
  const c = sale.currency;
  const rule = '-'.repeat(width);
  const out: string[] = [];
  if (context.reprint) out.push(center('*** REPRINT ***', width));
  out.push(...wrap(context.businessName, width).map((line) => center(line.trim(), width)));
  out.push(center(context.locationName, width), center(context.registerName, width));
  out.push(row(localTime(sale.soldAt, context.timeZone), '', width), row(`Sale ${sale.saleNumber}`, '', width));
  if (sale.status === 'voided') out.push(center('*** VOIDED ***', width));
  out.push(rule);
  for (const line of sale.lines) {
    const unit = line.unitPriceMinor + line.modifiers.reduce((sum, modifier) => sum + modifier.priceDeltaMinor, 0);
    if (line.voided) {
      out.push(...wrap(`VOID ${line.quantity} x ${line.name}`, width));
      if (line.voidReason) out.push(...wrap(line.voidReason, width, '  '));
      continue;
    }
    out.push(...wrap(`${line.quantity} x ${line.name}`, width));
    for (const modifier of line.modifiers) out.push(row(`  + ${modifier.name}`, money(modifier.priceDeltaMinor, c), width));
    out.push(row(`  @ ${money(unit, c)}${line.priceOverridden ? ' (price changed)' : ''}`, money(line.grossMinor, c), width));
    if (line.lineDiscountMinor !== 0) {
      const label = line.discount?.kind === 'percent' ? `  Discount ${percent(line.discount.value)}` : '  Discount';
      out.push(row(label, money(-line.lineDiscountMinor, c), width));
    }
    if (line.refundedQuantity > 0) out.push(row(`  Refunded ${line.refundedQuantity}`, '', width));
  }
  out.push(rule);
  out.push(row('Subtotal', money(sale.subtotalMinor, c), width));
  const ticketDiscount = sale.lines.reduce((sum, line) => sum + line.ticketDiscountMinor, 0);
  const lineDiscounts = sale.discountMinor - ticketDiscount;
  if (lineDiscounts !== 0) out.push(row('Line discounts', money(-lineDiscounts, c), width));
  if (ticketDiscount !== 0) {
    const label = sale.ticketDiscount?.kind === 'percent' ? `Discount ${percent(sale.ticketDiscount.value)}` : 'Discount';
    out.push(row(label, money(-ticketDiscount, c), width));
  }
  if (!sale.pricesIncludeTax) out.push(row('Tax', money(sale.taxMinor, c), width));
  out.push(row(`TOTAL ${c}`, money(sale.totalMinor, c), width));
  if (sale.tipMinor !== 0) out.push(row('Tip', money(sale.tipMinor, c), width));
  out.push(rule);
  for (const tender of sale.tenders) {
    const label = tender.kind === 'cash' ? 'Cash' : tender.kind === 'card' ? 'Card' : 'Voucher';
    out.push(row(label, money(tender.tenderedMinor, c), width));
  }
  out.push(row('Change', money(sale.changeMinor, c), width));
  out.push(rule);
  out.push(row(sale.pricesIncludeTax ? 'Tax included' : 'Tax', '', width));
  for (const tax of sale.taxes) out.push(row(`  ${tax.code} ${percent(tax.rateBp)} of ${money(tax.netMinor, c)}`, money(tax.taxMinor, c), width));
  out.push(rule, center('Thank you', width));
  if (context.reprint) out.push(center('*** REPRINT ***', width));
  return `${out.join('\n')}\n`;
}
