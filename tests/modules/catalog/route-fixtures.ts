import sharp from 'sharp';
import { api, page, resource, unique, type FixtureScope, type RouteFixture } from '../../support/route-fixtures.ts';

const newProduct = () => ({ name: `Matrix ${unique()}`, sku: `MX-${unique()}`, priceMinor: 250, currency: 'EUR' });
const productForm = () => ({ name: `Matrix ${unique()}`, sku: `MX-${unique()}`, price: '2.50', currency: 'EUR', active: 'true' });
export const product = resource(async (s) => (await s.asOwner('POST', '/v1/catalog/products', newProduct())).id);
export const newProductId = async (s: FixtureScope) => (await s.asOwner('POST', '/v1/catalog/products', newProduct())).id;
const PRODUCT = { id: product };
const picture = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#1f5f8b' } }).png().toBuffer();
/** A product that has a picture (the page that serves it answers 404 otherwise). */
const pictured = resource(async (s) => {
  const id = (await s.asOwner('POST', '/v1/catalog/products', newProduct())).id;
  await s.asOwner('PUT', `/v1/catalog/products/${id}/image`, undefined, { contentType: 'image/png', payload: await picture() });
  return id;
});

export const routeFixtures: Record<string, RouteFixture> = {
  // Catalog API.
  'GET /v1/catalog/products': api(),
  'POST /v1/catalog/products': api({ body: newProduct }),
  'GET /v1/catalog/products/:id': api({ params: PRODUCT }),
  'PATCH /v1/catalog/products/:id': api({ params: PRODUCT, body: { name: 'Renamed product' } }),
  'POST /v1/catalog/products/:id/archive': api({ params: PRODUCT }),
  'POST /v1/catalog/products/:id/restore': api({ params: PRODUCT }),
  'PUT /v1/catalog/products/:id/image': api({ params: PRODUCT, raw: { contentType: 'image/png', payload: picture } }),
  'DELETE /v1/catalog/products/:id/image': api({ params: PRODUCT }),
  'GET /catalog/products/:id/image': page({ params: { id: pictured } }),

  // Catalog pages.
  'GET /catalog/products': page(),
  'GET /catalog/products/new': page(),
  'POST /catalog/products': page({ body: productForm }),
  'GET /catalog/products/:id/edit': page({ params: PRODUCT }),
  'POST /catalog/products/:id': page({ params: PRODUCT, body: productForm }),
  'POST /catalog/products/:id/archive': page({ params: PRODUCT }),
  'POST /catalog/products/:id/restore': page({ params: PRODUCT }),
};
