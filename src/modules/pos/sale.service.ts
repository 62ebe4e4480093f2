import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { and, asc, eq } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import { actorLabel } from '../../kernel/context.ts';
import { isUniqueViolation, type Tx } from '../../kernel/db/index.ts';
import { AppError } from '../../kernel/http/errors.ts';
import type { ServiceContext } from '../../kernel/http/context.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { refundCharge, startPayment, type PaymentsProvider } from '../../kernel/payments/index.ts';
import { withTenantTx } from '../../kernel/tenancy/index.ts';
import { getProduct, type Product } from '../catalog/index.ts';
import { recordRefundMovements, recordSaleMovements } from '../inventory/index.ts';
import type { Sale, SaleInput } from './domain/schemas.ts';
import { computeTicket, discountAmount, discountBp, planTenders, type LineInput } from './domain/totals.ts';
import { posErrors } from './errors.ts';
import { posRegister, posSale, posSaleLine, posShift, posTender, type TaxRate } from './pos.table.ts';
import { assertTerminalOf, lockRegister, type RegisterRow } from './register.service.ts';
import { actingUserId, approvalAudit, authorizeRestricted } from './restrictions.ts';
import { findVoucher, spendVoucher } from './voucher.service.ts';

/** How far a register's clock may run ahead of the server's, or a sale precede its shift's opening. */
const CLOCK_SKEW_MS = 5 * 60_000;

export const RESTRICTED = {
  discount: 'pos.discount.apply',
  discountUnlimited: 'pos.discount.unlimited',
  priceOverride: 'pos.price.override',
  negativeQuantity: 'pos.quantity.negative',
  void: 'pos.ticket.void',
  refund: 'pos.ticket.refund',
  lateSale: 'pos.sale.late',
} as const;

export interface PosDeps {
  /** The payments port for card tenders; undefined when the installation has none. */
  payments: PaymentsProvider | undefined;
}

export const saleTarget = (id: string) => ({ type: 'pos.sale', id });

