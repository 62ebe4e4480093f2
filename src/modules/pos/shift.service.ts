import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import { actorLabel } from '../../kernel/context.ts';
import { isUniqueViolation } from '../../kernel/db/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import type { ShiftCloseInput, ShiftReport } from './domain/schemas.ts';
import { taxTotals } from './domain/totals.ts';
import { posErrors } from './errors.ts';
import { posCashMovement, posRefund, posSale, posSaleLine, posShift, posTender } from './pos.table.ts';
import { assertTerminalOf, lockRegister } from './register.service.ts';
import { approvalAudit, authorizeRestricted } from './restrictions.ts';

export type ShiftRow = typeof posShift.$inferSelect;
const OPEN_KEY = 'pos_shift_one_open_per_register';
/** Sees expected cash (and variance) of blind-close shifts; cashiers count without it. */
export const SHIFT_REPORT_PERMISSION = 'pos.shift.report';
export const CLOSE_UNSYNCED_PERMISSION = 'pos.shift.close_unsynced';

export const shiftTarget = (id: string) => ({ type: 'pos.shift', id });
const ofTenant = (ctx: Pick<ServiceContext, 'tenantId'>, id: string) => and(eq(posShift.tenantId, ctx.tenantId), eq(posShift.id, id));

export async function lockShift(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, id: string, strength: 'update' | 'share'): Promise<ShiftRow> {
  const [row] = await uow.tx.select().from(posShift).where(ofTenant(uow, id)).for(strength).limit(1);
  if (!row) throw posErrors.shiftNotFound();
  return row;
}

export async function openShiftOf(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, registerId: string, strength: 'update' | 'share'): Promise<ShiftRow | undefined> {
  const [row] = await uow.tx
    .select()
    .from(posShift)
    .where(and(eq(posShift.tenantId, uow.tenantId), eq(posShift.registerId, registerId), eq(posShift.status, 'open')))
    .for(strength)
    .limit(1);
  return row;
}

/**
 * The shift's register (shared) and then the shift: the order every POS writer locks them in
 * (a sale holds its register's lock while it takes the shift's), so a close can never deadlock
 * with a sale in flight; it waits for it instead.
 */
async function lockRegisterThenShift(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, shiftId: string, strength: 'update' | 'share') {
  const [known] = await uow.tx.select({ registerId: posShift.registerId }).from(posShift).where(ofTenant(uow, shiftId)).limit(1);
  if (!known) throw posErrors.shiftNotFound();
  const register = await lockRegister(uow, known.registerId, 'share');
  const shift = await lockShift(uow, shiftId, strength);
  return { shift, register };
}

/**
 * When a shift opened or closed, for history brought in from elsewhere (the demo's past days, an
 * import): only callers inside the app pass it, never a route.
 */
export interface ImportedTime {
  at: Date;
}

const mayCountBlind = (ctx: ServiceContext) => !ctx.permissions || ctx.permissions.has(SHIFT_REPORT_PERMISSION);

/**
 * Opens a shift with its opening float. One open shift per register is the partial unique index
 * pos_shift_one_open_per_register: two tills racing to open both reach the insert, one wins.
 */
export function openShift(ctx: ServiceContext, registerId: string, input: { openingFloatMinor: number; blindClose: boolean }, imported?: ImportedTime): Promise<ShiftReport> {
  return withTenantTx(ctx, async (uow) => {
    const register = await lockRegister(uow, registerId, 'share');
    assertTerminalOf(ctx, register);
    if (register.archivedAt) throw posErrors.registerArchived();
    let shift: ShiftRow | undefined;
    try {
      [shift] = await uow.tx
        .insert(posShift)
        .values({ tenantId: ctx.tenantId, registerId, openingFloatMinor: input.openingFloatMinor, blindClose: input.blindClose, openedBy: actorLabel(ctx.actor), ...(imported ? { openedAt: imported.at } : {}) })
        .returning();
    } catch (error) {
      if (isUniqueViolation(error, OPEN_KEY)) throw posErrors.shiftAlreadyOpen();
      throw error;
    }
    if (!shift) throw new Error('insert into pos_shift returned no row');
    recordAudit(uow, { action: 'pos.shift.opened', target: shiftTarget(shift.id), data: { registerId, openingFloatMinor: input.openingFloatMinor, blindClose: input.blindClose } });
    emit(uow, { type: 'pos.shift.opened', payload: { shiftId: shift.id, registerId, locationId: register.locationId, openingFloatMinor: input.openingFloatMinor } });
    return hideBlind(ctx, await buildReport(uow, shift, register.currency));
  });
}

