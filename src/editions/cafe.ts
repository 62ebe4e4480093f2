import { defineEdition } from '../kernel/module/index.ts';
import { catalogModule } from '../modules/catalog/index.ts';
import { supportModule } from '../modules/support/index.ts';
import { inventoryModule } from '../modules/inventory/index.ts';
import { locationsModule } from '../modules/locations/index.ts';
import { seedProducts } from './demo-products.ts';
import { STORE_ROLE_TEMPLATES } from './roles.ts';

export const cafeEdition = defineEdition({
  id: 'cafe',
  title: 'Café and parcel room',
  modules: [catalogModule, locationsModule, inventoryModule, supportModule],
  roleTemplates: STORE_ROLE_TEMPLATES,
  demo: {
    slug: 'demo-cafe',
    name: 'BrewHub Café (demo)',
    timeZone: 'America/New_York',
    seed: (ctx) =>
      seedProducts(ctx, [
        { name: 'Espresso', sku: 'COF-ESP', priceMinor: 275, costMinor: 96, currency: 'USD', active: true },
        { name: 'Flat white', sku: 'COF-FLW', priceMinor: 425, costMinor: 149, currency: 'USD', active: true },
        { name: 'Oat milk latte', sku: 'COF-LAT-OAT', priceMinor: 495, costMinor: 173, currency: 'USD', active: true },
        { name: 'Butter croissant', sku: 'BAK-CRO', priceMinor: 350, costMinor: 122, currency: 'USD', active: true },
        { name: 'House beans 340 g', sku: 'RET-BEAN-340', priceMinor: 1800, costMinor: 630, currency: 'USD', active: true },
      ]),
  },
});
