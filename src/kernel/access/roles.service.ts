import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { ServiceContext } from '../context.ts';
import type { Db, Tx } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/index.ts';
import { assertPermissionsGrantable } from './grant.ts';
import { scopeReadsTo, withTenantTx, type UnitOfWork } from '../tenancy/index.ts';
import { accessRole, tenantMemberRole } from './access.table.ts';
import { expandPermissions, permissionsFor, type RoleTemplate } from './templates.ts';

export interface Role {
  id: string;
  key: string;
  name: string;
  permissions: string[];
  /** Set for roles that mirror an edition template; those are kept in step with it and are read-only. */
  templateKey: string | null;
  /** Holders must sign in with a second factor (changeable on template roles too: it is a policy, not a permission). */
  requiresTwoStep: boolean;
}

const columns = {
  id: accessRole.id,
  key: accessRole.key,
  name: accessRole.name,
  permissions: accessRole.permissions,
  templateKey: accessRole.templateKey,
  requiresTwoStep: accessRole.requiresTwoStep,
};

const roleTarget = (id: string) => ({ type: 'access.role', id });

export const roleErrors = {
  notFound: () => new AppError('NOT_FOUND', 'Role was not found.', { reason: 'ACCESS_ROLE_NOT_FOUND' }),
  keyTaken: (key: string) => new AppError('CONFLICT', `A role with key ${key} already exists.`, { reason: 'ACCESS_ROLE_KEY_TAKEN', field: 'key' }),
  templateReadOnly: () =>
    new AppError('CONFLICT', 'Roles that come from a template cannot be changed; create a custom role instead.', {
      reason: 'ACCESS_ROLE_TEMPLATE_READ_ONLY',
    }),
};

/**
 * Makes the tenant's template roles match the edition's templates (as expanded against the
 * mounted modules' permissions): new permissions reach e.g. the owner without a data migration.
 * Custom roles are never touched.
 */
export async function syncTemplateRoles(tx: Tx, tenantId: string, templates: readonly RoleTemplate[], declared: ReadonlySet<string>): Promise<void> {
  for (const template of templates) {
    const permissions = expandPermissions(template.permissions, permissionsFor(tenantId, declared), `role template ${template.key}`);
    await tx
      .insert(accessRole)
      .values({ tenantId, key: template.key, name: template.name, permissions, templateKey: template.key, requiresTwoStep: template.requireTwoStep ?? false })
      .onConflictDoUpdate({
        target: [accessRole.tenantId, accessRole.key],
        set: { name: template.name, permissions, templateKey: template.key, updatedAt: sql`now()` },
        setWhere: sql`${accessRole.templateKey} IS NOT NULL`,
      });
  }
}

export function listRoles(ctx: ServiceContext): Promise<Role[]> {
  return withTenantTx(ctx, (uow) => uow.tx.select(columns).from(accessRole).where(eq(accessRole.tenantId, ctx.tenantId)).orderBy(asc(accessRole.name)));
}

export async function rolesByKey(tx: Tx, tenantId: string, keys: readonly string[]): Promise<Role[]> {
  if (keys.length === 0) return [];
  const rows = await tx.select(columns).from(accessRole).where(and(eq(accessRole.tenantId, tenantId), inArray(accessRole.key, [...keys])));
  const missing = keys.filter((key) => !rows.some((row) => row.key === key));
  if (missing.length > 0)
    throw new AppError('VALIDATION', `Unknown role: ${missing.join(', ')}.`, { issues: [{ in: 'body', path: 'roles', message: `unknown role ${missing.join(', ')}` }] });
  return rows;
}

/** The same for roles named by key: the union of their permissions must be the granter's. */
export async function assertGrantable(uow: UnitOfWork<Pick<ServiceContext, 'permissions' | 'tenantId'>>, roleKeys: readonly string[]): Promise<void> {
  const roles = await rolesByKey(uow.tx, uow.tenantId, roleKeys);
  assertPermissionsGrantable(uow, roles.flatMap((role) => role.permissions));
}

export interface CustomRoleInput {
  key: string;
  name: string;
  permissions: string[];
}

