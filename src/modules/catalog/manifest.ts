import { fileURLToPath } from 'node:url';
import { defineModule } from '../../kernel/module/index.ts';
import { PRODUCT_RESOURCE } from './domain/product.ts';
import { productImageRoutes } from './image.routes.ts';
import { productApiRoutes } from './product.routes.ts';
import { productPageRoutes } from './product.pages.ts';

export const catalogModule = defineModule({
  id: 'catalog',
  title: 'Catalog',
  permissions: [
    { key: 'catalog.product.read', description: 'See products and their prices' },
    { key: 'catalog.product.write', description: 'Create, change, archive and restore products' },
    { key: 'catalog.product_cost.read', description: 'See what products cost the business (hidden otherwise)' },
    { key: 'catalog.product_cost.write', description: 'Set what products cost the business' },
  ],
  fieldRules: [{ resource: PRODUCT_RESOURCE, field: 'costMinor', read: 'catalog.product_cost.read', write: 'catalog.product_cost.write' }],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  navigation: [{ label: 'Products', href: '/catalog/products', group: 'catalog', permission: 'catalog.product.read' }],
  routes: (app) => {
    productApiRoutes(app);
    productImageRoutes(app);
    productPageRoutes(app);
  },
});
