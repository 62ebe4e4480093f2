import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * What a route needs before its handler runs: nothing (`public`) or a declared permission
 * (`module.resource.action`). Every route states one; deny by default.
 */
export type AccessPolicy = 'public' | { permission: string };

export interface RoutePolicyEntry {
  method: string;
  url: string;
  access: AccessPolicy | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessPolicy;
  }
  interface FastifyInstance {
    routePolicies: RoutePolicyEntry[];
  }
}

export class RoutePolicyError extends Error {
  constructor(problems: string[]) {
    super(`Routes with a missing or unknown access policy:\n  ${problems.join('\n  ')}`);
    this.name = 'RoutePolicyError';
  }
}

function methods(route: RouteOptions): string[] {
  return Array.isArray(route.method) ? route.method : [route.method];
}

/**
 * Records every route's policy as it is added, and refuses to start when a route has none or
 * names a permission no module declares. Checking at ready time (not in onRoute) lets a plugin
 * scope mark its own routes public after the root hook has seen them.
 */
export function enforceRoutePolicies(app: FastifyInstance, declaredPermissions: () => ReadonlySet<string>): void {
  const seen: { route: RouteOptions }[] = [];
  app.decorate('routePolicies', [] as RoutePolicyEntry[]);
  app.addHook('onRoute', (route) => {
    seen.push({ route });
  });
  app.addHook('onReady', async () => {
    const permissions = declaredPermissions();
    const problems: string[] = [];
    for (const { route } of seen) {
      const access = route.config?.access;
      for (const method of methods(route)) {
        if (method === 'HEAD' && route.config?.access === undefined) continue; // Fastify's implicit HEAD twin of a GET
        app.routePolicies.push({ method, url: route.url, access });
        if (access === undefined) problems.push(`${method} ${route.url}: no access policy`);
        else if (access !== 'public' && !permissions.has(access.permission))
          problems.push(`${method} ${route.url}: permission ${access.permission} is declared by no module`);
      }
    }
    if (problems.length > 0) throw new RoutePolicyError(problems);
  });
}

/** For plugins whose routes we do not write (API docs assets): marks every route they add as public. */
export function markScopePublic(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, access: 'public' };
  });
}
