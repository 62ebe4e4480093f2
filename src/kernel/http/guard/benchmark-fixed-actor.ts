import type { AppInstance, Entitlements } from '../../module/index.ts';
import type { Tenant } from '../../tenancy/index.ts';
import { entitledModulesOf } from './authorize.ts';
import type { Authenticated } from './types.ts';

/** Who every request is, when the guard is replaced for a benchmark: resolved once, up front. */
export interface BenchmarkFixedActor {
  auth: Authenticated;
  tenant: Tenant;
  permissions: ReadonlySet<string>;
}

/**
 * BENCHMARK ONLY (`npm run bench -- guard`). Stands in for the whole guard (helmet, credentials,
 * rate limit, authorization, CSRF) with one hook that stamps fixed values on every request, so the
 * guard's cost can be measured against the same app and handler. It checks nothing: only code can
 * select it (`BuildAppOptions.guard`), never configuration, and a production config refuses it.
 */
export function installBenchmarkFixedActor(app: AppInstance, fixed: BenchmarkFixedActor, entitlements: Entitlements): void {
  // What the guard would stamp for this tenant with no module switched off, resolved once too.
  const entitledModules = entitledModulesOf(entitlements, { tenant: fixed.tenant, disabledModules: new Set() });
  app.decorateRequest('auth', null);
  app.decorateRequest('permissions', null as unknown as ReadonlySet<string>);
  app.decorateRequest('entitledModules', null as unknown as ReadonlySet<string>);
  app.addHook('onRequest', async (request) => {
    request.auth = fixed.auth;
    request.tenant = fixed.tenant;
    request.permissions = fixed.permissions;
    request.entitledModules = entitledModules;
  });
}
