import type { AppInstance, Entitlements } from '../../kernel/module/index.ts';
import { credentialTrust } from './credentials.service.ts';
import { communityErrors } from './errors.ts';

/** Held by a sign-in awaiting verification, and by nothing else: given by the gate, never by a role (the gate takes it from a trusted sign-in). */
export const SIGN_IN_PENDING = 'community.signin.pending';

/**
 * The half-authenticated state, as a step after the kernel's guard: in a community, a sign-in
 * whose credential is not trusted yet keeps only the draft permissions (plus SIGN_IN_PENDING,
 * which shows the "Verify sign-in" link), so the navigation shrinks with it, and a route needing
 * any other permission is refused. The guard stays unaware of communities; only communities
 * (businesses of an edition with this module, not the platform console, which may use every
 * module) pay the extra lookup.
 */
export function installSignInGate(app: AppInstance, entitlements: Entitlements, draftPermissions: ReadonlySet<string>): void {
  const NONE: ReadonlySet<string> = new Set();
  app.addHook('onRequest', async (request) => {
    const { auth, tenant } = request;
    if (!auth || !tenant || !request.entitledModules.has('community') || !entitlements.of(tenant.edition, NONE).has('community')) return;
    const state = await credentialTrust(app.db, tenant.id, auth.actor, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    if (state === 'trusted') {
      if (request.permissions.has(SIGN_IN_PENDING)) request.permissions = new Set([...request.permissions].filter((permission) => permission !== SIGN_IN_PENDING));
      return;
    }
    request.permissions = new Set([...[...request.permissions].filter((permission) => draftPermissions.has(permission)), SIGN_IN_PENDING]);
    const policy = request.routeOptions.config.access;
    if (typeof policy === 'object' && !request.permissions.has(policy.permission)) throw communityErrors.unverified();
  });
}
