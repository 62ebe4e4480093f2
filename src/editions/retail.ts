import { defineEdition } from '../kernel/module/index.ts';
import { AppError } from '../kernel/errors.ts';
import type { ServiceContext } from '../kernel/context.ts';
import { catalogModule, listProducts } from '../modules/catalog/index.ts';
import { supportModule } from '../modules/support/index.ts';
import { inventoryModule, listStock, receiveStock } from '../modules/inventory/index.ts';
import { createLocation, listLocations, locationsModule, type LocationInput } from '../modules/locations/index.ts';
import { createRegister, listRegisters, posModule } from '../modules/pos/index.ts';
import { reportsModule } from '../modules/reports/index.ts';
import { seedSalesHistory } from './demo-history.ts';
import { seedProducts } from './demo-products.ts';
import { TILL_ROLE_TEMPLATES } from './roles.ts';

const TIME_ZONE = 'Europe/Berlin';

export const retailEdition = defineEdition({
  id: 'retail',
  title: 'Retail: shops on the multi-tenant platform',
  modules: [catalogModule, locationsModule, inventoryModule, posModule, reportsModule, supportModule],
  roleTemplates: TILL_ROLE_TEMPLATES,
  demo: {
    slug: 'demo-retail',
    name: 'Corner Hardware (demo)',
    timeZone: TIME_ZONE,
    seed: async (ctx) => {
      await seedProducts(ctx, [
        { name: 'Claw hammer 16 oz', sku: 'HW-HAM-16', priceMinor: 1899, costMinor: 665, currency: 'EUR', active: true },
        { name: 'Wood screws 4×40, box of 200', sku: 'HW-SCR-440', priceMinor: 649, costMinor: 227, currency: 'EUR', active: true },
        { name: 'Masking tape 25 mm', sku: 'HW-TAPE-25', priceMinor: 349, costMinor: 122, currency: 'EUR', active: true },
        { name: 'Cordless drill 18 V', sku: 'PT-DRL-18', priceMinor: 8999, costMinor: 3150, currency: 'EUR', active: true },
        { name: 'Paint roller set', sku: 'PA-ROL-SET', priceMinor: 1250, costMinor: 438, currency: 'EUR', active: false },
      ]);
      await seedLocationsAndStock(ctx);
      await seedRegister(ctx);
      await seedSalesHistory(ctx, { days: 90, timeZone: TIME_ZONE });
    },
  },
});

const DEMO_LOCATIONS: readonly (LocationInput & { openingStock: number })[] = [
  { name: 'High Street shop', code: 'SHOP', address: '12 High Street', timeZone: 'Europe/Berlin', openingStock: 12 },
  { name: 'Back warehouse', code: 'WH1', address: 'Unit 4, Mill Lane', timeZone: 'Europe/Berlin', openingStock: 40 },
];

/** Two locations and opening stock of every active demo product, through the modules' use cases; a location that has stock is left alone. */
async function seedLocationsAndStock(ctx: ServiceContext): Promise<void> {
  for (const { openingStock: _openingStock, ...location } of DEMO_LOCATIONS) {
    try {
      await createLocation(ctx, location);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
    }
  }
  const products = (await listProducts(ctx, { page: 1, pageSize: 100, status: 'active' })).data;
  const locations = await listLocations(ctx);
  for (const { code, openingStock } of DEMO_LOCATIONS) {
    const location = locations.find((candidate) => candidate.code === code);
    if (!location || products.length === 0 || (await listStock(ctx, location.id)).length > 0) continue;
    const lines = products.map((product) => ({ productId: product.id, quantity: openingStock }));
    await receiveStock(ctx, { locationId: location.id, lines, reference: 'opening stock' });
  }
}

/** One till at the shop (German VAT, prices include tax), unbound: bind it to a terminal from the API. */
async function seedRegister(ctx: ServiceContext): Promise<void> {
  const shop = (await listLocations(ctx)).find((location) => location.code === 'SHOP');
  if (!shop || (await listRegisters(ctx)).length > 0) return;
  await createRegister(ctx, {
    locationId: shop.id,
    name: 'Front till',
    code: 'T1',
    currency: 'EUR',
    pricesIncludeTax: true,
    taxRates: [
      { code: 'STD', label: 'VAT 19%', rateBp: 1900 },
      { code: 'RED', label: 'VAT 7%', rateBp: 700 },
    ],
    defaultTaxCode: 'STD',
    maxDiscountBp: 2000,
  });
}
