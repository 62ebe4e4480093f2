import type { ServiceContext } from '../../kernel/context.ts';
import { productsById, type Product } from '../catalog/index.ts';
import type { SaleInput } from './domain/schemas.ts';
import { computeTicket, discountAmount, discountBp, planTenders, type LineInput } from './domain/totals.ts';
import { posErrors } from './errors.ts';
import type { TaxRate } from './pos.table.ts';
import type { RegisterRow } from './register.service.ts';
import { RESTRICTED } from './restrictions.ts';
import type { UnitOfWork } from '../../kernel/tenancy/index.ts';

export interface PricedLine {
  input: SaleInput['lines'][number];
  product: Product;
  rate: TaxRate;
  unitPriceMinor: number;
  priceOverridden: boolean;
}

export interface PricedSale {
  register: RegisterRow;
  lines: PricedLine[];
  totals: ReturnType<typeof computeTicket>;
  /** Index into `lines` of each priced (not voided) line, in order. */
  sold: number[];
  dueMinor: number;
  tenders: ReturnType<typeof planTenders> & object;
  needed: Set<string>;
}

/** The products sold, read in the sale's transaction: each must exist, be on sale and be priced in the register's currency. */
export async function productsFor(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, ids: readonly string[], currency: string): Promise<Map<string, Product>> {
  const products = await productsById(uow, ids);
  for (const id of new Set(ids)) {
    const product = products.get(id);
    if (!product || !product.active || product.archivedAt) throw posErrors.productUnavailable(id);
    if (product.currency !== currency) throw posErrors.currencyMismatch(id);
  }
  return products;
}

/**
 * Prices the ticket on the server from catalog prices (client totals are never trusted) and
 * lists the restricted permissions it uses: price overrides, negative quantities, voided lines,
 * discounts, and discounts above the register's limit.
 */
export function priceSale(register: RegisterRow, products: ReadonlyMap<string, Product>, input: SaleInput): PricedSale {
  const needed = new Set<string>();
  const lines = input.lines.map((line): PricedLine => {
    const product = products.get(line.productId) as Product;
    const code = line.taxCode ?? register.defaultTaxCode;
    const rate = register.taxRates.find((candidate) => candidate.code === code);
    if (!rate) throw posErrors.unknownTaxCode(code);
    const priceOverridden = line.unitPriceMinor !== undefined && line.unitPriceMinor !== product.priceMinor;
    const unitPriceMinor = line.unitPriceMinor ?? product.priceMinor;
    if (unitPriceMinor + line.modifiers.reduce((sum, modifier) => sum + modifier.priceDeltaMinor, 0) < 0) throw posErrors.negativeUnitPrice();
    if (priceOverridden) needed.add(RESTRICTED.priceOverride);
    if (line.void) needed.add(RESTRICTED.void);
    if (line.quantity < 0 && !line.void) needed.add(RESTRICTED.negativeQuantity);
    return { input: line, product, rate, unitPriceMinor, priceOverridden };
  });
  const sold = lines.flatMap((line, index) => (line.input.void ? [] : [index]));
  if (sold.length === 0) throw posErrors.nothingSold();
  const lineInputs: LineInput[] = sold.map((index) => {
    const line = lines[index] as PricedLine;
    return { unitPriceMinor: line.unitPriceMinor, modifiers: line.input.modifiers, quantity: line.input.quantity, discount: line.input.discount, taxRateBp: line.rate.rateBp };
  });
  const totals = computeTicket(lineInputs, input.ticketDiscount, register.pricesIncludeTax);

  // Discount limits: each discount as a share of what it was taken off.
  let largestBp = 0;
  totals.lines.forEach((line) => {
    if (line.lineDiscountMinor !== 0) largestBp = Math.max(largestBp, discountBp(line.grossMinor, line.lineDiscountMinor));
  });
  const afterLines = totals.lines.reduce((sum, line) => sum + line.grossMinor - line.lineDiscountMinor, 0);
  const ticketDiscount = discountAmount(afterLines, input.ticketDiscount);
  if (ticketDiscount !== 0) largestBp = Math.max(largestBp, discountBp(afterLines, ticketDiscount));
  const anyDiscount = [input.ticketDiscount, ...input.lines.map((line) => line.discount)].some((entry) => entry && entry.value > 0);
  if (anyDiscount) needed.add(RESTRICTED.discount);
  if (largestBp > register.maxDiscountBp) needed.add(RESTRICTED.discountUnlimited);

  if (totals.totalMinor < 0) throw posErrors.negativeTotal();
  if (input.expectedTotalMinor !== undefined && input.expectedTotalMinor !== totals.totalMinor) throw posErrors.totalMismatch(totals.totalMinor, input.expectedTotalMinor);
  const dueMinor = totals.totalMinor + input.tipMinor;
  const tenders = planTenders(dueMinor, input.tenders);
  if (!tenders) throw posErrors.tendersMismatch(dueMinor);
  return { register, lines, totals, sold, dueMinor, tenders, needed };
}

