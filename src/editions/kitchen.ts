import { defineEdition } from '../kernel/module/index.ts';
import { catalogModule } from '../modules/catalog/index.ts';
import { supportModule } from '../modules/support/index.ts';
import { seedProducts } from './demo-products.ts';
import { STORE_ROLE_TEMPLATES } from './roles.ts';

export const kitchenEdition = defineEdition({
  id: 'kitchen',
  title: 'Meal-prep kitchen',
  modules: [catalogModule, supportModule],
  roleTemplates: STORE_ROLE_TEMPLATES,
  demo: {
    slug: 'demo-kitchen',
    name: 'Balance Kitchen (demo)',
    timeZone: 'Europe/London',
    seed: (ctx) =>
      seedProducts(ctx, [
        { name: '5-meal pack', sku: 'PACK-5', priceMinor: 5495, costMinor: 1923, currency: 'GBP', active: true },
        { name: '10-meal pack', sku: 'PACK-10', priceMinor: 9990, costMinor: 3496, currency: 'GBP', active: true },
        { name: '20-meal pack', sku: 'PACK-20', priceMinor: 18900, costMinor: 6615, currency: 'GBP', active: true },
        { name: 'Breakfast add-on', sku: 'ADD-BRK', priceMinor: 450, costMinor: 158, currency: 'GBP', active: true },
      ]),
  },
});