/** Cash put into or taken out of the drawer outside a sale (change run, bank drop), with a reason. */
export function recordCashMovement(ctx: ServiceContext, shiftId: string, input: { kind: 'in' | 'out'; amountMinor: number; reason: string }): Promise<{ id: string; shiftId: string; kind: 'in' | 'out'; amountMinor: number; reason: string; createdAt: string }> {
  return withTenantTx(ctx, async (uow) => {
    const { shift, register } = await lockRegisterThenShift(uow, shiftId, 'share');
    assertTerminalOf(ctx, register);
    if (shift.status !== 'open') throw posErrors.shiftClosed();
    const [row] = await uow.tx
      .insert(posCashMovement)
      .values({ tenantId: ctx.tenantId, shiftId, kind: input.kind, amountMinor: input.amountMinor, reason: input.reason, actor: actorLabel(ctx.actor) })
      .returning();
    if (!row) throw new Error('insert into pos_cash_movement returned no row');
    recordAudit(uow, { action: `pos.cash.paid_${input.kind}`, target: shiftTarget(shiftId), data: { movementId: row.id, amountMinor: input.amountMinor, reason: input.reason } });
    emit(uow, { type: `pos.cash.paid_${input.kind}`, payload: { shiftId, registerId: shift.registerId, movementId: row.id, amountMinor: input.amountMinor } });
    return { id: row.id, shiftId, kind: row.kind, amountMinor: row.amountMinor, reason: row.reason, createdAt: row.createdAt.toISOString() };
  });
}

/**
 * Closes a shift with the counted cash: expected (float + cash sales − cash refunds + paid in −
 * paid out) against counted gives the variance. Closing while the register still holds unsent
 * sales needs pos.shift.close_unsynced (a manager's own, or their PIN override), audited with
 * both people. The shift row lock makes the close wait for sales in flight (they hold it shared).
 */
export async function closeShift(ctx: ServiceContext, shiftId: string, input: ShiftCloseInput, imported?: ImportedTime): Promise<ShiftReport> {
  const approval = await authorizeRestricted(ctx, input.unsyncedCount > 0 ? [CLOSE_UNSYNCED_PERMISSION] : [], input.override);
  return withTenantTx(ctx, async (uow) => {
    const { shift, register } = await lockRegisterThenShift(uow, shiftId, 'update');
    assertTerminalOf(ctx, register);
    if (shift.status !== 'open') throw posErrors.shiftClosed();
    const open = await buildReport(uow, shift, register.currency);
    const expected = open.cash.expectedMinor ?? 0;
    const variance = input.countedCashMinor - expected;
    const [closed] = await uow.tx
      .update(posShift)
      .set({
        status: 'closed',
        closedAt: imported?.at ?? new Date(),
        closedBy: actorLabel(ctx.actor),
        countedCashMinor: input.countedCashMinor,
        expectedCashMinor: expected,
        varianceMinor: variance,
        unsyncedCount: input.unsyncedCount,
        closeApprovedBy: approval.approvedBy,
      })
      .where(ofTenant(ctx, shiftId))
      .returning();
    if (!closed) throw posErrors.shiftNotFound();
    const report = await buildReport(uow, closed, register.currency);
    recordAudit(uow, {
      action: 'pos.shift.closed',
      target: shiftTarget(shiftId),
      data: { registerId: shift.registerId, countedCashMinor: input.countedCashMinor, expectedCashMinor: expected, varianceMinor: variance, unsyncedCount: input.unsyncedCount, ...approvalAudit(ctx, approval) },
    });
    emit(uow, {
      type: 'pos.shift.closed',
      payload: { shiftId, registerId: shift.registerId, locationId: register.locationId, countedCashMinor: input.countedCashMinor, expectedCashMinor: expected, varianceMinor: variance, salesTotalMinor: report.sales.totalMinor, currency: register.currency },
    });
    return hideBlind(ctx, report);
  });
}

/** The X report of an open shift or the Z report of a closed one. */
export function shiftReport(ctx: ServiceContext, shiftId: string): Promise<ShiftReport> {
  return withTenantTx(ctx, async (uow) => {
    const [shift] = await uow.tx.select().from(posShift).where(ofTenant(ctx, shiftId)).limit(1);
    if (!shift) throw posErrors.shiftNotFound();
    const register = await lockRegister(uow, shift.registerId, 'share');
    return hideBlind(ctx, await buildReport(uow, shift, register.currency));
  });
}

export async function listShifts(ctx: ServiceContext, registerId: string): Promise<ShiftRow[]> {
  return withTenantTx(ctx, async (uow) => {
    await lockRegister(uow, registerId, 'share');
    return uow.tx.select().from(posShift).where(and(eq(posShift.tenantId, ctx.tenantId), eq(posShift.registerId, registerId))).orderBy(desc(posShift.openedAt)).limit(100);
  });
}

