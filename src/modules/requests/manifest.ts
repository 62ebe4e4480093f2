import { fileURLToPath } from 'node:url';
import { defineModule } from '../../kernel/module/index.ts';
import { requestsEvents } from './events.ts';
import { ACTIVITY_CHANNEL, REQUEST_PERMISSIONS } from './permissions.ts';
import { promotePendingHandler } from './promote.handler.ts';
import { requestsPageRoutes } from './requests.pages.ts';
import { requestsApiRoutes } from './requests.routes.ts';
import type { RequestsDeps } from './requests.service.ts';

/** Requests: members ask for help, others comment and complete; the mutual-aid feed. */
export const requestsModule = defineModule({
  id: 'requests',
  emits: requestsEvents,
  dependsOn: ['community'],
  permissions: [
    { key: REQUEST_PERMISSIONS.read, description: 'See the requests feed and requests with their comments' },
    { key: REQUEST_PERMISSIONS.draft, description: 'Post requests (pending while the sign-in is unverified)' },
    { key: REQUEST_PERMISSIONS.write, description: 'Comment on, complete and reopen requests; change the sharing of your own' },
    { key: REQUEST_PERMISSIONS.moderate, description: "Remove comments and change the sharing of anyone's request or comment" },
  ],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  navigation: [{ label: 'Requests', href: '/requests', group: 'community', permission: REQUEST_PERMISSIONS.read }],
  routes: (app) => {
    app.realtime.defineChannel({ name: ACTIVITY_CHANNEL, permission: REQUEST_PERMISSIONS.read, description: 'New comments and status changes of requests' });
    const deps: RequestsDeps = { realtime: app.realtime };
    requestsApiRoutes(app, deps);
    requestsPageRoutes(app, deps);
  },
  eventHandlers: [promotePendingHandler],
});
