import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import { actorLabel } from '../../kernel/context.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { refundCharge } from '../../kernel/payments/index.ts';
import { withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { openStockAt, stageRefundMovements } from '../inventory/index.ts';
import type { Refund, RefundInput, Sale } from './domain/schemas.ts';
import { lineShare } from './domain/totals.ts';
import { posErrors } from './errors.ts';
import { posRefund, posSale, posSaleLine, posShift, posTender, type CardRefundStatus, type RefundKind, type RefundLine, type RefundTender } from './pos.table.ts';
import { assertTerminalOf, lockRegister } from './register.service.ts';
import { approvalAudit, authorizeRestricted, RESTRICTED, type Approval } from './restrictions.ts';
import { fingerprintOf, saleTarget, type PosDeps } from './sale.service.ts';
import { loadSale } from './sale.read.ts';
import { openShiftOf } from './shift.service.ts';
import { creditVoucher } from './voucher.service.ts';

type RefundRow = typeof posRefund.$inferSelect;

const toRefund = (row: RefundRow): Refund => ({
  id: row.id,
  saleId: row.saleId,
  registerId: row.registerId,
  shiftId: row.shiftId,
  kind: row.kind,
  reason: row.reason,
  amountMinor: row.amountMinor,
  taxMinor: row.taxMinor,
  lines: row.lines,
  tenders: row.tenders,
  cardStatus: row.cardStatus,
  approvedBy: row.approvedBy,
  createdAt: row.createdAt.toISOString(),
});

export interface RefundOutcome {
  refund: Refund;
  created: boolean;
}

/** Tender refund order: back to the card first, then to vouchers, cash last. */
const ORDER = { card: 0, voucher: 1, cash: 2 } as const;

/**
 * Refunds lines of a completed sale (kind `refund`, pos.ticket.refund) or voids the whole sale
 * while its shift is open (kind `void`, pos.ticket.void); the reason is required, a manager's PIN
 * can approve either. Exactly once per client-generated refund id, like sales.
 *
 * One transaction, under the sale's row lock (so parallel refunds of one sale queue and can never
 * return more than was sold or paid): the refund record, tender shares (card first, then vouchers
 * credited back, then cash out of the drawer of the refunding register's open shift), stock back
 * through inventory, audit and `pos.sale.refunded` / `pos.sale.voided`. The card share then goes
 * back through the kernel's refundCharge, whose operation key derives from the refund, outside
 * the transaction; if the provider fails, re-sending the same refund retries only that step.
 */
export async function refundSale(ctx: ServiceContext, deps: PosDeps, saleId: string, input: RefundInput, kind: RefundKind): Promise<RefundOutcome> {
  const fingerprint = fingerprintOf({ ...input, saleId, kind });
  const earlier = await withTenantTx(ctx, async (uow) => (await uow.tx.select().from(posRefund).where(and(eq(posRefund.tenantId, ctx.tenantId), eq(posRefund.id, input.id))).limit(1))[0]);
  if (earlier) {
    if (earlier.fingerprint !== fingerprint) throw posErrors.refundIdReused();
    return { refund: await settleCard(ctx, deps, earlier), created: false };
  }
  const register = await withTenantTx(ctx, (uow) => lockRegister(uow, input.registerId, 'share'));
  assertTerminalOf(ctx, register);
  // The sale must exist (and be this tenant's) before permissions are weighed: 404 stays 404.
  const exists = await withTenantTx(ctx, (uow) => uow.tx.select({ id: posSale.id }).from(posSale).where(and(eq(posSale.tenantId, ctx.tenantId), eq(posSale.id, saleId))).limit(1));
  if (exists.length === 0) throw posErrors.saleNotFound();
  const approval = await authorizeRestricted(ctx, [kind === 'void' ? RESTRICTED.void : RESTRICTED.refund], input.override);

  const outcome = await withTenantTx(ctx, (uow) => recordRefund(uow, saleId, input, kind, fingerprint, approval));
  if (outcome === 'exists') {
    const [row] = await withTenantTx(ctx, (uow) => uow.tx.select().from(posRefund).where(and(eq(posRefund.tenantId, ctx.tenantId), eq(posRefund.id, input.id))).limit(1));
    if (!row || row.fingerprint !== fingerprint) throw posErrors.refundIdReused();
    return { refund: await settleCard(ctx, deps, row), created: false };
  }
  return { refund: await settleCard(ctx, deps, outcome), created: true };
}

async function recordRefund(uow: UnitOfWork, saleId: string, input: RefundInput, kind: RefundKind, fingerprint: string, approval: Approval): Promise<RefundRow | 'exists'> {
  await lockRegister(uow, input.registerId, 'share');
  const shift = await openShiftOf(uow, input.registerId, 'share');
  if (!shift) throw posErrors.noOpenShift();
  const sale = await loadSale(uow, saleId, true);
  if (!sale) throw posErrors.saleNotFound();
  // A parallel re-send of this refund committed while we waited for the sale's lock.
  const [again] = await uow.tx.select({ id: posRefund.id }).from(posRefund).where(and(eq(posRefund.tenantId, uow.tenantId), eq(posRefund.id, input.id))).limit(1);
  if (again) return 'exists';
  if (sale.status === 'voided') throw posErrors.saleVoided();

  const refundable = sale.lines.filter((line) => !line.voided && line.quantity > 0);
  let wanted: { lineNo: number; quantity: number }[];
  if (kind === 'void') {
    const [saleShift] = await uow.tx.select({ status: posShift.status }).from(posShift).where(and(eq(posShift.tenantId, uow.tenantId), eq(posShift.id, sale.shiftId)));
    if (saleShift?.status !== 'open') throw posErrors.voidNeedsOpenShift();
    if (sale.lines.some((line) => line.refundedQuantity > 0)) throw posErrors.voidAfterRefund();
    wanted = refundable.map((line) => ({ lineNo: line.lineNo, quantity: line.quantity }));
  } else if (input.lines) {
    wanted = input.lines;
  } else {
    wanted = refundable.filter((line) => line.quantity > line.refundedQuantity).map((line) => ({ lineNo: line.lineNo, quantity: line.quantity - line.refundedQuantity }));
    if (wanted.length === 0) throw posErrors.nothingToRefund();
  }

  const lines: RefundLine[] = [];
  const taken = new Map<number, number>();
  for (const want of wanted) {
    const line = refundable.find((candidate) => candidate.lineNo === want.lineNo);
    if (!line) throw posErrors.unknownLine(want.lineNo);
    const before = line.refundedQuantity + (taken.get(line.lineNo) ?? 0);
    if (want.quantity > line.quantity - before) throw posErrors.refundExceedsSold(line.lineNo, line.quantity - before);
    taken.set(line.lineNo, (taken.get(line.lineNo) ?? 0) + want.quantity);
    lines.push({
      lineNo: line.lineNo,
      productId: line.productId,
      quantity: want.quantity,
      amountMinor: lineShare(line.totalMinor, line.quantity, before, want.quantity),
      taxMinor: lineShare(line.taxMinor, line.quantity, before, want.quantity),
    });
  }
  // A void also gives back the tip: the whole payment is undone.
  const amountMinor = lines.reduce((sum, line) => sum + line.amountMinor, 0) + (kind === 'void' ? sale.tipMinor : 0);
  const taxMinor = lines.reduce((sum, line) => sum + line.taxMinor, 0);

  const tenders: RefundTender[] = [];
  let left = amountMinor;
  for (const tender of [...sale.tenders].sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.seq - b.seq)) {
    if (left === 0) break;
    const share = Math.min(left, tender.amountMinor - tender.refundedMinor);
    if (share <= 0) continue;
    tenders.push({ kind: tender.kind, seq: tender.seq, amountMinor: share, chargeId: tender.chargeId, voucherId: tender.voucherId });
    left -= share;
    await uow.tx
      .update(posTender)
      .set({ refundedMinor: sql`${posTender.refundedMinor} + ${share}` })
      .where(and(eq(posTender.tenantId, uow.tenantId), eq(posTender.saleId, sale.id), eq(posTender.seq, tender.seq)));
    if (tender.kind === 'voucher' && tender.voucherId) await creditVoucher(uow, tender.voucherId, share);
  }
  // Cannot happen while line shares add up to the sale's total; refuse rather than pay out of nowhere.
  if (left !== 0) throw posErrors.nothingToRefund();

  for (const [lineNo, quantity] of taken) {
    await uow.tx
      .update(posSaleLine)
      .set({ refundedQuantity: sql`${posSaleLine.refundedQuantity} + ${quantity}` })
      .where(and(eq(posSaleLine.tenantId, uow.tenantId), eq(posSaleLine.saleId, sale.id), eq(posSaleLine.lineNo, lineNo)));
  }
  if (kind === 'void') await uow.tx.update(posSale).set({ status: 'voided', voidedAt: new Date() }).where(and(eq(posSale.tenantId, uow.tenantId), eq(posSale.id, sale.id)));

  const stock = new Map<string, number>();
  for (const line of lines) stock.set(line.productId, (stock.get(line.productId) ?? 0) + line.quantity);
  if (stock.size > 0) {
    const lines = [...stock].map(([productId, quantity]) => ({ productId, quantity }));
    await stageRefundMovements(uow, await openStockAt(uow, sale.locationId), { reference: `pos.${kind}:${input.id}`, lines });
  }

  const cardStatus: CardRefundStatus = tenders.some((tender) => tender.kind === 'card') ? 'pending' : 'none';
  const [row] = await uow.tx
    .insert(posRefund)
    .values({
      tenantId: uow.tenantId,
      id: input.id,
      saleId: sale.id,
      registerId: input.registerId,
      shiftId: shift.id,
      kind,
      reason: input.reason,
      amountMinor,
      taxMinor,
      lines,
      tenders,
      cardStatus,
      fingerprint,
      actor: actorLabel(uow.actor),
      approvedBy: approval.approvedBy,
    })
    .returning();
  if (!row) throw new Error('insert into pos_refund returned no row');
  const facts = { refundId: row.id, saleId: sale.id, saleNumber: sale.saleNumber, registerId: input.registerId, shiftId: shift.id, amountMinor, taxMinor, currency: sale.currency, lines, tenders };
  const action = kind === 'void' ? 'pos.sale.voided' : 'pos.sale.refunded';
  recordAudit(uow, { action, target: saleTarget(sale.id), data: { ...facts, reason: input.reason, ...approvalAudit(uow, approval) } });
  emit(uow, { type: action, payload: { ...facts, locationId: sale.locationId } });
  return row;
}

