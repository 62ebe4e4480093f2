import { fileURLToPath } from 'node:url';
import { defineModule } from '../../kernel/module/index.ts';
import { reportsEvents } from './events.ts';
import { exportHandler } from './export.service.ts';
import { salesFactsHandler } from './facts.handler.ts';
import { REPORTS_PERMISSIONS } from './permissions.ts';
import { reportsPageRoutes } from './reports.pages.ts';
import { reportsApiRoutes } from './reports.routes.ts';
import { REPORTS_CARDS } from './dashboard.cards.ts';

export const reportsModule = defineModule({
  id: 'reports',
  title: 'Reports',
  emits: reportsEvents,
  dependsOn: ['catalog', 'locations', 'inventory', 'pos'],
  permissions: [
    { key: REPORTS_PERMISSIONS.salesRead, description: 'See sales reports and closed shifts with their Z reports' },
    { key: REPORTS_PERMISSIONS.stockRead, description: 'See stock valuation (costs only with catalog.product_cost.read)' },
    { key: REPORTS_PERMISSIONS.exportCreate, description: 'Export reports as CSV files and download them' },
  ],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  dashboardCards: REPORTS_CARDS,
  navigation: [{ label: 'Reports', href: '/reports', group: 'reports', permission: REPORTS_PERMISSIONS.salesRead }],
  eventHandlers: [salesFactsHandler, exportHandler],
  routes: (app) => {
    reportsApiRoutes(app);
    reportsPageRoutes(app);
  },
});
