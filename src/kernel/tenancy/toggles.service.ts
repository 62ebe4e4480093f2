import { and, eq, sql } from 'drizzle-orm';
import type { ServiceContext } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { tenantFeatureFlag, tenantModuleToggle } from './toggles.table.ts';
import { withTenantTx } from './tx.ts';

/** Modules switched off for the tenant, read inside the caller's tenant transaction. */
export async function disabledModules(tx: Tx, tenantId: string): Promise<Set<string>> {
  const rows = await tx
    .select({ moduleId: tenantModuleToggle.moduleId })
    .from(tenantModuleToggle)
    .where(and(eq(tenantModuleToggle.tenantId, tenantId), eq(tenantModuleToggle.enabled, false)));
  return new Set(rows.map((row) => row.moduleId));
}

export function setModuleEnabled(ctx: ServiceContext, moduleId: string, enabled: boolean): Promise<void> {
  return withTenantTx(ctx, async (uow) => {
    await uow.tx
      .insert(tenantModuleToggle)
      .values({ tenantId: ctx.tenantId, moduleId, enabled })
      .onConflictDoUpdate({ target: [tenantModuleToggle.tenantId, tenantModuleToggle.moduleId], set: { enabled, updatedAt: sql`now()` } });
  });
}

export function isFeatureEnabled(ctx: ServiceContext, flag: string): Promise<boolean> {
  return withTenantTx(ctx, async (uow) => {
    const [row] = await uow.tx
      .select({ enabled: tenantFeatureFlag.enabled })
      .from(tenantFeatureFlag)
      .where(and(eq(tenantFeatureFlag.tenantId, ctx.tenantId), eq(tenantFeatureFlag.flag, flag)));
    return row?.enabled ?? false;
  });
}

export function setFeatureFlag(ctx: ServiceContext, flag: string, enabled: boolean): Promise<void> {
  return withTenantTx(ctx, async (uow) => {
    await uow.tx
      .insert(tenantFeatureFlag)
      .values({ tenantId: ctx.tenantId, flag, enabled })
      .onConflictDoUpdate({ target: [tenantFeatureFlag.tenantId, tenantFeatureFlag.flag], set: { enabled, updatedAt: sql`now()` } });
  });
}
