import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/index.ts';
import { findTenantBySlug, type Tenant } from './tenant.service.ts';

export const TENANT_HEADER = 'x-plinth-tenant';
export const TENANT_COOKIE = 'plinth_tenant';

/**
 * Interim tenant selection until sign-in exists: the API names the tenant in a header, pages in a
 * cookie set by the tenant picker. The security kernel replaces this with the tenant of the
 * signed-in session or token; nothing else reads these names.
 */
export async function resolveTenant(db: Db, request: FastifyRequest): Promise<Tenant | undefined> {
  const header = request.headers[TENANT_HEADER];
  const slug = typeof header === 'string' ? header : request.cookies[TENANT_COOKIE];
  if (!slug || slug.length > 63) return undefined;
  const tenant = await findTenantBySlug(db, slug);
  return tenant?.status === 'active' ? tenant : undefined;
}
