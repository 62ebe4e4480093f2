import { fileURLToPath } from 'node:url';
import { defineModule } from '../module/index.ts';
import { webhooksEvents } from './events.ts';
import { webhookRoutes } from './webhook.routes.ts';

/** The webhook inbox: verified provider events, stored once, processed by jobs. */
export const webhooksModule = defineModule({
  id: 'webhooks',
  permissions: [],
  emits: webhooksEvents,
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  routes: (app, { config }) => webhookRoutes(app, config),
});
