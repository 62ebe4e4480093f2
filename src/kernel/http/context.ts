import type { FastifyRequest } from 'fastify';
import './guard/index.ts';
import type { ServiceContext } from '../context.ts';
import type { Db } from '../db/index.ts';
import type { DashboardCard, NavigationItem, PageBanner } from '../module/index.ts';
import { AppError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    /** Navigation entries of the mounted modules, for page layouts. */
    navigation: readonly NavigationItem[];
    /** Dashboard cards of the mounted modules, each with the module that contributes it. */
    dashboardCards: readonly (DashboardCard & { module: string })[];
  }
  interface FastifyRequest {
    /** Banners the mounted modules show on this tenant's pages; null unless a page of a tenant was asked for. */
    pageBanners: readonly PageBanner[] | null;
  }
}

/** The use-case context of a request the guard has let through to a tenant-scoped route. */
export function serviceContext(request: FastifyRequest): ServiceContext {
  if (!request.tenant || !request.auth) throw new AppError('AUTHN', 'Sign in and choose a business to continue.');
  return { db: request.server.db, tenantId: request.tenant.id, actor: request.auth.actor, requestId: request.id, log: request.log, permissions: request.permissions };
}
