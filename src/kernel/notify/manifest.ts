import { fileURLToPath } from 'node:url';
import { defineModule } from '../module/index.ts';
import { deliveryRoutes } from './deliveries.routes.ts';
import { unsubscribeRoutes } from './unsubscribe.routes.ts';

/** Notifications as a kernel module: the email/SMS outbox, opt-outs, quiet hours and the unsubscribe link. */
export const notifyModule = defineModule({
  id: 'notify',
  permissions: [{ key: 'notify.delivery.read', description: 'See the email and SMS delivery log: what was sent to whom, and what failed' }],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  routes: (app, services) => {
    deliveryRoutes(app);
    unsubscribeRoutes(app, services.rootSecret);
  },
});
