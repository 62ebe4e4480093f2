import { fileURLToPath } from 'node:url';
import { defineModule } from '../../kernel/module/index.ts';
import { platformEvents } from './events.ts';
import { bannersFor } from './announcements.service.ts';
import { backupPageRoutes } from './backups.pages.ts';
import { backupApiRoutes } from './backups.routes.ts';
import { billingStateHandler } from './billing-state.job.ts';
import { consolePageRoutes } from './console.pages.ts';
import type { OfferedEdition } from './domain/types.ts';
import { platformApiRoutes } from './platform.routes.ts';
import { signupPageRoutes } from './signup.pages.ts';
import { PLATFORM_CARDS } from './dashboard.cards.ts';

/**
 * The platform console: business sign-up and approval, lifecycle, plans, module toggles, flags,
 * announcements and backups (the backup engine and its jobs are the kernel's, tenancy/backup).
 * Its permissions (platform.*) count only in the platform tenant. The composition passes the
 * editions it serves, which modules may not import.
 */
export function platformModule(editions: readonly OfferedEdition[]) {
  return defineModule({
    id: 'platform',
    title: 'Platform console',
    emits: platformEvents,
    permissions: [
      { key: 'platform.tenant.read', description: 'See every business, its plan, limits, modules and flags' },
      { key: 'platform.tenant.approve', description: 'Approve or reject businesses that signed up' },
      { key: 'platform.tenant.status', description: 'Suspend, resume and close businesses' },
      { key: 'platform.tenant.configure', description: "Assign plans and switch a business's modules and feature flags" },
      // Singular like the other platform.tenant.* keys (the issue wrote platform.tenants.backup/restore).
      { key: 'platform.tenant.backup', description: "Back a business up and download its backup files (all of the business's data)" },
      { key: 'platform.tenant.restore', description: 'Restore a backup into a new business' },
      { key: 'platform.plan.read', description: 'See plans' },
      { key: 'platform.plan.write', description: 'Create and change plans' },
      { key: 'platform.announcement.read', description: 'See announcements and maintenance windows' },
      { key: 'platform.announcement.write', description: 'Publish and withdraw announcements and maintenance windows' },
    ],
    migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
    dashboardCards: PLATFORM_CARDS,
    navigation: [
      { label: 'Businesses', href: '/console/tenants', group: 'platform', permission: 'platform.tenant.read' },
      { label: 'Plans', href: '/console/plans', group: 'platform', permission: 'platform.plan.read' },
      { label: 'Announcements', href: '/console/announcements', group: 'platform', permission: 'platform.announcement.read' },
    ],
    pageBanners: (db, tenant) => bannersFor(db, tenant),
    // Billing's subscription events: the plan follows the subscription, a lapsed one suspends the business.
    eventHandlers: [billingStateHandler(editions)],
    routes: (app, services) => {
      const setup = { editions, declared: services.permissions };
      platformApiRoutes(app, setup);
      backupApiRoutes(app, services.config.backupDir);
      consolePageRoutes(app, setup);
      backupPageRoutes(app, setup, services.config.backupDir);
      signupPageRoutes(app, setup);
    },
  });
}
