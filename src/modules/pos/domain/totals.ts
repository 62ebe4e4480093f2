/**
 * Ticket arithmetic, pure and in integer minor units. The rules, explicitly:
 *
 * - Rounding is HALF UP, away from zero ("commercial rounding"): 0.5 → 1, −0.5 → −1. It is
 *   applied once per amount that needs it, never to sums: a percentage discount of a line, the
 *   ticket discount's total, and each line's tax.
 * - Tax is computed PER LINE (not per rate over the ticket), so a line's total never changes
 *   when other lines are added; the tax breakdown by rate is the sum of its lines' taxes.
 * - A line's unit price is the catalog price (or an override) plus its modifiers' deltas; its
 *   gross is unit × quantity; a line discount comes off the gross; a ticket discount is spread
 *   over the lines in proportion to what they still owe (largest remainder, so it adds up to
 *   the cent) before tax is taken.
 * - Inclusive pricing: the discounted amount contains the tax, tax = amount − round(amount ×
 *   10000 / (10000 + rate)). Exclusive pricing: tax = round(amount × rate / 10000) on top.
 */

export interface Discount {
  kind: 'percent' | 'amount';
  /** Basis points of the amount for percent (1000 = 10 %); minor units for amount. */
  value: number;
}

export interface LineInput {
  unitPriceMinor: number;
  modifiers: readonly { priceDeltaMinor: number }[];
  quantity: number;
  discount?: Discount | null | undefined;
  taxRateBp: number;
}

export interface LineTotals {
  /** Unit price with modifiers. */
  unitMinor: number;
  grossMinor: number;
  lineDiscountMinor: number;
  ticketDiscountMinor: number;
  /** Without tax. */
  netMinor: number;
  taxMinor: number;
  /** What the customer pays for the line. */
  totalMinor: number;
}

