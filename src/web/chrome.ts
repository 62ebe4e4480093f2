import type { FastifyReply, FastifyRequest } from 'fastify';
import type { NavLink } from './layout.tsx';
import '../kernel/http/context.ts';

export interface Chrome {
  nav: NavLink[];
  tenantName: string | undefined;
  signedIn: boolean;
  /** Goes into every form as `_csrf`; bound to the browser session. */
  csrfToken: string;
}

/** The layout's per-request parts: navigation the actor may use, the tenant shown, the CSRF token. */
export function chrome(request: FastifyRequest, reply: FastifyReply): Chrome {
  const nav = request.server.navigation
    .filter((item) => request.permissions.has(item.permission) && (!item.module || request.entitledModules.has(item.module)))
    .map(({ label, href }) => ({ label, href }));
  return {
    nav,
    tenantName: request.tenant?.name,
    signedIn: request.auth !== null,
    csrfToken: reply.generateCsrf({ userInfo: request.auth?.sessionId ?? 'anonymous' }),
  };
}
