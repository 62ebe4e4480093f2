import type { FastifyRequest } from 'fastify';
import type { NavigationItem } from '../kernel/module/index.ts';
import type { NavLink } from './layout.tsx';

declare module 'fastify' {
  interface FastifyInstance {
    navigation: readonly NavigationItem[];
  }
}

/** The layout's per-request parts: the tenant shown and the navigation of the mounted modules. */
export function chrome(request: FastifyRequest): { nav: NavLink[]; tenantName: string | undefined } {
  const nav = request.tenant ? request.server.navigation.map(({ label, href }) => ({ label, href })) : [];
  return { nav, tenantName: request.tenant?.name };
}
