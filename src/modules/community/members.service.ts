import { putMember } from '../../kernel/access/index.ts';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { withTenantTx } from '../../kernel/tenancy/index.ts';
import { communityMember } from './community.table.ts';

/**
 * Seats a person as an approved member with these roles and a username, without an invite (the
 * founding members of a community, its demo). A second call keeps the first username.
 */
export async function addMemberDirectly(ctx: ServiceContext, input: { userId: string; username: string; roleKeys: readonly string[] }): Promise<void> {
  await withTenantTx(ctx, async (uow) => {
    await putMember(uow.tx, ctx.tenantId, input.userId, input.roleKeys);
    const [seated] = await uow.tx
      .insert(communityMember)
      .values({ tenantId: ctx.tenantId, userId: input.userId, username: input.username, approvedAt: new Date() })
      .onConflictDoNothing()
      .returning({ userId: communityMember.userId });
    if (seated) recordAudit(uow, { action: 'community.member.added', target: { type: 'community.member', id: input.userId }, data: { username: input.username, roleKeys: input.roleKeys } });
  });
}
