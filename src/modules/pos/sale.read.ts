import { and, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../kernel/context.ts';
import { withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import type { Sale } from './domain/schemas.ts';
import { taxTotals } from './domain/totals.ts';
import { posErrors } from './errors.ts';
import { posSale, posSaleLine, posTender } from './pos.table.ts';

type SaleRow = typeof posSale.$inferSelect;

export async function loadSale(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, id: string, lock = false): Promise<Sale | undefined> {
  const query = uow.tx.select().from(posSale).where(and(eq(posSale.tenantId, uow.tenantId), eq(posSale.id, id))).limit(1);
  const [row] = lock ? await query.for('update') : await query;
  if (!row) return undefined;
  const lines = await uow.tx.select().from(posSaleLine).where(and(eq(posSaleLine.tenantId, uow.tenantId), eq(posSaleLine.saleId, id)));
  const tenders = await uow.tx.select().from(posTender).where(and(eq(posTender.tenantId, uow.tenantId), eq(posTender.saleId, id)));
  return toSale(row, lines, tenders);
}

/** A sale as the API answers it, from its rows (lines and tenders in any order). */
export function toSale(row: SaleRow, lines: (typeof posSaleLine.$inferSelect)[], tenders: (typeof posTender.$inferSelect)[]): Sale {
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
    taxes: taxTotals(lines),
    lines: [...lines].sort((a, b) => a.lineNo - b.lineNo).map((line) => ({
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
    tenders: [...tenders].sort((a, b) => a.seq - b.seq).map((tender) => ({
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
  const sale = await withTenantTx(ctx, (uow) => loadSale(uow, id));
  if (!sale) throw posErrors.saleNotFound();
  return sale;
}

