import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * What a route needs before its handler runs: nothing (`public`), any signed-in actor
 * (`authenticated`, for things about oneself), or a declared permission (`module.resource.action`)
 * in the actor's current tenant. Every route states one; deny by default.
 */
export type AccessPolicy = 'public' | 'authenticated' | { permission: string };

/** Request-rate class of a route; `auth` is for credential checks (sign-in, token, PIN). */
export type RateClass = 'auth' | 'read' | 'write';

export interface RoutePolicyEntry {
  method: string;
  url: string;
  access: AccessPolicy | undefined;
  /** The module that registered the route; none for the app's own routes. */
  module?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessPolicy;
    /** Defaults to `read` for GET/HEAD and `write` otherwise. */
    rateClass?: RateClass;
    /**
     * `false` only for public routes whose credential is a signed token in the request itself
     * (one-click unsubscribe): a forged cross-site post cannot carry a valid token, and mailbox
     * providers post without cookies or CSRF tokens.
     */
    csrf?: false;
    /** The module that registered the route (set by the app): for a business not entitled to it, the route looks missing. */
    module?: string;
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
  // The url is read when the route is added: Fastify reuses the options object for a prefix
  // root's trailing-slash twin, so reading it later would record the twin's url twice.
  const seen: { route: RouteOptions; url: string }[] = [];
  app.decorate('routePolicies', [] as RoutePolicyEntry[]);
  app.addHook('onRoute', (route) => {
    seen.push({ route, url: route.url });
  });
  app.addHook('onReady', async () => {
    const permissions = declaredPermissions();
    const problems: string[] = [];
    const getUrls = new Set(seen.filter(({ route }) => methods(route).includes('GET')).map(({ url }) => url));
    for (const { route, url } of seen) {
      const access = route.config?.access;
      for (const method of methods(route)) {
        // Fastify's automatic HEAD twin of a GET shares the GET's handler; the GET is checked.
        if (method === 'HEAD' && access === undefined && getUrls.has(url)) continue;
        const module = route.config?.module;
        app.routePolicies.push({ method, url, access, ...(module ? { module } : {}) });
        if (access === undefined) problems.push(`${method} ${url}: no access policy`);
        else if (route.config?.csrf === false && access !== 'public') problems.push(`${method} ${url}: only public routes may opt out of CSRF checks`);
        else if (typeof access === 'object' && !permissions.has(access.permission))
          problems.push(`${method} ${url}: permission ${access.permission} is declared by no module`);
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
