import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import type { Voucher, VoucherInput } from './domain/schemas.ts';
import { posErrors } from './errors.ts';
import { posVoucher } from './pos.table.ts';

/*
 * Vouchers live in this module for now: a code with a balance, spent as a sale tender under the
 * voucher's row lock and credited back by refunds. A loyalty or gift-card module can replace it
 * behind the same three calls (issueVoucher, spendVoucher, creditVoucher).
 */

type Row = typeof posVoucher.$inferSelect;
const toVoucher = (row: Row): Voucher => ({ id: row.id, code: row.code, currency: row.currency, initialMinor: row.initialMinor, balanceMinor: row.balanceMinor, createdAt: row.createdAt.toISOString() });
const byCode = (ctx: Pick<ServiceContext, 'tenantId'>, code: string) => and(eq(posVoucher.tenantId, ctx.tenantId), sql`upper(${posVoucher.code}) = upper(${code})`);

export function issueVoucher(ctx: ServiceContext, input: VoucherInput): Promise<Voucher> {
  return withTenantTx(ctx, async (uow) => {
    const [row] = await uow.tx
      .insert(posVoucher)
      .values({ tenantId: ctx.tenantId, code: input.code, currency: input.currency, initialMinor: input.amountMinor, balanceMinor: input.amountMinor })
      .onConflictDoNothing()
      .returning();
    if (!row) throw posErrors.voucherCodeTaken();
    recordAudit(uow, { action: 'pos.voucher.issued', target: { type: 'pos.voucher', id: row.id }, data: { currency: row.currency, amountMinor: row.initialMinor } });
    emit(uow, { type: 'pos.voucher.issued', payload: { voucherId: row.id, currency: row.currency, amountMinor: row.initialMinor } });
    return toVoucher(row);
  });
}

/** The voucher with this code (any letter case) inside the caller's transaction, if there is one. */
export async function voucherByCode(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, code: string): Promise<Voucher | undefined> {
  const [row] = await uow.tx.select().from(posVoucher).where(byCode(uow, code)).limit(1);
  return row && toVoucher(row);
}

export async function findVoucher(ctx: ServiceContext, code: string): Promise<Voucher> {
  const voucher = await withTenantTx(ctx, (uow) => voucherByCode(uow, code));
  if (!voucher) throw posErrors.voucherMissing();
  return voucher;
}

/** Takes `amountMinor` off the voucher under its row lock, inside the sale's transaction. */
export async function spendVoucher(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, code: string, currency: string, amountMinor: number): Promise<void> {
  const [row] = await uow.tx.select().from(posVoucher).where(byCode(uow, code)).for('update').limit(1);
  if (!row || row.currency !== currency) throw posErrors.voucherNotFound();
  if (row.balanceMinor < amountMinor) throw posErrors.voucherInsufficient(row.balanceMinor);
  await uow.tx.update(posVoucher).set({ balanceMinor: row.balanceMinor - amountMinor }).where(and(eq(posVoucher.tenantId, uow.tenantId), eq(posVoucher.id, row.id)));
}

/** Gives a refunded amount back to the voucher it was paid with, inside the refund's transaction. */
export async function creditVoucher(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, voucherId: string, amountMinor: number): Promise<void> {
  await uow.tx
    .update(posVoucher)
    .set({ balanceMinor: sql`${posVoucher.balanceMinor} + ${amountMinor}` })
    .where(and(eq(posVoucher.tenantId, uow.tenantId), eq(posVoucher.id, voucherId)));
}
