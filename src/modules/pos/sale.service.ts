import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import { actorLabel } from '../../kernel/context.ts';
import { isUniqueViolation } from '../../kernel/db/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { refundCharge, startPayment, type PaymentsProvider } from '../../kernel/payments/index.ts';
import { withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { openStockAt, stageRefundMovements, stageSaleMovements } from '../inventory/index.ts';
import type { Sale, SaleInput } from './domain/schemas.ts';
import { posErrors } from './errors.ts';
import { posSale, type posSaleLine, type posTender } from './pos.table.ts';
import { assertTerminalOf } from './register.service.ts';
import { actingUserId, approvalAudit, authorizeRestricted, RESTRICTED, type Approval } from './restrictions.ts';
import { priceSale, productsFor, type PricedLine, type PricedSale } from './sale.pricing.ts';
import { loadSale, toSale } from './sale.read.ts';
import { claimNumberAndInsertSale, earlierSaleRegisterAndShift, writeLinesAndTenders } from './sale.statements.ts';
import { spendVoucher, voucherByCode } from './voucher.service.ts';

/** How far a register's clock may run ahead of the server's, or a sale precede its shift's opening. */
const CLOCK_SKEW_MS = 5 * 60_000;

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

export interface SubmittedSale {
  sale: Sale;
  /** False when this answers an earlier submission of the same sale. */
  created: boolean;
}

/** A sale that passed every check that needs no lock: ready to be recorded. */
interface CheckedSale {
  priced: PricedSale;
  soldAt: Date;
  /** The shift had closed when the sale was checked: recording it needs pos.sale.late (asked for in `priced.needed`). */
  lateShift: boolean;
  /** The voucher paying each voucher tender, by tender index (a code always names the same voucher). */
  voucherIds: ReadonlyMap<number, string>;
}

/** The sale recorded under this client id, given its stored fingerprint; CONFLICT when that id came with different content. */
async function answerEarlierSale(uow: UnitOfWork, id: string, stored: string, fingerprint: string): Promise<SubmittedSale> {
  if (stored !== fingerprint) throw posErrors.saleIdReused();
  return { sale: (await loadSale(uow, id)) as Sale, created: false };
}

/** The sale recorded under this client id, if any (see answerEarlierSale), in a transaction of its own. */
const findEarlierSale = (ctx: ServiceContext, id: string, fingerprint: string) =>
  withTenantTx(ctx, async (uow) => {
    const [row] = await uow.tx.select({ fingerprint: posSale.fingerprint }).from(posSale).where(and(eq(posSale.tenantId, ctx.tenantId), eq(posSale.id, id))).limit(1);
    return row ? answerEarlierSale(uow, id, row.fingerprint, fingerprint) : undefined;
  });

/**
 * Everything that can refuse the sale without writing, read without row locks (so parallel sales
 * at other registers do not wait on it): register and its terminal, shift, products and prices,
 * totals, tenders, voucher balances. Answers an earlier sale with this id instead when there is one.
 */
async function checkSale(uow: UnitOfWork, input: SaleInput, fingerprint: string): Promise<CheckedSale | SubmittedSale> {
  // One round trip for the earlier sale's fingerprint, the register and the shift (each may be missing).
  const [found] = await earlierSaleRegisterAndShift.execute(uow.tx, { tenantId: uow.tenantId, saleId: input.id, registerId: input.registerId, shiftId: input.shiftId });
  if (found?.earlierFingerprint != null) return answerEarlierSale(uow, input.id, found.earlierFingerprint, fingerprint);
  const register = found?.register;
  if (!register) throw posErrors.registerNotFound();
  assertTerminalOf(uow, register);
  if (register.archivedAt) throw posErrors.registerArchived();
  const shift = found.shift;
  if (!shift) throw posErrors.shiftNotFound();
  if (shift.registerId !== register.id) throw posErrors.shiftOfOtherRegister();
  const soldAt = new Date(input.soldAt);
  if (soldAt.getTime() > Date.now() + CLOCK_SKEW_MS || soldAt.getTime() < shift.openedAt.getTime() - CLOCK_SKEW_MS) throw posErrors.soldAtInvalid();
  // Only a sale rung up before the close can belong to a closed shift (a late sync); later ones need the next shift.
  if (shift.closedAt && soldAt.getTime() > shift.closedAt.getTime()) throw posErrors.shiftClosed();

  const products = await productsFor(uow, input.lines.map((line) => line.productId), register.currency);
  const priced = priceSale(register, products, input);
  const lateShift = shift.status === 'closed';
  if (lateShift) priced.needed.add(RESTRICTED.lateSale);
  const voucherIds = new Map<number, string>();
  for (const [index, tender] of input.tenders.entries()) {
    if (tender.kind !== 'voucher') continue;
    const voucher = await voucherByCode(uow, tender.code);
    if (!voucher || voucher.currency !== register.currency) throw posErrors.voucherNotFound();
    if (voucher.balanceMinor < tender.amountMinor) throw posErrors.voucherInsufficient(voucher.balanceMinor);
    voucherIds.set(index, voucher.id);
  }
  return { priced, soldAt, lateShift, voucherIds };
}

/**
 * Records a sale rung up at a register, exactly once per client-generated id:
 *
 * 1. A sale with this id already recorded answers that sale (same content) or CONFLICT
 *    (different content): a register re-sending after a timeout, or two tabs syncing, never
 *    makes a second sale. Parallel submits of one id meet on the sale's primary key; the later
 *    one finds the sale and answers it.
 * 2. Everything that can refuse the sale without writing is checked first (checkSale), then the
 *    cashier's permissions (or a manager's override).
 * 3. The sale is written, vouchers spent, stock deducted through inventory (the sale fails if
 *    stock would go negative where that is not allowed), audited, and `pos.sale.completed`
 *    emitted, in one transaction (recordSale).
 *
 * A sale that needs nothing outside the database (no card tender, no manager PIN) is checked and
 * recorded in ONE transaction: at a busy till its row locks are held for the writes alone. Otherwise:
 *
 * - the checks run in their own transaction; a manager's PIN is verified outside any (its lockout
 *   rows must outlive a refused sale);
 * - card tenders are charged through the payments port, each with an operation key derived from
 *   the sale id (a re-send finds the same charge, never charges twice), outside any transaction;
 * - if the recording transaction fails, card charges of a sale that does not exist are refunded
 *   (compensation, its own operation key), so money is never kept for a sale not recorded.
 *
 * Offline sales keep their `soldAt` and go into the shift they were rung up in. A shift that has
 * closed since takes a late sale only with pos.sale.late (a manager's override at the till).
 */
export async function submitSale(ctx: ServiceContext, deps: PosDeps, input: SaleInput): Promise<SubmittedSale> {
  const fingerprint = fingerprintOf(input);
  const cardTenders = input.tenders.flatMap((tender, index) => (tender.kind === 'card' ? [{ index, amountMinor: tender.amountMinor }] : []));
  if (cardTenders.length > 0 && !deps.payments) throw posErrors.cardUnavailable();

  if (cardTenders.length === 0 && !input.override) {
    return answerDuplicate(ctx, input.id, fingerprint, () =>
      withTenantTx(ctx, async (uow) => {
        const checked = await checkSale(uow, input, fingerprint);
        if ('created' in checked) return checked;
        // Without an override this answers from the context's permissions, with no I/O.
        const approval = await authorizeRestricted(ctx, checked.priced.needed, undefined);
        return { sale: await recordSale(uow, input, checked, { fingerprint, charges: new Map(), approval }), created: true };
      }),
    );
  }

  const checked = await withTenantTx(ctx, (uow) => checkSale(uow, input, fingerprint));
  if ('created' in checked) return checked;
  const approval = await authorizeRestricted(ctx, checked.priced.needed, input.override);
  const { register } = checked.priced;
  const charges = new Map<number, { chargeId: string; amountMinor: number }>();
  for (const tender of cardTenders) {
    const charge = await startPayment(ctx, deps.payments as PaymentsProvider, {
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
    return await answerDuplicate(ctx, input.id, fingerprint, async () => ({
      sale: await withTenantTx(ctx, (uow) => recordSale(uow, input, checked, { fingerprint, charges, approval })),
      created: true,
    }));
  } catch (error) {
    await compensateCharges(ctx, deps, input.id, charges, error);
    throw error;
  }
}

/** The primary keys a parallel submit of the same sale id meets this one on (lines and tenders are written first). */
const SALE_KEYS = ['pos_sale_line_tenant_id_sale_id_line_no_pk', 'pos_tender_tenant_id_sale_id_seq_pk', 'pos_tender_charge_key', 'pos_sale_tenant_id_id_pk'];

/** Runs `record`; when a parallel submit of the same sale id won the insert, answers that sale instead. */
async function answerDuplicate(ctx: ServiceContext, id: string, fingerprint: string, record: () => Promise<SubmittedSale>): Promise<SubmittedSale> {
  try {
    return await record();
  } catch (error) {
    if (SALE_KEYS.some((key) => isUniqueViolation(error, key))) {
      const found = await findEarlierSale(ctx, id, fingerprint);
      if (found) return found;
    }
    throw error;
  }
}

/** Refunds the card charges of a sale that was not recorded (unless a parallel submit recorded it). */
async function compensateCharges(ctx: ServiceContext, deps: PosDeps, saleId: string, charges: ReadonlyMap<number, { chargeId: string; amountMinor: number }>, cause: unknown): Promise<void> {
  if (charges.size === 0 || !deps.payments) return;
  const recorded = await withTenantTx(ctx, (uow) => uow.tx.select({ id: posSale.id }).from(posSale).where(and(eq(posSale.tenantId, ctx.tenantId), eq(posSale.id, saleId))).limit(1));
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
  charges: ReadonlyMap<number, { chargeId: string; amountMinor: number }>;
  approval: Approval;
}

/**
 * Writes the sale's header in ONE statement that takes its locks in the order every POS writer
 * does: the register's row (claiming the next number of its gapless sale sequence), then its
 * shift, shared (closeShift holds the register shared while it locks the shift for update, so a
 * close and a sale queue instead of deadlocking; the shift is locked only once the register's
 * row is, as the shift's CTE joins the claimed row). A locked row is read as last committed, so
 * a shift closed while this waited reads closed. Answers the sale's row, after refusing what the
 * checks would refuse now (register archived or re-bound, shift closed without the late approval).
 */
async function insertSaleHeader(uow: UnitOfWork, input: SaleInput, checked: CheckedSale, options: RecordOptions) {
  const { priced, soldAt } = checked;
  const { register, totals } = priced;
  const [row] = await claimNumberAndInsertSale.execute(uow.tx, {
    tenantId: uow.tenantId,
    id: input.id,
    registerId: register.id,
    shiftId: input.shiftId,
    locationId: register.locationId,
    currency: register.currency,
    pricesIncludeTax: register.pricesIncludeTax,
    subtotalMinor: totals.subtotalMinor,
    discountMinor: totals.discountMinor,
    taxMinor: totals.taxMinor,
    totalMinor: totals.totalMinor,
    tipMinor: input.tipMinor,
    changeMinor: priced.tenders.changeMinor,
    ticketDiscount: input.ticketDiscount ? JSON.stringify(input.ticketDiscount) : null,
    fingerprint: options.fingerprint,
    soldAt,
    cashierUserId: actingUserId(uow),
    actor: actorLabel(uow.actor),
    approvedBy: options.approval.approvedBy,
  });
  if (!row) throw new Error('insert into pos_sale returned no row');
  const { registerArchived, registerDeviceId, ...sale } = row;
  // Archived or re-bound since the checks: refuse as the checks would have (the transaction rolls back).
  if (registerArchived) throw posErrors.registerArchived();
  assertTerminalOf(uow, { ...register, deviceId: registerDeviceId });
  // The shift closed between the checks and this lock: a late sale needs the approval it did not ask for.
  if (sale.late && !checked.lateShift) throw posErrors.shiftClosed();
  return sale;
}

/** The sale's lines as rows (voided lines keep their gross and carry no totals). */
function lineRowsOf(ctx: Pick<ServiceContext, 'tenantId'>, input: SaleInput, priced: PricedSale): (typeof posSaleLine.$inferSelect)[] {
  let soldIndex = 0;
  return priced.lines.map((line, index) => {
    const voided = Boolean(line.input.void);
    const lineTotals = voided ? undefined : priced.totals.lines[soldIndex++];
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
      refundedQuantity: 0,
    };
  });
}

/**
 * Writes a checked sale. Its lines and tenders are new rows nobody else touches, so they are
 * written before the first lock (the tables have no foreign keys to wait on; a parallel submit of
 * the same id meets this one on their primary keys). Then the locks, in the order every POS writer
 * takes them (register, then shift, then vouchers here; inventory's stock rows in the unit of
 * work's apply phase; the tenant's audit lock with its journal), so the time they are held is the
 * remaining writes' time. The sale is answered from
 * the rows written.
 */
async function recordSale(uow: UnitOfWork, input: SaleInput, checked: CheckedSale, options: RecordOptions): Promise<Sale> {
  const { priced } = checked;
  // Read before the first row lock, like everything the writes below need (a register's location never changes).
  const stock = await openStockAt(uow, priced.register.locationId);
  const lineRows = lineRowsOf(uow, input, priced);
  const tenderRows: (typeof posTender.$inferSelect)[] = input.tenders.map((tender, index) => ({
    tenantId: uow.tenantId,
    saleId: input.id,
    seq: index + 1,
    kind: tender.kind,
    amountMinor: priced.tenders.applied[index] as number,
    tenderedMinor: tender.amountMinor,
    chargeId: options.charges.get(index)?.chargeId ?? null,
    voucherId: checked.voucherIds.get(index) ?? null,
    refundedMinor: 0,
  }));
  await writeLinesAndTenders(uow.tx, lineRows, tenderRows);
  // Stock: net quantity per product of the lines sold; items taken back on the ticket go back in.
  // Their movements are new rows too, written now; inventory moves the stock in the unit of work's
  // apply phase, after the locks below.
  const net = new Map<string, number>();
  for (const index of priced.sold) {
    const line = priced.lines[index] as PricedLine;
    net.set(line.product.id, (net.get(line.product.id) ?? 0) + line.input.quantity);
  }
  const out = [...net].filter(([, quantity]) => quantity > 0).map(([productId, quantity]) => ({ productId, quantity }));
  const back = [...net].filter(([, quantity]) => quantity < 0).map(([productId, quantity]) => ({ productId, quantity: -quantity }));
  const reference = `pos.sale:${input.id}`;
  if (out.length > 0) await stageSaleMovements(uow, stock, { reference, lines: out });
  if (back.length > 0) await stageRefundMovements(uow, stock, { reference, lines: back });

  const saleRow = await insertSaleHeader(uow, input, checked, options);
  const { register, totals } = priced;
  for (const tender of input.tenders) {
    if (tender.kind === 'voucher') await spendVoucher(uow, tender.code, register.currency, tender.amountMinor);
  }

  const tenderSummary = input.tenders.map((tender, index) => ({ kind: tender.kind, amountMinor: priced.tenders.applied[index] as number, chargeId: options.charges.get(index)?.chargeId ?? null }));
  recordAudit(uow, {
    action: 'pos.sale.completed',
    target: saleTarget(input.id),
    data: {
      saleNumber: saleRow.saleNumber,
      registerId: register.id,
      shiftId: saleRow.shiftId,
      soldAt: saleRow.soldAt.toISOString(),
      late: saleRow.late,
      totalMinor: totals.totalMinor,
      taxMinor: totals.taxMinor,
      discountMinor: totals.discountMinor,
      tipMinor: input.tipMinor,
      currency: register.currency,
      tenders: tenderSummary,
      restricted: options.approval.used,
      ...approvalAudit(uow, options.approval),
    },
  });
  emit(uow, {
    type: 'pos.sale.completed',
    payload: {
      saleId: input.id,
      saleNumber: saleRow.saleNumber,
      registerId: register.id,
      shiftId: saleRow.shiftId,
      locationId: register.locationId,
      soldAt: saleRow.soldAt.toISOString(),
      currency: register.currency,
      totalMinor: totals.totalMinor,
      taxMinor: totals.taxMinor,
      tipMinor: input.tipMinor,
      lines: priced.sold.map((index) => ({ productId: (priced.lines[index] as PricedLine).product.id, quantity: (priced.lines[index] as PricedLine).input.quantity })),
      tenders: tenderSummary,
    },
  });
  return toSale(saleRow, lineRows, tenderRows);
}