/** On a blind-close shift the counting cashier sees neither expected cash nor variance; pos.shift.report does. */
function hideBlind(ctx: ServiceContext, report: ShiftReport): ShiftReport {
  if (!report.shift.blindClose || mayCountBlind(ctx)) return report;
  const { expectedMinor: _expected, ...cash } = report.cash;
  return { ...report, cash: { ...cash, varianceMinor: null } };
}

const byKind = () => ({ cash: 0, card: 0, voucher: 0 });

/** Sums the shift from its rows: sales rung up in it, refunds and voids done in it, cash movements. */
export async function buildReport(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, shift: ShiftRow, currency: string): Promise<ShiftReport> {
  const sales = await uow.tx.select().from(posSale).where(and(eq(posSale.tenantId, uow.tenantId), eq(posSale.shiftId, shift.id)));
  const saleIds = sales.map((row) => row.id);
  const tenders = saleIds.length ? await uow.tx.select().from(posTender).where(and(eq(posTender.tenantId, uow.tenantId), inArray(posTender.saleId, saleIds))) : [];
  const lines = saleIds.length ? await uow.tx.select().from(posSaleLine).where(and(eq(posSaleLine.tenantId, uow.tenantId), inArray(posSaleLine.saleId, saleIds))) : [];
  const refunds = await uow.tx.select().from(posRefund).where(and(eq(posRefund.tenantId, uow.tenantId), eq(posRefund.shiftId, shift.id)));
  const movements = await uow.tx
    .select()
    .from(posCashMovement)
    .where(and(eq(posCashMovement.tenantId, uow.tenantId), eq(posCashMovement.shiftId, shift.id)))
    .orderBy(asc(posCashMovement.createdAt));

  const sum = <T>(rows: readonly T[], pick: (row: T) => number) => rows.reduce((acc, row) => acc + pick(row), 0);
  const tenderTotals = byKind();
  for (const row of tenders) tenderTotals[row.kind] += row.amountMinor;
  const refundsByTender = byKind();
  let cashRefunds = 0;
  for (const refund of refunds) {
    for (const part of refund.tenders) {
      if (refund.kind === 'refund') refundsByTender[part.kind] += part.amountMinor;
      if (part.kind === 'cash') cashRefunds += part.amountMinor;
    }
  }
  const realRefunds = refunds.filter((refund) => refund.kind === 'refund');
  const voids = refunds.filter((refund) => refund.kind === 'void');
  const voidedLines = lines.filter((line) => line.voided);
  const paidIn = sum(movements.filter((row) => row.kind === 'in'), (row) => row.amountMinor);
  const paidOut = sum(movements.filter((row) => row.kind === 'out'), (row) => row.amountMinor);
  const expected = shift.openingFloatMinor + tenderTotals.cash - cashRefunds + paidIn - paidOut;
  const closed = shift.status === 'closed';

  return {
    kind: closed ? 'Z' : 'X',
    shift: {
      id: shift.id,
      registerId: shift.registerId,
      status: shift.status,
      openedBy: shift.openedBy,
      openedAt: shift.openedAt.toISOString(),
      closedBy: shift.closedBy,
      closedAt: shift.closedAt?.toISOString() ?? null,
      blindClose: shift.blindClose,
      unsyncedCount: shift.unsyncedCount,
      closeApprovedBy: shift.closeApprovedBy,
    },
    currency,
    sales: {
      count: sales.length,
      grossMinor: sum(sales, (row) => row.subtotalMinor),
      discountMinor: sum(sales, (row) => row.discountMinor),
      taxMinor: sum(sales, (row) => row.taxMinor),
      totalMinor: sum(sales, (row) => row.totalMinor),
      tipMinor: sum(sales, (row) => row.tipMinor),
      lateCount: sales.filter((row) => row.late).length,
    },
    tenders: tenderTotals,
    taxes: taxTotals(lines),
    refunds: { count: realRefunds.length, amountMinor: sum(realRefunds, (row) => row.amountMinor), taxMinor: sum(realRefunds, (row) => row.taxMinor), byTender: refundsByTender },
    voids: {
      saleCount: voids.length,
      saleAmountMinor: sum(voids, (row) => row.amountMinor),
      lineCount: voidedLines.length,
      lineAmountMinor: sum(voidedLines, (row) => row.grossMinor),
    },
    cash: {
      openingFloatMinor: shift.openingFloatMinor,
      salesMinor: tenderTotals.cash,
      refundsMinor: cashRefunds,
      paidInMinor: paidIn,
      paidOutMinor: paidOut,
      movements: movements.map((row) => ({ kind: row.kind, amountMinor: row.amountMinor, reason: row.reason, actor: row.actor, at: row.createdAt.toISOString() })),
      // A closed shift reports what was expected at its close (late sales after it do not rewrite the count).
      expectedMinor: closed ? (shift.expectedCashMinor ?? expected) : expected,
      countedMinor: shift.countedCashMinor,
      varianceMinor: shift.varianceMinor,
    },
  };
}
