import { fileURLToPath } from 'node:url';
import { defineModule } from '../module/index.ts';
import { deliveryPageRoutes, deliveryRoutes } from './deliveries.routes.ts';
import { settingsPageRoutes } from './settings.pages.ts';
import { settingsRoutes } from './settings.routes.ts';
import { smsInboundRoutes } from './sms-inbound.routes.ts';
import { unsubscribeRoutes } from './unsubscribe.routes.ts';

/** Notifications as a kernel module: the email/SMS outbox, opt-outs, quiet hours, settings and the unsubscribe link. */
export const notifyModule = defineModule({
  id: 'notify',
  title: 'Notifications',
  permissions: [
    { key: 'notify.delivery.read', description: 'See the email and SMS delivery log: what was sent to whom, and what failed' },
    { key: 'notify.settings.read', description: "See the business's notification settings: sender name, reply-to, quiet hours, SMS on or off" },
    { key: 'notify.settings.write', description: "Change the business's notification settings" },
  ],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  navigation: [
    { label: 'Notifications', href: '/settings/notifications', group: 'settings', permission: 'notify.settings.read' },
    { label: 'Delivery log', href: '/notify/deliveries', group: 'reports', permission: 'notify.delivery.read' },
  ],
  routes: (app, services) => {
    deliveryRoutes(app);
    deliveryPageRoutes(app);
    settingsRoutes(app);
    settingsPageRoutes(app, services.config);
    smsInboundRoutes(app, services.config);
    unsubscribeRoutes(app, services.rootSecret);
  },
});
