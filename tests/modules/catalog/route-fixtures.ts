import { api, page, resource, unique, type FixtureScope, type RouteFixture } from '../../support/route-fixtures.ts';

const newProduct = () => ({ name: `Matrix ${unique()}`, sku: `MX-${unique()}`, priceMinor: 250, currency: 'EUR' });
const productForm = () => ({ name: `Matrix ${unique()}`, sku: `MX-${unique()}`, price: '2.50', currency: 'EUR', active: 'true' });
export const product = resource(async (s) => (await s.asOwner('POST', '/v1/catalog/products', newProduct())).id);
export const newProductId = async (s: FixtureScope) => (await s.asOwner('POST', '/v1/catalog/products', newProduct())).id;
const PRODUCT = { id: product };

export const routeFixtures: Record<string, RouteFixture> = {
  // Catalog API.
  'GET /v1/catalog/products': api(),
  'POST /v1/catalog/products': api({ body: newProduct }),
  'GET /v1/catalog/products/:id': api({ params: PRODUCT }),
  'PATCH /v1/catalog/products/:id': api({ params: PRODUCT, body: { name: 'Renamed product' } }),
  'POST /v1/catalog/products/:id/archive': api({ params: PRODUCT }),
  'POST /v1/catalog/products/:id/restore': api({ params: PRODUCT }),

  // Catalog pages.
  'GET /catalog/products': page(),
  'GET /catalog/products/new': page(),
  'POST /catalog/products': page({ body: productForm }),
  'GET /catalog/products/:id/edit': page({ params: PRODUCT }),
  'POST /catalog/products/:id': page({ params: PRODUCT, body: productForm }),
  'POST /catalog/products/:id/archive': page({ params: PRODUCT }),
  'POST /catalog/products/:id/restore': page({ params: PRODUCT }),
};
