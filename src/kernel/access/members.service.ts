import { and, asc, eq, sql } from 'drizzle-orm';
import type { ServiceContext } from '../context.ts';
import type { Db, Tx } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { appUser } from '../identity/user.table.ts';
import { assertRoomFor, scopeReadsTo, tenantTable, withTenantTx } from '../tenancy/index.ts';
import { recordAudit } from '../audit/index.ts';
import { assertPermissionsGrantable } from './grant.ts';
import { accessRole, tenantMember, tenantMemberRole, type MemberStatus } from './access.table.ts';
import { assertGrantable, rolesByKey } from './roles.service.ts';

export interface MemberAccess {
  status: MemberStatus;
  roleKeys: string[];
  /** What the member may do now: their roles' permissions while active, none while suspended. */
  permissions: Set<string>;
  /** Their roles' permissions whatever the status (what changing them would touch). */
  rolePermissions: Set<string>;
}

export interface Member {
  userId: string;
  email: string;
  displayName: string;
  status: MemberStatus;
  roleKeys: string[];
}

const memberTarget = (userId: string) => ({ type: 'access.member', id: userId });

export const memberErrors = {
  notFound: () => new AppError('NOT_FOUND', 'Member was not found.', { reason: 'ACCESS_MEMBER_NOT_FOUND' }),
  lastOwner: () =>
    new AppError('CONFLICT', 'The business must keep at least one active owner.', { reason: 'ACCESS_LAST_OWNER' }),
};

/** Every API token of the user dies at its next use; browser sessions re-read permissions anyway. */
export async function bumpTokenVersionInTx(tx: Tx, userId: string): Promise<void> {
  await tx.update(appUser).set({ tokenVersion: sql`${appUser.tokenVersion} + 1`, updatedAt: sql`now()` }).where(eq(appUser.id, userId));
}

/** The member's status, roles and the union of their permissions; undefined when not a member. Runs in the caller's tenant transaction. */
export async function memberAccess(tx: Tx, tenantId: string, userId: string): Promise<MemberAccess | undefined> {
  const rows = await tx
    .select({ status: tenantMember.status, roleKey: accessRole.key, permissions: accessRole.permissions })
    .from(tenantMember)
    .leftJoin(tenantMemberRole, and(eq(tenantMemberRole.tenantId, tenantMember.tenantId), eq(tenantMemberRole.userId, tenantMember.userId)))
    .leftJoin(accessRole, and(eq(accessRole.tenantId, tenantMemberRole.tenantId), eq(accessRole.id, tenantMemberRole.roleId)))
    .where(and(eq(tenantMember.tenantId, tenantId), eq(tenantMember.userId, userId)));
  const first = rows[0];
  if (!first) return undefined;
  const permissions = new Set<string>();
  const roleKeys: string[] = [];
  for (const row of rows) {
    if (row.roleKey) roleKeys.push(row.roleKey);
    row.permissions?.forEach((permission) => permissions.add(permission));
  }
  return { status: first.status, roleKeys: roleKeys.sort(), permissions: first.status === 'active' ? permissions : new Set(), rolePermissions: permissions };
}

/**
 * Why the user's credentials for the tenant must end — `member_suspended`, or `member_removed`
 * when they are no member (any more) — or null while they are an active member. Scopes the
 * caller's transaction to the tenant (a refresh-token trade: see RefreshAdmission).
 */
export async function membershipRefusal(tx: Tx, family: { userId: string; tenantId: string }): Promise<'member_suspended' | 'member_removed' | null> {
  await scopeReadsTo(tx, family.tenantId);
  const [member] = await tx
    .select({ status: tenantMember.status })
    .from(tenantMember)
    .where(and(eq(tenantMember.tenantId, family.tenantId), eq(tenantMember.userId, family.userId)));
  if (!member) return 'member_removed';
  return member.status === 'active' ? null : 'member_suspended';
}

async function ownersLeft(tx: Tx, tenantId: string, excludingUserId: string): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(tenantMemberRole)
    .innerJoin(accessRole, and(eq(accessRole.tenantId, tenantMemberRole.tenantId), eq(accessRole.id, tenantMemberRole.roleId)))
    .innerJoin(tenantMember, and(eq(tenantMember.tenantId, tenantMemberRole.tenantId), eq(tenantMember.userId, tenantMemberRole.userId)))
    .where(
      and(
        eq(tenantMemberRole.tenantId, tenantId),
        eq(accessRole.key, 'owner'),
        eq(tenantMember.status, 'active'),
        sql`${tenantMemberRole.userId} <> ${excludingUserId}`,
      ),
    );
  return row?.count ?? 0;
}

/** How many active members the tenant has (what the `members` plan limit counts). */
export async function activeMemberCount(tx: Tx, tenantId: string): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(tenantMember)
    .where(and(eq(tenantMember.tenantId, tenantId), eq(tenantMember.status, 'active')));
  return row?.count ?? 0;
}

