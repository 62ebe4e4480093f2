import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { memberAccess } from '../../access/members.service.ts';
import type { Db } from '../../db/index.ts';
import { disabledModules, tenantTable, withTenantTx, type Tenant } from '../../tenancy/index.ts';
import { AppError } from '../errors.ts';
import type { AccessPolicy } from '../access.ts';

export interface Authorization {
  tenant: Tenant | null;
  permissions: ReadonlySet<string>;
  disabledModules: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();
const ANONYMOUS: Authorization = { tenant: null, permissions: NONE, disabledModules: NONE };

export const denial = {
  signIn: () => new AppError('AUTHN', 'Sign in to continue.'),
  noTenant: () => new AppError('AUTHZ', 'Choose a business to work in first.', { reason: 'NO_ACTIVE_TENANT' }),
  tenantInactive: () => new AppError('AUTHZ', 'This business is not active.', { reason: 'TENANT_INACTIVE' }),
  notMember: () => new AppError('AUTHZ', 'You are not a member of this business.', { reason: 'NOT_A_MEMBER' }),
  moduleDisabled: (moduleId: string) =>
    new AppError('AUTHZ', 'This part of Plinth is switched off for your business.', { reason: 'MODULE_DISABLED', module: moduleId }),
  missing: (permission: string) => new AppError('AUTHZ', 'You do not have permission to do this.', { reason: 'PERMISSION_REQUIRED', permission }),
};

/**
 * Tenant and permissions of the authenticated request, in one tenant transaction: the tenant
 * must be active, the user an active member; their roles' permissions are the set checked.
 */
export async function loadAuthorization(db: Db, tenantId: string, userId: string | null): Promise<Authorization> {
  return withTenantTx({ db, tenantId }, async (tx) => {
    const [tenant] = await tx
      .select({ id: tenantTable.id, slug: tenantTable.slug, name: tenantTable.name, edition: tenantTable.edition, status: tenantTable.status })
      .from(tenantTable)
      .where(eq(tenantTable.id, tenantId))
      .limit(1);
    if (!tenant || tenant.status !== 'active') throw denial.tenantInactive();
    const access = userId ? await memberAccess(tx, tenantId, userId) : undefined;
    if (!access || access.status !== 'active') throw denial.notMember();
    return { tenant, permissions: access.permissions, disabledModules: await disabledModules(tx, tenantId) };
  });
}

/** Applies the route's policy; throws AUTHN/AUTHZ, never reveals whether something exists elsewhere. */
export async function authorize(db: Db, request: FastifyRequest, policy: AccessPolicy): Promise<Authorization> {
  if (policy === 'public') return ANONYMOUS;
  const auth = request.auth;
  if (!auth) throw denial.signIn();
  if (policy === 'authenticated') {
    if (!auth.tenantId) return ANONYMOUS;
    // About oneself: a suspended business or lost membership still lets you see your account.
    return loadAuthorization(db, auth.tenantId, auth.userId).catch(() => ANONYMOUS);
  }
  if (!auth.tenantId) throw denial.noTenant();
  const authorization = await loadAuthorization(db, auth.tenantId, auth.userId);
  const moduleId = request.routeOptions.config.module;
  if (moduleId && authorization.disabledModules.has(moduleId)) throw denial.moduleDisabled(moduleId);
  if (!authorization.permissions.has(policy.permission)) throw denial.missing(policy.permission);
  return authorization;
}