export interface TicketTotals {
  lines: LineTotals[];
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** a / b rounded half away from zero, exactly (BigInt: no float error, no overflow). */
export function divRoundHalfUp(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new Error('divRoundHalfUp: divisor must be positive');
  const negative = a < 0n;
  const magnitude = negative ? -a : a;
  const quotient = (2n * magnitude + b) / (2n * b);
  return negative ? -quotient : quotient;
}

/**
 * A line's share of `quantity` more units refunded, after `before` units were: the cumulative
 * amount rounded (half up) minus what earlier refunds took, so refunding a line in parts adds up
 * to exactly its total.
 */
export function lineShare(totalMinor: number, quantity: number, before: number, more: number): number {
  const upTo = (units: number) => Number(divRoundHalfUp(BigInt(totalMinor) * BigInt(units), BigInt(quantity)));
  return upTo(before + more) - upTo(before);
}

const round = (numerator: number, denominator: number): number => Number(divRoundHalfUp(BigInt(numerator), BigInt(denominator)));

/** The discount's amount on `base` (same sign as base, never more than base). */
export function discountAmount(base: number, discount: Discount | null | undefined): number {
  if (!discount || base === 0) return 0;
  if (discount.kind === 'percent') return round(base * discount.value, 10_000);
  const magnitude = Math.min(discount.value, Math.abs(base));
  return base < 0 ? -magnitude : magnitude;
}

/** Splits `amount` over `weights` in proportion (largest remainder): the parts add up to `amount` exactly. */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (amount === 0 || total === 0) return weights.map(() => 0);
  const exact = weights.map((weight) => (BigInt(amount) * BigInt(weight)) );
  const floors = exact.map((value) => {
    const q = value / BigInt(total);
    // BigInt division truncates toward zero; floor for negatives.
    return value < 0n && q * BigInt(total) !== value ? q - 1n : q;
  });
  let left = BigInt(amount) - floors.reduce((sum, value) => sum + value, 0n);
  const order = exact
    .map((value, index) => ({ index, remainder: value - (floors[index] as bigint) * BigInt(total) }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  const parts = floors.map(Number);
  for (const { index } of order) {
    if (left <= 0n) break;
    parts[index] = (parts[index] as number) + 1;
    left -= 1n;
  }
  return parts;
}

/** Tax contained in (inclusive) or added to (exclusive) a discounted line amount. */
export function lineTax(amountMinor: number, rateBp: number, inclusive: boolean): number {
  if (rateBp === 0 || amountMinor === 0) return 0;
  if (inclusive) return amountMinor - round(amountMinor * 10_000, 10_000 + rateBp);
  return round(amountMinor * rateBp, 10_000);
}

/** The totals of a ticket; voided lines are left out by the caller. */
export function computeTicket(lines: readonly LineInput[], ticketDiscount: Discount | null | undefined, inclusive: boolean): TicketTotals {
  const partial = lines.map((line) => {
    const unitMinor = line.unitPriceMinor + line.modifiers.reduce((sum, modifier) => sum + modifier.priceDeltaMinor, 0);
    const grossMinor = unitMinor * line.quantity;
    const lineDiscountMinor = discountAmount(grossMinor, line.discount);
    return { unitMinor, grossMinor, lineDiscountMinor, afterLine: grossMinor - lineDiscountMinor };
  });
  const afterLines = partial.reduce((sum, line) => sum + line.afterLine, 0);
  // Taken off what the lines owe in total, then spread back over them (a negative line takes a negative share).
  const ticketDiscountTotal = discountAmount(afterLines, ticketDiscount);
  const shares = allocate(ticketDiscountTotal, partial.map((line) => line.afterLine));
  const totals = partial.map((line, index): LineTotals => {
    const ticketDiscountMinor = shares[index] as number;
    const discounted = line.afterLine - ticketDiscountMinor;
    const rate = (lines[index] as LineInput).taxRateBp;
    const taxMinor = lineTax(discounted, rate, inclusive);
    const netMinor = inclusive ? discounted - taxMinor : discounted;
    return { unitMinor: line.unitMinor, grossMinor: line.grossMinor, lineDiscountMinor: line.lineDiscountMinor, ticketDiscountMinor, netMinor, taxMinor, totalMinor: netMinor + taxMinor };
  });
  const sum = (pick: (line: LineTotals) => number) => totals.reduce((acc, line) => acc + pick(line), 0);
  return {
    lines: totals,
    subtotalMinor: sum((line) => line.grossMinor),
    discountMinor: sum((line) => line.lineDiscountMinor + line.ticketDiscountMinor),
    taxMinor: sum((line) => line.taxMinor),
    totalMinor: sum((line) => line.totalMinor),
  };
}

/** The largest discount on a ticket as basis points of what it was taken off (for the cashier's limit). */
export function discountBp(base: number, amount: number): number {
  if (base === 0 || amount === 0) return 0;
  return Math.ceil((Math.abs(amount) * 10_000) / Math.abs(base));
}

export interface TenderInput {
  kind: 'cash' | 'card' | 'voucher';
  amountMinor: number;
}

export interface TenderPlan {
  /** Per tender, what it pays of the amount due (cash: after change). */
  applied: number[];
  changeMinor: number;
}

/**
 * Settles `dueMinor` (total + tip) with the tenders in order: card and voucher must not pay more
 * than is left, cash may (the surplus is change, and only cash gives change). Null when the
 * tenders do not cover the amount due or overpay with non-cash.
 */
export function planTenders(dueMinor: number, tenders: readonly TenderInput[]): TenderPlan | null {
  const nonCash = tenders.filter((tender) => tender.kind !== 'cash').reduce((sum, tender) => sum + tender.amountMinor, 0);
  if (nonCash > dueMinor) return null;
  const cashTendered = tenders.filter((tender) => tender.kind === 'cash').reduce((sum, tender) => sum + tender.amountMinor, 0);
  const cashDue = dueMinor - nonCash;
  if (cashTendered < cashDue) return null;
  const changeMinor = cashTendered - cashDue;
  // Change comes off the last cash tenders first, so each cash row records what it kept.
  let changeLeft = changeMinor;
  const applied = tenders.map((tender) => tender.amountMinor);
  for (let index = tenders.length - 1; index >= 0 && changeLeft > 0; index--) {
    if ((tenders[index] as TenderInput).kind !== 'cash') continue;
    const taken = Math.min(changeLeft, applied[index] as number);
    applied[index] = (applied[index] as number) - taken;
    changeLeft -= taken;
  }
  return { applied, changeMinor };
}

export interface TaxTotal {
  code: string;
  rateBp: number;
  netMinor: number;
  taxMinor: number;
}

/** Net and tax per tax code and rate over the lines not voided, by code then rate (a receipt's or a shift report's tax table). */
export function taxTotals(lines: readonly { voided: boolean; taxCode: string; taxRateBp: number; netMinor: number; taxMinor: number }[]): TaxTotal[] {
  const taxes = new Map<string, TaxTotal>();
  for (const line of lines) {
    if (line.voided) continue;
    const key = `${line.taxCode}:${line.taxRateBp}`;
    const entry = taxes.get(key) ?? { code: line.taxCode, rateBp: line.taxRateBp, netMinor: 0, taxMinor: 0 };
    entry.netMinor += line.netMinor;
    entry.taxMinor += line.taxMinor;
    taxes.set(key, entry);
  }
  return [...taxes.values()].sort((a, b) => a.code.localeCompare(b.code) || a.rateBp - b.rateBp);
}