/** Sends the card share of a recorded refund back through the payments port (once per refund and tender). */
async function settleCard(ctx: ServiceContext, deps: PosDeps, row: RefundRow): Promise<Refund> {
  if (row.cardStatus === 'none' || row.cardStatus === 'succeeded') return toRefund(row);
  let status: CardRefundStatus = 'succeeded';
  let failure: string | undefined;
  if (!deps.payments) {
    status = 'failed';
    failure = 'no payments provider';
  } else {
    for (const tender of row.tenders) {
      if (tender.kind !== 'card' || !tender.chargeId) continue;
      try {
        await refundCharge(ctx, deps.payments, { chargeId: tender.chargeId, amountMinor: tender.amountMinor, operationKey: `pos.refund:${row.id}:${tender.seq}`, reason: 'requested_by_customer' });
      } catch (error) {
        status = 'failed';
        failure = error instanceof Error ? error.message : String(error);
        ctx.log.warn({ err: error, refundId: row.id }, 'pos: card refund failed; re-send the refund to retry');
      }
    }
  }
  return withTenantTx(ctx, async (uow) => {
    const [updated] = await uow.tx
      .update(posRefund)
      .set({ cardStatus: status })
      .where(and(eq(posRefund.tenantId, ctx.tenantId), eq(posRefund.id, row.id)))
      .returning();
    if (!updated) throw posErrors.saleNotFound();
    if (row.cardStatus !== status) {
      recordAudit(uow, { action: `pos.refund.card_${status}`, target: saleTarget(row.saleId), data: { refundId: row.id, ...(failure ? { failure } : {}) } });
    }
    return toRefund(updated);
  });
}

export async function listRefunds(ctx: ServiceContext, saleId: string): Promise<Refund[]> {
  const rows = await withTenantTx(ctx, async (uow) => {
    const sale: Sale | undefined = await loadSale(uow, saleId);
    if (!sale) throw posErrors.saleNotFound();
    return uow.tx.select().from(posRefund).where(and(eq(posRefund.tenantId, ctx.tenantId), eq(posRefund.saleId, saleId))).orderBy(posRefund.createdAt);
  });
  return rows.map(toRefund);
}
