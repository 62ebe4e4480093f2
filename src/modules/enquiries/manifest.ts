import { fileURLToPath } from 'node:url';
import { defineModule } from '../../kernel/module/index.ts';
import { enquiriesPageRoutes } from './enquiries.pages.ts';
import { enquiriesApiRoutes } from './enquiries.routes.ts';
import { enquiriesEvents } from './events.ts';
import { formClock } from './form-token.ts';
import { ENQUIRY_PERMISSIONS } from './permissions.ts';

/**
 * Enquiries: the public site's enquiry and request-access forms (per business, at
 * /site/<slug>/enquire and /site/<slug>/request-access) and the staff pipeline they feed:
 * new → contacted → qualified → converted, or closed with a reason.
 */
export const enquiriesModule = defineModule({
  id: 'enquiries',
  title: 'Enquiries',
  emits: enquiriesEvents,
  permissions: [
    { key: ENQUIRY_PERMISSIONS.read, description: 'See enquiries and access requests from the public site' },
    { key: ENQUIRY_PERMISSIONS.write, description: 'Take enquiries through the pipeline (contacted, qualified, closed) and hear about new ones' },
  ],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  navigation: [{ label: 'Enquiries', href: '/enquiries', group: 'sell', permission: ENQUIRY_PERMISSIONS.read }],
  routes: (app, services) => {
    enquiriesApiRoutes(app);
    enquiriesPageRoutes(app, formClock(services.rootSecret), services.entitlements);
  },
});
