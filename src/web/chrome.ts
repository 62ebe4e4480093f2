import type { FastifyRequest } from 'fastify';
import type { NavLink } from './layout.tsx';
import '../kernel/http/context.ts';

/** The layout's per-request parts: the tenant shown and the navigation of the mounted modules. */
export function chrome(request: FastifyRequest): { nav: NavLink[]; tenantName: string | undefined } {
  const nav = request.tenant ? request.server.navigation.map(({ label, href }) => ({ label, href })) : [];
  return { nav, tenantName: request.tenant?.name };
}
