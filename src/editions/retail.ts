import { defineEdition } from '../kernel/module/index.ts';
import { catalogModule } from '../modules/catalog/index.ts';
import { seedProducts } from './demo-products.ts';
import { STORE_ROLE_TEMPLATES } from './roles.ts';

export const retailEdition = defineEdition({
  id: 'retail',
  title: 'Retail: shops on the multi-tenant platform',
  modules: [catalogModule],
  roleTemplates: STORE_ROLE_TEMPLATES,
  demo: {
    slug: 'demo-retail',
    name: 'Corner Hardware (demo)',
    seed: (ctx) =>
      seedProducts(ctx, [
        { name: 'Claw hammer 16 oz', sku: 'HW-HAM-16', priceMinor: 1899, costMinor: 665, currency: 'EUR', active: true },
        { name: 'Wood screws 4×40, box of 200', sku: 'HW-SCR-440', priceMinor: 649, costMinor: 227, currency: 'EUR', active: true },
        { name: 'Masking tape 25 mm', sku: 'HW-TAPE-25', priceMinor: 349, costMinor: 122, currency: 'EUR', active: true },
        { name: 'Cordless drill 18 V', sku: 'PT-DRL-18', priceMinor: 8999, costMinor: 3150, currency: 'EUR', active: true },
        { name: 'Paint roller set', sku: 'PA-ROL-SET', priceMinor: 1250, costMinor: 438, currency: 'EUR', active: false },
      ]),
  },
});