export async function createCustomRole(ctx: ServiceContext, input: CustomRoleInput, declared: ReadonlySet<string>): Promise<Role> {
  // An exact platform permission stays in, so that the grant check refuses it out loud.
  const permissions = expandPermissions(input.permissions, declared, 'role', permissionsFor(ctx.tenantId, declared));
  assertPermissionsGrantable(ctx, permissions);
  return withTenantTx(ctx, async (uow) => {
    const [row] = await uow.tx
      .insert(accessRole)
      .values({ tenantId: ctx.tenantId, key: input.key, name: input.name, permissions })
      .onConflictDoNothing()
      .returning(columns);
    if (!row) throw roleErrors.keyTaken(input.key);
    recordAudit(uow, { action: 'access.role.created', target: roleTarget(row.id), data: { key: row.key, name: row.name, permissions } });
    return row;
  });
}

export async function updateCustomRole(
  ctx: ServiceContext,
  roleId: string,
  patch: { name?: string | undefined; permissions?: string[] | undefined },
  declared: ReadonlySet<string>,
  onPrivilegeChange: (tx: Tx, roleId: string) => Promise<void>,
): Promise<Role> {
  const permissions = patch.permissions ? expandPermissions(patch.permissions, declared, 'role', permissionsFor(ctx.tenantId, declared)) : undefined;
  if (permissions) assertPermissionsGrantable(ctx, permissions);
  return withTenantTx(ctx, async (uow) => {
    const [current] = await uow.tx.select(columns).from(accessRole).where(and(eq(accessRole.tenantId, ctx.tenantId), eq(accessRole.id, roleId))).for('update');
    if (!current) throw roleErrors.notFound();
    if (current.templateKey) throw roleErrors.templateReadOnly();
    const [row] = await uow.tx
      .update(accessRole)
      .set({ ...(patch.name ? { name: patch.name } : {}), ...(permissions ? { permissions } : {}), updatedAt: sql`now()` })
      .where(and(eq(accessRole.tenantId, ctx.tenantId), eq(accessRole.id, roleId), isNull(accessRole.templateKey)))
      .returning(columns);
    if (!row) throw roleErrors.notFound();
    if (permissions) await onPrivilegeChange(uow.tx, roleId);
    recordAudit(uow, {
      action: 'access.role.updated',
      target: roleTarget(roleId),
      data: { name: { before: current.name, after: row.name }, permissions: { before: current.permissions, after: row.permissions } },
    });
    return row;
  });
}

/** Makes a role demand two-step sign-in of its holders, or stop demanding it; audited. */
export async function setRoleTwoStep(ctx: ServiceContext, roleId: string, required: boolean): Promise<Role> {
  return withTenantTx(ctx, async (uow) => {
    const [current] = await uow.tx.select(columns).from(accessRole).where(and(eq(accessRole.tenantId, ctx.tenantId), eq(accessRole.id, roleId))).for('update');
    if (!current) throw roleErrors.notFound();
    const [row] = await uow.tx
      .update(accessRole)
      .set({ requiresTwoStep: required, updatedAt: sql`now()` })
      .where(and(eq(accessRole.tenantId, ctx.tenantId), eq(accessRole.id, roleId)))
      .returning(columns);
    if (!row) throw roleErrors.notFound();
    if (current.requiresTwoStep !== required)
      recordAudit(uow, { action: 'access.role.two_step_changed', target: roleTarget(roleId), data: { key: row.key, requiresTwoStep: { before: current.requiresTwoStep, after: required } } });
    return row;
  });
}

/** Whether any of the member's roles in the tenant demands two-step sign-in (read in the tenant's scope). */
export function memberNeedsTwoStep(db: Db, tenantId: string, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await scopeReadsTo(tx, tenantId);
    const [row] = await tx
      .select({ roleId: tenantMemberRole.roleId })
      .from(tenantMemberRole)
      .innerJoin(accessRole, and(eq(accessRole.tenantId, tenantMemberRole.tenantId), eq(accessRole.id, tenantMemberRole.roleId)))
      .where(and(eq(tenantMemberRole.tenantId, tenantId), eq(tenantMemberRole.userId, userId), eq(accessRole.requiresTwoStep, true)))
      .limit(1);
    return Boolean(row);
  });
}
