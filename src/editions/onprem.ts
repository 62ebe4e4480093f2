import { defineEdition } from '../kernel/module/index.ts';
import { catalogModule } from '../modules/catalog/index.ts';
import { inventoryModule } from '../modules/inventory/index.ts';
import { locationsModule } from '../modules/locations/index.ts';
import { seedProducts } from './demo-products.ts';
import { ONPREM_ROLE_TEMPLATES } from './roles.ts';

export const onpremEdition = defineEdition({
  id: 'onprem',
  title: 'Single-tenant, offline-first store install',
  modules: [catalogModule, locationsModule, inventoryModule],
  roleTemplates: ONPREM_ROLE_TEMPLATES,
  demo: {
    slug: 'demo-onprem',
    name: '3Plug Store (demo)',
    timeZone: 'Europe/Amsterdam',
    seed: (ctx) =>
      seedProducts(ctx, [
        { name: 'USB-C cable 1 m', sku: 'CBL-USBC-1', priceMinor: 999, costMinor: 350, currency: 'EUR', active: true },
        { name: 'Power strip, 4 sockets', sku: 'PWR-STR-4', priceMinor: 2499, costMinor: 875, currency: 'EUR', active: true },
        { name: 'AA batteries, 8 pack', sku: 'BAT-AA-8', priceMinor: 799, costMinor: 280, currency: 'EUR', active: true },
      ]),
  },
});
