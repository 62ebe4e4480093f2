import { fileURLToPath } from 'node:url';
import { defineModule } from '../../kernel/module/index.ts';
import { supportEvents } from './events.ts';
import { acceptMultipart } from './multipart.ts';
import { slaSchedule } from './sla.job.ts';
import { storageFromConfig } from './storage/index.ts';
import { supportPageRoutes } from './support.pages.ts';
import { supportApiRoutes } from './support.routes.ts';
import type { SupportDeps } from './ticket.rows.ts';
import { SUPPORT_CARDS } from './dashboard.cards.ts';

/**
 * Support: tickets between a business and platform staff. `support.ticket.*` is the business's
 * side; `platform.support.*` is platform staff's, which exists only in the platform tenant (no
 * other tenant's role can hold it and the guard refuses it elsewhere); every staff use case
 * checks the platform tenant as well.
 */
export const supportModule = defineModule({
  id: 'support',
  title: 'Support',
  emits: supportEvents,
  permissions: [
    { key: 'support.ticket.read', description: "See the business's support tickets and download their files" },
    { key: 'support.ticket.write', description: 'Open support tickets, reply to them, close and reopen them' },
    { key: 'platform.support.read', description: 'Platform staff: see every business’s support tickets, internal notes included' },
    { key: 'platform.support.write', description: 'Platform staff: answer support tickets, write internal notes, assign tickets and change their status' },
  ],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  dashboardCards: SUPPORT_CARDS,
  navigation: [
    { label: 'Support', href: '/support', group: 'settings', permission: 'support.ticket.read' },
    // Only platform staff hold platform.support.read, so only they see the inbox link.
    { label: 'Support inbox', href: '/console/support', group: 'platform', permission: 'platform.support.read' },
  ],
  routes: (app, services) => {
    const deps: SupportDeps = { storage: storageFromConfig(services.config), maxAttachmentBytes: services.config.attachments.maxBytes };
    acceptMultipart(app, { maxFileBytes: deps.maxAttachmentBytes });
    supportApiRoutes(app, deps);
    supportPageRoutes(app, deps);
  },
  schedules: [slaSchedule],
});
