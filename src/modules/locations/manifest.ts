import { fileURLToPath } from 'node:url';
import { defineModule } from '../../kernel/module/index.ts';
import { locationApiRoutes } from './location.routes.ts';
import { locationPageRoutes } from './location.pages.ts';

export const locationsModule = defineModule({
  id: 'locations',
  title: 'Locations',
  permissions: [
    { key: 'locations.location.read', description: 'See the business’s shops and warehouses' },
    { key: 'locations.location.write', description: 'Create, change, archive and restore shops and warehouses' },
  ],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  navigation: [{ label: 'Locations', href: '/locations', group: 'settings', permission: 'locations.location.read' }],
  routes: (app) => {
    locationApiRoutes(app);
    locationPageRoutes(app);
  },
});
