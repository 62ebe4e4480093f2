import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { tenantTimeZone, withTenantTx } from '../../kernel/tenancy/index.ts';
import { locationsById } from '../locations/index.ts';
import type { ReceiptContext } from './domain/receipt.ts';
import type { Sale } from './domain/schemas.ts';
import { posErrors } from './errors.ts';
import { posRegister, posSale } from './pos.table.ts';
import { loadSale } from './sale.read.ts';
import { saleTarget } from './sale.service.ts';

/**
 * A receipt to print: the sale and what the header needs. Every print after the first is a
 * reprint: marked REPRINT on the paper and audited (who reprinted which sale, which copy).
 */
export function printReceipt(ctx: ServiceContext, saleId: string, businessName: string, format: string): Promise<{ sale: Sale; context: ReceiptContext }> {
  return withTenantTx(ctx, async (uow) => {
    const [counted] = await uow.tx
      .update(posSale)
      .set({ printCount: sql`${posSale.printCount} + 1` })
      .where(and(eq(posSale.tenantId, ctx.tenantId), eq(posSale.id, saleId)))
      .returning({ printCount: posSale.printCount, registerId: posSale.registerId, locationId: posSale.locationId });
    if (!counted) throw posErrors.saleNotFound();
    const sale = (await loadSale(uow, saleId)) as Sale;
    const [register] = await uow.tx.select({ name: posRegister.name }).from(posRegister).where(and(eq(posRegister.tenantId, ctx.tenantId), eq(posRegister.id, counted.registerId)));
    const location = (await locationsById(uow)).get(counted.locationId);
    const reprint = counted.printCount > 1;
    if (reprint) recordAudit(uow, { action: 'pos.receipt.reprinted', target: saleTarget(saleId), data: { saleNumber: sale.saleNumber, copy: counted.printCount, format } });
    return {
      sale,
      context: { businessName, locationName: location?.name ?? '', timeZone: location?.timeZone ?? (await tenantTimeZone(uow.tx, ctx.tenantId)), registerName: register?.name ?? '', reprint },
    };
  });
}
