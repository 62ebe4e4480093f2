import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/index.ts';
import type { ServiceContext } from '../context.ts';
import { signOutEverywhere } from '../identity/index.ts';
import { withTenantTx } from '../tenancy/index.ts';
import { tenantMember } from './access.table.ts';
import { memberErrors } from './members.service.ts';

/**
 * An administrator's "sign out everywhere" for one member of their business: the member's token
 * version moves on and every browser session and refresh-token family ends, recorded in the
 * audit log in the same transaction. Anyone who is not a member of this tenant is NOT_FOUND, so
 * the answer never tells whether the id exists elsewhere.
 */
export function signOutMember(ctx: ServiceContext, userId: string): Promise<void> {
  return withTenantTx(ctx, async (uow) => {
    const [member] = await uow.tx
      .select({ status: tenantMember.status })
      .from(tenantMember)
      .where(and(eq(tenantMember.tenantId, ctx.tenantId), eq(tenantMember.userId, userId)))
      .for('update');
    if (!member) throw memberErrors.notFound();
    await signOutEverywhere(uow.tx, userId, 'admin_sign_out');
    recordAudit(uow, { action: 'access.member.signed_out', target: { type: 'access.member', id: userId }, data: { memberStatus: member.status } });
  });
}
