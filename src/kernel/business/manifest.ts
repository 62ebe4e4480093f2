import { defineModule } from '../module/index.ts';
import { settingsPageRoutes } from './settings.pages.ts';
import { settingsRoutes } from './settings.routes.ts';

/** The business's own settings as a kernel module: its time zone (kept on the tenant, see kernel/tenancy). */
export const businessModule = defineModule({
  id: 'business',
  title: 'Business settings',
  permissions: [
    { key: 'business.settings.read', description: "See the business's settings: its time zone" },
    { key: 'business.settings.write', description: "Change the business's settings: its time zone, which moves report days, quiet hours and every time shown" },
  ],
  navigation: [{ label: 'Business', href: '/settings/business', group: 'settings', permission: 'business.settings.read' }],
  routes: (app) => {
    settingsRoutes(app);
    settingsPageRoutes(app);
  },
});
