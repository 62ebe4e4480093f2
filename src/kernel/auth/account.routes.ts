import type { IdentityKeys, SessionPolicy } from '../identity/index.ts';
import type { AppInstance } from '../module/index.ts';
import { accountPages } from './account.pages.ts';
import { securityPages } from './security.pages.ts';
import { sessionPages } from './sessions.pages.ts';
import { sessionRoutes } from './sessions.routes.ts';

/** The signed-in person's own account: overview and tenant switch, sessions (pages and API), two-step sign-in. */
export function accountRoutes(app: AppInstance, keys: IdentityKeys, policy: SessionPolicy): void {
  accountPages(app, policy);
  sessionPages(app);
  sessionRoutes(app);
  securityPages(app, keys, policy);
}
