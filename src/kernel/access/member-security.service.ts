import type { ServiceContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { issueTemporaryPassword, listSessions, type Session } from '../identity/index.ts';
import { withTenantTx, type UnitOfWork } from '../tenancy/index.ts';
import { assertPermissionsGrantable } from './grant.ts';
import { memberAccess, memberErrors } from './members.service.ts';

export const memberSecurityErrors = {
  self: () => new AppError('CONFLICT', 'Change your own password from your account page.', { reason: 'ACCESS_RESET_SELF' }),
};

/** The member must exist here; acting on their sign-in needs every permission they hold (no resetting a super admin's password from below). */
async function assertMayActOn(uow: UnitOfWork<Pick<ServiceContext, 'permissions' | 'tenantId'>>, userId: string): Promise<void> {
  const access = await memberAccess(uow.tx, uow.tenantId, userId);
  if (!access) throw memberErrors.notFound();
  assertPermissionsGrantable(uow, access.rolePermissions);
}

/**
 * Administrator-driven password reset, without email: a one-time temporary password that signs in
 * only to choose a new one; every session and token of the person ends. Audited (never the password).
 */
export function issueMemberTemporaryPassword(ctx: ServiceContext, userId: string): Promise<string> {
  return withTenantTx(ctx, async (uow) => {
    if ((ctx.actor.kind === 'user' || ctx.actor.kind === 'api') && ctx.actor.userId === userId) throw memberSecurityErrors.self();
    await assertMayActOn(uow, userId);
    const password = await issueTemporaryPassword(uow.tx, userId);
    recordAudit(uow, { action: 'access.member.temporary_password_issued', target: { type: 'access.member', id: userId }, data: { sessionsEnded: true, mustChange: true } });
    return password;
  });
}

/** The member's live browser sessions in this business (sessions elsewhere are not this business's to see), oldest first. */
export function listMemberSessions(ctx: ServiceContext, userId: string): Promise<Session[]> {
  return withTenantTx(ctx, async (uow) => {
    if (!(await memberAccess(uow.tx, uow.tenantId, userId))) throw memberErrors.notFound();
    return (await listSessions(uow.tx, userId)).filter((session) => session.activeTenantId === ctx.tenantId);
  });
}
