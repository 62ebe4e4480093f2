import { and, eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { accessRole, tenantMember, tenantMemberRole } from '../../access/access.table.ts';
import type { Db } from '../../db/index.ts';
import type { Entitlements } from '../../module/index.ts';
import { isPlatformPermission } from '../../access/templates.ts';
import { PLATFORM_TENANT_ID, tenantModuleToggle, tenantTable, withTenantTx, type Tenant } from '../../tenancy/index.ts';
import { AppError } from '../../errors.ts';
import type { AccessPolicy } from '../access.ts';
import type { Authenticated } from './types.ts';

export interface Authorization {
  tenant: Tenant | null;
  permissions: ReadonlySet<string>;
  /** The modules the tenant may use (its edition's, less those switched off); empty without a tenant. */
  entitledModules: ReadonlySet<string>;
}

/** What loadAuthorization reads of a member in a tenant, at the tenant's access_version (read in the same statement). */
export interface MemberAccess {
  tenant: Tenant;
  permissions: ReadonlySet<string>;
  disabledModules: ReadonlySet<string>;
  accessVersion: number;
}

const NONE: ReadonlySet<string> = new Set();
const ANONYMOUS: Authorization = { tenant: null, permissions: NONE, entitledModules: NONE };

/**
 * A route of a module the tenant may not use: the guard answers it exactly as a route that does
 * not exist, so nothing tells a business what other editions or plans have.
 */
export class NotEntitled extends Error {
  constructor(readonly moduleId: string) {
    super(`module ${moduleId} is not entitled`);
    this.name = 'NotEntitled';
  }
}

export const denial = {
  signIn: () => new AppError('AUTHN', 'Sign in to continue.'),
  noTenant: () => new AppError('AUTHZ', 'Choose a business to work in first.', { reason: 'NO_ACTIVE_TENANT' }),
  tenantInactive: () => new AppError('AUTHZ', 'This business is not active.', { reason: 'TENANT_INACTIVE' }),
  notMember: () => new AppError('AUTHZ', 'You are not a member of this business.', { reason: 'NOT_A_MEMBER' }),
  missing: (permission: string) => new AppError('AUTHZ', 'You do not have permission to do this.', { reason: 'PERMISSION_REQUIRED', permission }),
};

/**
 * Tenant and permissions of the authenticated request, in one tenant transaction: the tenant
 * must be active, the user an active member; their roles' permissions are the set checked.
 * One statement reads the tenant, the membership, the union of the member's role permissions
 * (as memberAccess computes it) and the modules switched off: it runs on every guarded request,
 * so it reads live rows (a suspension or role change counts at once) in as few round trips as
 * the tenant transaction allows.
 */
export async function loadAuthorization(db: Db, tenantId: string, userId: string | null): Promise<MemberAccess> {
  return withTenantTx({ db, tenantId }, async (uow) => {
    const [row] = await uow.tx
      .select({
        tenant: { id: tenantTable.id, slug: tenantTable.slug, name: tenantTable.name, edition: tenantTable.edition, status: tenantTable.status, timeZone: tenantTable.timeZone },
        accessVersion: tenantTable.accessVersion,
        memberStatus: tenantMember.status,
        permissions: sql<string[] | null>`(
          SELECT array_agg(granted) FROM ${tenantMemberRole}
          JOIN ${accessRole} ON ${accessRole.tenantId} = ${tenantMemberRole.tenantId} AND ${accessRole.id} = ${tenantMemberRole.roleId}
          CROSS JOIN LATERAL unnest(${accessRole.permissions}) AS granted
          WHERE ${tenantMemberRole.tenantId} = ${tenantTable.id} AND ${tenantMemberRole.userId} = ${tenantMember.userId})`,
        disabledModules: sql<string[] | null>`(
          SELECT array_agg(${tenantModuleToggle.moduleId}) FROM ${tenantModuleToggle}
          WHERE ${tenantModuleToggle.tenantId} = ${tenantTable.id} AND NOT ${tenantModuleToggle.enabled})`,
      })
      .from(tenantTable)
      .leftJoin(tenantMember, and(eq(tenantMember.tenantId, tenantTable.id), userId ? eq(tenantMember.userId, userId) : sql`false`))
      .where(eq(tenantTable.id, tenantId))
      .limit(1);
    if (!row || row.tenant.status !== 'active') throw denial.tenantInactive();
    if (row.memberStatus !== 'active') throw denial.notMember();
    return { tenant: row.tenant, permissions: new Set(row.permissions), disabledModules: new Set(row.disabledModules), accessVersion: row.accessVersion };
  });
}

/** The modules the member's tenant may use, as the guard and the realtime gateway check them. */
export function entitledModulesOf(entitlements: Entitlements, access: Pick<MemberAccess, 'tenant' | 'disabledModules'>): ReadonlySet<string> {
  // The platform's own tenant runs the console over every edition, including the platform.* routes of edition modules (support's inbox).
  return access.tenant.id === PLATFORM_TENANT_ID ? entitlements.all : entitlements.of(access.tenant.edition, access.disabledModules);
}

export interface Authorizer {
  /**
   * Applies the route's policy; throws AUTHN/AUTHZ, or NotEntitled for a route of a module the
   * tenant may not use (checked before the permission); never reveals whether something exists elsewhere.
   */
  authorize(request: FastifyRequest, policy: AccessPolicy): Promise<Authorization>;
  /**
   * For the app shell of a page whose route did not load the tenant (public pages, error and
   * not-found pages): the signed-in member's tenant, permissions and modules, or none. Grants nothing:
   * it only decides what the navigation shows.
   */
  forPage(request: FastifyRequest): Promise<Authorization>;
}

/**
 * The guard's authorization step. A member's permissions are cached per tenant and user, and a
 * cached entry is used only while the tenant's access_version — read with the credential, in
 * the credential's own query — still equals the version the entry was loaded at. Every change
 * that decides access moves that version on by trigger in its own transaction, so a role
 * change, suspension or module switch counts on the very next request, on every node, while an
 * unchanged tenant costs no extra round trip.
 */
export function createAuthorizer(db: Db, entitlements: Entitlements, cacheEntries = 10_000): Authorizer {
  const cache = new LRUCache<string, Authorization & { accessVersion: number }>({ max: cacheEntries });

  async function current(auth: Authenticated, tenantId: string): Promise<Authorization> {
    const state = auth.tenantState;
    if (state && state.status !== 'active') throw denial.tenantInactive();
    const key = `${tenantId}:${auth.userId ?? ''}`;
    const cached = state ? cache.get(key) : undefined;
    if (cached && state && cached.accessVersion === state.accessVersion) return cached;
    const access = await loadAuthorization(db, tenantId, auth.userId);
    const loaded = { tenant: access.tenant, permissions: access.permissions, entitledModules: entitledModulesOf(entitlements, access), accessVersion: access.accessVersion };
    cache.set(key, loaded);
    return loaded;
  }

  return {
    async forPage(request) {
      const auth = request.auth;
      if (request.tenant || !auth?.tenantId) return { tenant: request.tenant, permissions: request.permissions, entitledModules: request.entitledModules };
      return current(auth, auth.tenantId).catch(() => ANONYMOUS);
    },
    async authorize(request, policy) {
      if (policy === 'public') return ANONYMOUS;
      const auth = request.auth;
      if (!auth) throw denial.signIn();
      const moduleId = request.routeOptions.config.module;
      const entitled = (authorization: Authorization) => {
        if (moduleId && authorization.tenant && !authorization.entitledModules.has(moduleId)) throw new NotEntitled(moduleId);
        return authorization;
      };
      if (policy === 'authenticated') {
        if (!auth.tenantId) return ANONYMOUS;
        // About oneself: a suspended business or lost membership still lets you see your account.
        return entitled(await current(auth, auth.tenantId).catch(() => ANONYMOUS));
      }
      if (!auth.tenantId) throw denial.noTenant();
      // Whatever a role row says: platform permissions count in the platform tenant only.
      if (isPlatformPermission(policy.permission) && auth.tenantId !== PLATFORM_TENANT_ID) throw denial.missing(policy.permission);
      const authorization = entitled(await current(auth, auth.tenantId));
      if (!authorization.permissions.has(policy.permission)) throw denial.missing(policy.permission);
      return authorization;
    },
  };
}
