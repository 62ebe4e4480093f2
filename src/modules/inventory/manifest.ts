import { fileURLToPath } from 'node:url';
import { defineModule } from '../../kernel/module/index.ts';
import { inventoryEvents } from './events.ts';
import { inventoryApiRoutes } from './inventory.routes.ts';
import { inventoryPageRoutes } from './inventory.pages.ts';
import { INVENTORY_CARDS } from './dashboard.cards.ts';

export const inventoryModule = defineModule({
  id: 'inventory',
  title: 'Stock',
  emits: inventoryEvents,
  dependsOn: ['catalog', 'locations'],
  permissions: [
    { key: 'inventory.stock.read', description: 'See stock levels, stock history and low-stock alerts' },
    { key: 'inventory.stock.adjust', description: 'Adjust stock with a reason and set reorder points' },
    { key: 'inventory.stock.receive', description: 'Receive goods into a location' },
    { key: 'inventory.count.manage', description: 'Start, enter, review and post stock counts' },
    { key: 'inventory.transfer.manage', description: 'Create, send, receive and cancel transfers between locations' },
    { key: 'inventory.settings.write', description: 'Change inventory settings (e.g. allow negative stock)' },
  ],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  dashboardCards: INVENTORY_CARDS,
  navigation: [
    { label: 'Stock', href: '/inventory', group: 'catalog', permission: 'inventory.stock.read' },
    { label: 'Stock counts', href: '/inventory/counts', group: 'catalog', permission: 'inventory.count.manage' },
    { label: 'Transfers', href: '/inventory/transfers', group: 'catalog', permission: 'inventory.transfer.manage' },
  ],
  routes: (app) => {
    inventoryApiRoutes(app);
    inventoryPageRoutes(app);
  },
});
