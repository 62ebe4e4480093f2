import { eq } from 'drizzle-orm';
import type { Tx } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { tenantTable, type TenantStatus } from './tenant.table.ts';

/**
 * pending → active (approved) or closed (rejected); active ⇄ suspended (blocks every tenant route
 * and terminal sign-in, keeps the data); active or suspended → closed, which is final.
 */
const NEXT: Record<TenantStatus, readonly TenantStatus[]> = {
  pending: ['active', 'closed'],
  active: ['suspended', 'closed'],
  suspended: ['active', 'closed'],
  closed: [],
};

export const canChangeTenantStatus = (from: TenantStatus, to: TenantStatus): boolean => NEXT[from].includes(to);

export const lifecycleErrors = {
  notFound: () => new AppError('NOT_FOUND', 'Business was not found.', { reason: 'TENANT_NOT_FOUND' }),
  notAllowed: (from: TenantStatus, to: TenantStatus) =>
    new AppError('CONFLICT', `A ${from} business cannot become ${to}.`, { reason: 'TENANT_STATUS_TRANSITION', from, to }),
};

/**
 * Moves a tenant along its lifecycle inside the caller's transaction (which records the audit
 * entry); the row lock makes concurrent changes apply one after the other. Same status: no-op.
 */
export async function changeTenantStatus(tx: Tx, tenantId: string, to: TenantStatus): Promise<{ from: TenantStatus; to: TenantStatus; changed: boolean }> {
  const [current] = await tx.select({ status: tenantTable.status }).from(tenantTable).where(eq(tenantTable.id, tenantId)).for('update');
  if (!current) throw lifecycleErrors.notFound();
  if (current.status === to) return { from: to, to, changed: false };
  if (!canChangeTenantStatus(current.status, to)) throw lifecycleErrors.notAllowed(current.status, to);
  await tx.update(tenantTable).set({ status: to }).where(eq(tenantTable.id, tenantId));
  return { from: current.status, to, changed: true };
}
