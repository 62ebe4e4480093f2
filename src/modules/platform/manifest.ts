import { fileURLToPath } from 'node:url';
import { defineModule } from '../../kernel/module/index.ts';
import { bannersFor } from './announcements.service.ts';
import { consolePageRoutes } from './console.pages.ts';
import type { OfferedEdition } from './domain/types.ts';
import { platformApiRoutes } from './platform.routes.ts';
import { signupPageRoutes } from './signup.pages.ts';

/**
 * The platform console: business sign-up and approval, lifecycle, plans, module toggles, flags
 * and announcements. Its permissions (platform.*) count only in the platform tenant. The
 * composition passes the editions it serves, which modules may not import.
 */
export function platformModule(editions: readonly OfferedEdition[]) {
  return defineModule({
    id: 'platform',
    permissions: [
      { key: 'platform.tenant.read', description: 'See every business, its plan, limits, modules and flags' },
      { key: 'platform.tenant.approve', description: 'Approve or reject businesses that signed up' },
      { key: 'platform.tenant.status', description: 'Suspend, resume and close businesses' },
      { key: 'platform.tenant.configure', description: "Assign plans and switch a business's modules and feature flags" },
      { key: 'platform.plan.read', description: 'See plans' },
      { key: 'platform.plan.write', description: 'Create and change plans' },
      { key: 'platform.announcement.read', description: 'See announcements and maintenance windows' },
      { key: 'platform.announcement.write', description: 'Publish and withdraw announcements and maintenance windows' },
    ],
    migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
    navigation: [
      { label: 'Businesses', href: '/console/tenants', permission: 'platform.tenant.read' },
      { label: 'Plans', href: '/console/plans', permission: 'platform.plan.read' },
      { label: 'Announcements', href: '/console/announcements', permission: 'platform.announcement.read' },
    ],
    pageBanners: (db, tenant) => bannersFor(db, tenant),
    routes: (app, services) => {
      const setup = { editions, declared: services.permissions };
      platformApiRoutes(app, setup);
      consolePageRoutes(app, setup);
      signupPageRoutes(app, setup);
    },
  });
}
