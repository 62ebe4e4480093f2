import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../db/index.ts';
import { appUser } from '../identity/user.table.ts';
import { tenantMemberRole } from './access.table.ts';

/** A role's permissions changed: every holder's API tokens must be re-issued. */
export async function bumpTokenVersionOfRoleHolders(tx: Tx, tenantId: string, roleId: string): Promise<void> {
  const holders = tx
    .select({ userId: tenantMemberRole.userId })
    .from(tenantMemberRole)
    .where(and(eq(tenantMemberRole.tenantId, tenantId), eq(tenantMemberRole.roleId, roleId)));
  await tx.update(appUser).set({ tokenVersion: sql`${appUser.tokenVersion} + 1`, updatedAt: sql`now()` }).where(inArray(appUser.id, holders));
}