/** Adds (or re-activates) a member with exactly these roles, in the caller's tenant transaction. */
export async function putMember(tx: Tx, tenantId: string, userId: string, roleKeys: readonly string[]): Promise<void> {
  const roles = await rolesByKey(tx, tenantId, roleKeys);
  await tx
    .insert(tenantMember)
    .values({ tenantId, userId, status: 'active' })
    .onConflictDoUpdate({ target: [tenantMember.tenantId, tenantMember.userId], set: { status: 'active' } });
  await tx.delete(tenantMemberRole).where(and(eq(tenantMemberRole.tenantId, tenantId), eq(tenantMemberRole.userId, userId)));
  if (roles.length > 0) await tx.insert(tenantMemberRole).values(roles.map((role) => ({ tenantId, userId, roleId: role.id })));
}

export function setMemberRoles(ctx: ServiceContext, userId: string, roleKeys: readonly string[]): Promise<MemberAccess> {
  return withTenantTx(ctx, async (uow) => {
    const current = await uow.tx
      .select({ userId: tenantMember.userId })
      .from(tenantMember)
      .where(and(eq(tenantMember.tenantId, ctx.tenantId), eq(tenantMember.userId, userId)))
      .for('update');
    if (current.length === 0) throw memberErrors.notFound();
    const before = await memberAccess(uow.tx, ctx.tenantId, userId);
    // Neither hand out nor take away more than one holds: a manager cannot demote an owner.
    assertPermissionsGrantable(ctx, before?.rolePermissions ?? []);
    await assertGrantable(uow, roleKeys);
    if (!roleKeys.includes('owner') && (await ownersLeft(uow.tx, ctx.tenantId, userId)) === 0) throw memberErrors.lastOwner();
    await putMember(uow.tx, ctx.tenantId, userId, roleKeys);
    await bumpTokenVersionInTx(uow.tx, userId);
    const after = (await memberAccess(uow.tx, ctx.tenantId, userId)) as MemberAccess;
    recordAudit(uow, { action: 'access.member.roles_changed', target: memberTarget(userId), data: { roleKeys: { before: before?.roleKeys ?? [], after: after.roleKeys } } });
    return after;
  });
}

export function setMemberStatus(ctx: ServiceContext, userId: string, status: MemberStatus): Promise<void> {
  return withTenantTx(ctx, async (uow) => {
    const access = await memberAccess(uow.tx, ctx.tenantId, userId);
    if (access) assertPermissionsGrantable(ctx, access.rolePermissions);
    if (status !== 'active' && access?.roleKeys.includes('owner') && (await ownersLeft(uow.tx, ctx.tenantId, userId)) === 0) throw memberErrors.lastOwner();
    const updated = await uow.tx
      .update(tenantMember)
      .set({ status })
      .where(and(eq(tenantMember.tenantId, ctx.tenantId), eq(tenantMember.userId, userId)))
      .returning({ userId: tenantMember.userId });
    if (updated.length === 0) throw memberErrors.notFound();
    if (status === 'active') await assertRoomFor(uow.tx, ctx.tenantId, 'members', () => activeMemberCount(uow.tx, ctx.tenantId));
    await bumpTokenVersionInTx(uow.tx, userId);
    recordAudit(uow, { action: `access.member.${status === 'active' ? 'reactivated' : 'suspended'}`, target: memberTarget(userId), data: { status } });
  });
}

export function listMembers(ctx: ServiceContext): Promise<Member[]> {
  return withTenantTx(ctx, async (uow) => {
    const rows = await uow.tx
      .select({
        userId: tenantMember.userId,
        email: appUser.email,
        displayName: appUser.displayName,
        status: tenantMember.status,
        roleKeys: sql<string[]>`coalesce(array_agg(${accessRole.key} ORDER BY ${accessRole.key}) FILTER (WHERE ${accessRole.key} IS NOT NULL), '{}')`,
      })
      .from(tenantMember)
      .innerJoin(appUser, eq(appUser.id, tenantMember.userId))
      .leftJoin(tenantMemberRole, and(eq(tenantMemberRole.tenantId, tenantMember.tenantId), eq(tenantMemberRole.userId, tenantMember.userId)))
      .leftJoin(accessRole, and(eq(accessRole.tenantId, tenantMemberRole.tenantId), eq(accessRole.id, tenantMemberRole.roleId)))
      .where(eq(tenantMember.tenantId, ctx.tenantId))
      .groupBy(tenantMember.userId, appUser.email, appUser.displayName, tenantMember.status)
      .orderBy(asc(appUser.displayName));
    return rows;
  });
}

export interface Membership {
  tenantId: string;
  slug: string;
  name: string;
  edition: string;
}

/**
 * The active tenants the user is an active member of, across tenants: read through the
 * tenant_member_self_read policy (app.user_id), since no single tenant scope covers them.
 */
export function userMemberships(db: Db, userId: string): Promise<Membership[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('app.user_id', ${userId}, true)`);
    return tx
      .select({ tenantId: tenantTable.id, slug: tenantTable.slug, name: tenantTable.name, edition: tenantTable.edition })
      .from(tenantMember)
      .innerJoin(tenantTable, eq(tenantTable.id, tenantMember.tenantId))
      .where(and(eq(tenantMember.userId, userId), eq(tenantMember.status, 'active'), eq(tenantTable.status, 'active')))
      .orderBy(asc(tenantTable.name));
  });
}