/** A hash of what was submitted (the override's PIN left out): a re-send hashes the same. */
export function fingerprintOf(input: Record<string, unknown>): string {
  const { override: _override, ...content } = input;
  return createHash('sha256').update(canonicalize(content) ?? '').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Reading sales

type SaleRow = typeof posSale.$inferSelect;

export async function loadSale(tx: Tx, ctx: Pick<ServiceContext, 'tenantId'>, id: string, lock = false): Promise<Sale | undefined> {
  const query = tx.select().from(posSale).where(and(eq(posSale.tenantId, ctx.tenantId), eq(posSale.id, id))).limit(1);
  const [row] = lock ? await query.for('update') : await query;
  if (!row) return undefined;
  const lines = await tx.select().from(posSaleLine).where(and(eq(posSaleLine.tenantId, ctx.tenantId), eq(posSaleLine.saleId, id))).orderBy(asc(posSaleLine.lineNo));
  const tenders = await tx.select().from(posTender).where(and(eq(posTender.tenantId, ctx.tenantId), eq(posTender.saleId, id))).orderBy(asc(posTender.seq));
  return toSale(row, lines, tenders);
}

function toSale(row: SaleRow, lines: (typeof posSaleLine.$inferSelect)[], tenders: (typeof posTender.$inferSelect)[]): Sale {
  const taxes = new Map<string, { code: string; rateBp: number; netMinor: number; taxMinor: number }>();
  for (const line of lines) {
    if (line.voided) continue;
    const key = `${line.taxCode}:${line.taxRateBp}`;
    const entry = taxes.get(key) ?? { code: line.taxCode, rateBp: line.taxRateBp, netMinor: 0, taxMinor: 0 };
    entry.netMinor += line.netMinor;
    entry.taxMinor += line.taxMinor;
    taxes.set(key, entry);
  }
  return {
    id: row.id,
    registerId: row.registerId,
    shiftId: row.shiftId,
    locationId: row.locationId,
    number: row.number,
    saleNumber: row.saleNumber,
    status: row.status,
    currency: row.currency,
    pricesIncludeTax: row.pricesIncludeTax,
    subtotalMinor: row.subtotalMinor,
    discountMinor: row.discountMinor,
    taxMinor: row.taxMinor,
    totalMinor: row.totalMinor,
    tipMinor: row.tipMinor,
    changeMinor: row.changeMinor,
    ticketDiscount: row.ticketDiscount ?? null,
    soldAt: row.soldAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    late: row.late,
    cashierUserId: row.cashierUserId,
    approvedBy: row.approvedBy,
    taxes: [...taxes.values()].sort((a, b) => a.code.localeCompare(b.code)),
    lines: lines.map((line) => ({
      lineNo: line.lineNo,
      productId: line.productId,
      name: line.name,
      sku: line.sku,
      quantity: line.quantity,
      catalogPriceMinor: line.catalogPriceMinor,
      unitPriceMinor: line.unitPriceMinor,
      priceOverridden: line.priceOverridden,
      modifiers: line.modifiers,
      discount: line.discount ?? null,
      grossMinor: line.grossMinor,
      lineDiscountMinor: line.lineDiscountMinor,
      ticketDiscountMinor: line.ticketDiscountMinor,
      taxCode: line.taxCode,
      taxRateBp: line.taxRateBp,
      netMinor: line.netMinor,
      taxMinor: line.taxMinor,
      totalMinor: line.totalMinor,
      voided: line.voided,
      voidReason: line.voidReason,
      refundedQuantity: line.refundedQuantity,
    })),
    tenders: tenders.map((tender) => ({
      seq: tender.seq,
      kind: tender.kind,
      amountMinor: tender.amountMinor,
      tenderedMinor: tender.tenderedMinor,
      chargeId: tender.chargeId,
      voucherId: tender.voucherId,
      refundedMinor: tender.refundedMinor,
    })),
  };
}

export async function getSale(ctx: ServiceContext, id: string): Promise<Sale> {
  const sale = await withTenantTx(ctx, (tx) => loadSale(tx, ctx, id));
  if (!sale) throw posErrors.saleNotFound();
  return sale;
}

// ---------------------------------------------------------------------------------------------
// Pricing a ticket (no writes)

interface PricedLine {
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

async function productsFor(ctx: ServiceContext, ids: readonly string[], currency: string): Promise<Map<string, Product>> {
  const products = new Map<string, Product>();
  for (const id of new Set(ids)) {
    let product: Product;
    try {
      product = await getProduct(ctx, id);
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') throw posErrors.productUnavailable(id);
      throw error;
    }
    if (!product.active || product.archivedAt) throw posErrors.productUnavailable(id);
    if (product.currency !== currency) throw posErrors.currencyMismatch(id);
    products.set(id, product);
  }
  return products;
}

/**
 * Prices the ticket on the server from catalog prices (client totals are never trusted) and
 * lists the restricted permissions it uses: price overrides, negative quantities, voided lines,
 * discounts, and discounts above the register's limit.
 */
export async function priceSale(ctx: ServiceContext, register: RegisterRow, input: SaleInput): Promise<PricedSale> {
  const products = await productsFor(ctx, input.lines.map((line) => line.productId), register.currency);
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

// ---------------------------------------------------------------------------------------------
// Submitting a sale

export interface SubmittedSale {
  sale: Sale;
  /** False when this answers an earlier submission of the same sale. */
  created: boolean;
}

async function existingSale(ctx: ServiceContext, id: string, fingerprint: string): Promise<SubmittedSale | undefined> {
  const found = await withTenantTx(ctx, async (tx) => {
    const [row] = await tx.select({ fingerprint: posSale.fingerprint }).from(posSale).where(and(eq(posSale.tenantId, ctx.tenantId), eq(posSale.id, id))).limit(1);
    return row ? { row, sale: await loadSale(tx, ctx, id) } : undefined;
  });
  if (!found) return undefined;
  if (found.row.fingerprint !== fingerprint) throw posErrors.saleIdReused();
  return { sale: found.sale as Sale, created: false };
}

async function readRegisterAndShift(ctx: ServiceContext, registerId: string, shiftId: string) {
  return withTenantTx(ctx, async (tx) => {
    const register = await lockRegister(tx, ctx, registerId, 'share');
    const [shift] = await tx.select().from(posShift).where(and(eq(posShift.tenantId, ctx.tenantId), eq(posShift.id, shiftId))).limit(1);
    return { register, shift };
  });
}

/**
 * Records a sale rung up at a register, exactly once per client-generated id:
 *
 * 1. A sale with this id already recorded answers that sale (same content) or CONFLICT
 *    (different content): a register re-sending after a timeout, or two tabs syncing, never
 *    makes a second sale.
 * 2. Everything that can refuse the sale without writing is checked first: register and its
 *    terminal, shift, products and prices, totals, tenders, the cashier's permissions (or a
 *    manager's override), voucher balances.
 * 3. Card tenders are charged through the payments port, each with an operation key derived
 *    from the sale id (a re-send finds the same charge, never charges twice).
 * 4. One transaction writes the sale, spends vouchers, deducts stock through inventory (the sale
 *    fails if stock would go negative where that is not allowed), audits and emits
 *    `pos.sale.completed`. Parallel submits of one id queue on the register's row lock; the later
 *    one finds the sale and answers it.
 * 5. If that transaction fails, card charges of a sale that does not exist are refunded
 *    (compensation, its own operation key), so money is never kept for a sale not recorded.
 *
 * Offline sales keep their `soldAt` and go into the shift they were rung up in. A shift that has
 * closed since takes a late sale only with pos.sale.late (a manager's override at the till).
 */
export async function submitSale(ctx: ServiceContext, deps: PosDeps, input: SaleInput): Promise<SubmittedSale> {
  const fingerprint = fingerprintOf(input);
  const earlier = await existingSale(ctx, input.id, fingerprint);
  if (earlier) return earlier;

  const { register, shift } = await readRegisterAndShift(ctx, input.registerId, input.shiftId);
  assertTerminalOf(ctx, register);
  if (register.archivedAt) throw posErrors.registerArchived();
  if (!shift) throw posErrors.shiftNotFound();
  if (shift.registerId !== register.id) throw posErrors.shiftOfOtherRegister();
  const soldAt = new Date(input.soldAt);
  if (soldAt.getTime() > Date.now() + CLOCK_SKEW_MS || soldAt.getTime() < shift.openedAt.getTime() - CLOCK_SKEW_MS) throw posErrors.soldAtInvalid();
  // Only a sale rung up before the close can belong to a closed shift (a late sync); later ones need the next shift.
  if (shift.closedAt && soldAt.getTime() > shift.closedAt.getTime()) throw posErrors.shiftClosed();

  const priced = await priceSale(ctx, register, input);
  if (shift.status === 'closed') priced.needed.add(RESTRICTED.lateSale);
  const approval = await authorizeRestricted(ctx, priced.needed, input.override);
  const cardTenders = input.tenders.flatMap((tender, index) => (tender.kind === 'card' ? [{ index, amountMinor: tender.amountMinor }] : []));
  if (cardTenders.length > 0 && !deps.payments) throw posErrors.cardUnavailable();
  for (const tender of input.tenders) {
    if (tender.kind !== 'voucher') continue;
    const voucher = await findVoucher(ctx, tender.code).catch((error: unknown) => {
      throw error instanceof AppError && error.code === 'NOT_FOUND' ? posErrors.voucherNotFound() : error;
    });
    if (voucher.currency !== register.currency) throw posErrors.voucherNotFound();
    if (voucher.balanceMinor < tender.amountMinor) throw posErrors.voucherInsufficient(voucher.balanceMinor);
  }

  // Card money is taken outside any transaction; the operation key makes it once per sale and tender.
  const charges = new Map<number, { chargeId: string; amountMinor: number }>();
  for (const tender of cardTenders) {
    const payments = deps.payments as PaymentsProvider;
    const charge = await startPayment(ctx, payments, {
      amountMinor: tender.amountMinor,
      currency: register.currency,
      operationKey: `pos.sale:${input.id}:card:${tender.index}`,
      description: `Sale at ${register.name}`,
    });
    // A provider that settles later (webhook) leaves it pending: the register tries again or takes another tender.
    if (charge.status !== 'succeeded') throw posErrors.cardNotCaptured(charge.status);
    charges.set(tender.index, { chargeId: charge.id, amountMinor: tender.amountMinor });
  }

  try {
    const outcome = await withTenantTx(ctx, (tx) => recordSale(tx, ctx, input, priced, { fingerprint, soldAt, charges, approval, lateShift: shift.status === 'closed' }));
    if (outcome === 'exists') return (await existingSale(ctx, input.id, fingerprint)) as SubmittedSale;
    return { sale: outcome, created: true };
  } catch (error) {
    if (isUniqueViolation(error, 'pos_sale_tenant_id_id_pk')) {
      const found = await existingSale(ctx, input.id, fingerprint);
      if (found) return found;
    }
    await compensateCharges(ctx, deps, input.id, charges, error);
    throw error;
  }
}

/** Refunds the card charges of a sale that was not recorded (unless a parallel submit recorded it). */
async function compensateCharges(ctx: ServiceContext, deps: PosDeps, saleId: string, charges: ReadonlyMap<number, { chargeId: string; amountMinor: number }>, cause: unknown): Promise<void> {
  if (charges.size === 0 || !deps.payments) return;
  const recorded = await withTenantTx(ctx, (tx) => tx.select({ id: posSale.id }).from(posSale).where(and(eq(posSale.tenantId, ctx.tenantId), eq(posSale.id, saleId))).limit(1));
  if (recorded.length > 0) return;
  for (const [index, { chargeId, amountMinor }] of charges) {
    try {
      await refundCharge(ctx, deps.payments, { chargeId, amountMinor, operationKey: `pos.sale-aborted:${saleId}:card:${index}`, reason: 'requested_by_customer' });
    } catch (error) {
      // The charge stays for a person to refund; the sale's own error is what the register sees.
      ctx.log.error({ err: error, cause, saleId, chargeId }, 'pos: refunding the card charge of an unrecorded sale failed');
    }
  }
}

interface RecordOptions {
  fingerprint: string;
  soldAt: Date;
  charges: ReadonlyMap<number, { chargeId: string; amountMinor: number }>;
  approval: Awaited<ReturnType<typeof authorizeRestricted>>;
  lateShift: boolean;
}

async function recordSale(tx: Tx, ctx: ServiceContext, input: SaleInput, priced: PricedSale, options: RecordOptions): Promise<Sale | 'exists'> {
  // Register first (its sale counter), then shift: the order every POS writer takes them in.
  const register = await lockRegister(tx, ctx, input.registerId, 'update');
  const [already] = await tx.select({ id: posSale.id }).from(posSale).where(and(eq(posSale.tenantId, ctx.tenantId), eq(posSale.id, input.id))).limit(1);
  if (already) return 'exists';
  const [shift] = await tx.select().from(posShift).where(and(eq(posShift.tenantId, ctx.tenantId), eq(posShift.id, input.shiftId))).for('share').limit(1);
  if (!shift) throw posErrors.shiftNotFound();
  // The shift closed between the checks and this lock: a late sale needs the approval it did not ask for.
  if (shift.status === 'closed' && !options.lateShift) throw posErrors.shiftClosed();

  const number = register.nextSaleNumber;
  await tx.update(posRegister).set({ nextSaleNumber: number + 1 }).where(and(eq(posRegister.tenantId, ctx.tenantId), eq(posRegister.id, register.id)));
  const saleNumber = `${register.code}-${String(number).padStart(6, '0')}`;
  const userId = actingUserId(ctx);
  const { totals } = priced;

  const voucherIds = new Map<number, string>();
  for (const [index, tender] of input.tenders.entries()) {
    if (tender.kind === 'voucher') voucherIds.set(index, await spendVoucher(tx, ctx, tender.code, register.currency, tender.amountMinor));
  }

  await tx.insert(posSale).values({
    tenantId: ctx.tenantId,
    id: input.id,
    registerId: register.id,
    shiftId: shift.id,
    locationId: register.locationId,
    number,
    saleNumber,
    currency: register.currency,
    pricesIncludeTax: register.pricesIncludeTax,
    subtotalMinor: totals.subtotalMinor,
    discountMinor: totals.discountMinor,
    taxMinor: totals.taxMinor,
    totalMinor: totals.totalMinor,
    tipMinor: input.tipMinor,
    changeMinor: priced.tenders.changeMinor,
    ticketDiscount: input.ticketDiscount ?? null,
    fingerprint: options.fingerprint,
    soldAt: options.soldAt,
    late: shift.status === 'closed',
    cashierUserId: userId,
    actor: actorLabel(ctx.actor),
    approvedBy: options.approval.approvedBy,
  });
  let soldIndex = 0;
  await tx.insert(posSaleLine).values(
    priced.lines.map((line, index) => {
      const voided = Boolean(line.input.void);
      const lineTotals = voided ? undefined : totals.lines[soldIndex++];
      const unit = line.unitPriceMinor + line.input.modifiers.reduce((sum, modifier) => sum + modifier.priceDeltaMinor, 0);
      return {
        tenantId: ctx.tenantId,
        saleId: input.id,
        lineNo: index + 1,
        productId: line.product.id,
        name: line.product.name,
        sku: line.product.sku,
        quantity: line.input.quantity,
        catalogPriceMinor: line.product.priceMinor,
        unitPriceMinor: line.unitPriceMinor,
        priceOverridden: line.priceOverridden,
        modifiers: line.input.modifiers,
        discount: line.input.discount ?? null,
        grossMinor: lineTotals?.grossMinor ?? unit * line.input.quantity,
        lineDiscountMinor: lineTotals?.lineDiscountMinor ?? 0,
        ticketDiscountMinor: lineTotals?.ticketDiscountMinor ?? 0,
        taxCode: line.rate.code,
        taxRateBp: line.rate.rateBp,
        netMinor: lineTotals?.netMinor ?? 0,
        taxMinor: lineTotals?.taxMinor ?? 0,
        totalMinor: lineTotals?.totalMinor ?? 0,
        voided,
        voidReason: line.input.void?.reason ?? null,
      };
    }),
  );
  await tx.insert(posTender).values(
    input.tenders.map((tender, index) => ({
      tenantId: ctx.tenantId,
      saleId: input.id,
      seq: index + 1,
      kind: tender.kind,
      amountMinor: priced.tenders.applied[index] as number,
      tenderedMinor: tender.amountMinor,
      chargeId: options.charges.get(index)?.chargeId ?? null,
      voucherId: voucherIds.get(index) ?? null,
    })),
  );

  // Stock: net quantity per product of the lines sold; items taken back on the ticket go back in.
  const net = new Map<string, number>();
  for (const index of priced.sold) {
    const line = priced.lines[index] as PricedLine;
    net.set(line.product.id, (net.get(line.product.id) ?? 0) + line.input.quantity);
  }
  const out = [...net].filter(([, quantity]) => quantity > 0).map(([productId, quantity]) => ({ productId, quantity }));
  const back = [...net].filter(([, quantity]) => quantity < 0).map(([productId, quantity]) => ({ productId, quantity: -quantity }));
  if (out.length > 0) await recordSaleMovements(tx, ctx, { locationId: register.locationId, reference: `pos.sale:${input.id}`, lines: out });
  if (back.length > 0) await recordRefundMovements(tx, ctx, { locationId: register.locationId, reference: `pos.sale:${input.id}`, lines: back });

  const tenderSummary = input.tenders.map((tender, index) => ({ kind: tender.kind, amountMinor: priced.tenders.applied[index], chargeId: options.charges.get(index)?.chargeId ?? null }));
  await recordAudit(tx, ctx, {
    action: 'pos.sale.completed',
    target: saleTarget(input.id),
    data: {
      saleNumber,
      registerId: register.id,
      shiftId: shift.id,
      soldAt: options.soldAt.toISOString(),
      late: shift.status === 'closed',
      totalMinor: totals.totalMinor,
      taxMinor: totals.taxMinor,
      discountMinor: totals.discountMinor,
      tipMinor: input.tipMinor,
      currency: register.currency,
      tenders: tenderSummary,
      restricted: options.approval.used,
      ...approvalAudit(ctx, options.approval),
    },
  });
  await emit(tx, ctx, {
    type: 'pos.sale.completed',
    payload: {
      saleId: input.id,
      saleNumber,
      registerId: register.id,
      shiftId: shift.id,
      locationId: register.locationId,
      soldAt: options.soldAt.toISOString(),
      currency: register.currency,
      totalMinor: totals.totalMinor,
      taxMinor: totals.taxMinor,
      tipMinor: input.tipMinor,
      lines: priced.sold.map((index) => ({ productId: (priced.lines[index] as PricedLine).product.id, quantity: (priced.lines[index] as PricedLine).input.quantity })),
      tenders: tenderSummary,
    },
  });
  return (await loadSale(tx, ctx, input.id)) as Sale;
}
