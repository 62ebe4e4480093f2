import { randomUUID } from 'node:crypto';
import { api, page, resource, type FixtureScope, type RouteFixture } from '../../support/route-fixtures.ts';
import { newProductId, product } from '../catalog/route-fixtures.ts';
import { location, newLocationId } from '../locations/route-fixtures.ts';

/** A location holding 5 of a new product: what sending a transfer from it needs. */
async function stockedLocation(s: FixtureScope): Promise<{ locationId: string; productId: string }> {
  const [locationId, productId] = [await newLocationId(s), await newProductId(s)];
  await s.asOwner('POST', '/v1/inventory/receipts', { locationId, lines: [{ productId, quantity: 5 }] });
  return { locationId, productId };
}
const count = resource(async (s) => (await s.asOwner('POST', '/v1/inventory/counts', { locationId: await newLocationId(s) })).id);
async function draftTransferId(s: FixtureScope): Promise<string> {
  const { locationId, productId } = await stockedLocation(s);
  return (await s.asOwner('POST', '/v1/inventory/transfers', { fromLocationId: locationId, toLocationId: await newLocationId(s), lines: [{ productId, quantity: 2 }] })).id;
}
const draftTransfer = resource(draftTransferId);
const sentTransfer = resource(async (s) => {
  const id = await draftTransferId(s);
  await s.asOwner('POST', `/v1/inventory/transfers/${id}/send`);
  return id;
});
const ITEM = { locationId: location, productId: product };

export const routeFixtures: Record<string, RouteFixture> = {
  // Inventory API.
  'GET /v1/inventory/locations/:locationId/stock': api({ params: { locationId: location } }),
  'GET /v1/inventory/locations/:locationId/products/:productId/movements': api({ params: ITEM }),
  'PUT /v1/inventory/locations/:locationId/products/:productId/reorder': api({ params: ITEM, body: { reorderPoint: 2, reorderQuantity: 10 } }),
  'POST /v1/inventory/receipts': api({ body: async (s) => ({ locationId: await newLocationId(s), lines: [{ productId: await newProductId(s), quantity: 3 }], reference: 'DN-1' }) }),
  'POST /v1/inventory/adjustments': api({ body: async (s) => ({ locationId: await newLocationId(s), productId: await newProductId(s), quantityDelta: 1, reason: 'found' }) }),
  'GET /v1/inventory/settings': api(),
  'PUT /v1/inventory/settings': api({ body: { allowNegativeStock: false } }),
  'GET /v1/inventory/counts': api(),
  'POST /v1/inventory/counts': api({ body: async (s) => ({ locationId: await newLocationId(s) }) }),
  'GET /v1/inventory/counts/:id': api({ params: { id: count } }),
  'PUT /v1/inventory/counts/:id/lines': api({ params: { id: count }, body: async (s) => ({ lines: [{ productId: await newProductId(s), counted: 2 }] }) }),
  'POST /v1/inventory/counts/:id/post': api({ params: { id: count } }),
  'POST /v1/inventory/counts/:id/cancel': api({ params: { id: count } }),
  'GET /v1/inventory/transfers': api(),
  'POST /v1/inventory/transfers': api({
    body: async (s) => ({ fromLocationId: await newLocationId(s), toLocationId: await newLocationId(s), lines: [{ productId: await newProductId(s), quantity: 1 }] }),
  }),
  'GET /v1/inventory/transfers/:id': api({ params: { id: draftTransfer } }),
  'POST /v1/inventory/transfers/:id/send': api({ params: { id: draftTransfer } }),
  'POST /v1/inventory/transfers/:id/receive': api({ params: { id: sentTransfer }, body: { lines: [] } }),
  'POST /v1/inventory/transfers/:id/cancel': api({ params: { id: draftTransfer } }),

  // Inventory pages.
  'GET /inventory': page(),
  'GET /inventory/locations/:locationId/products/:productId/history': page({ params: ITEM }),
  'POST /inventory/locations/:locationId/products/:productId/reorder': page({ params: ITEM, body: { reorderPoint: '3', reorderQuantity: '' } }),
  'GET /inventory/receive': page(),
  'POST /inventory/receive': page({ body: async (s) => ({ locationId: await newLocationId(s), productId: await newProductId(s), quantity: '3', reference: 'DN-2', note: '' }) }),
  'GET /inventory/adjust': page(),
  'POST /inventory/adjust': page({ body: async (s) => ({ locationId: await newLocationId(s), productId: await newProductId(s), quantity: '2', note: 'found in back room' }) }),
  'GET /inventory/settings': page(),
  'POST /inventory/settings': page({ body: { allowNegativeStock: 'false' } }),
  'GET /inventory/counts': page(),
  'POST /inventory/counts': page({ body: async (s) => ({ locationId: await newLocationId(s) }) }),
  'GET /inventory/counts/:id': page({ params: { id: count } }),
  'POST /inventory/counts/:id/lines': page({ params: { id: count }, body: async (s) => ({ addProductId: await newProductId(s), addCounted: '4' }) }),
  'POST /inventory/counts/:id/post': page({ params: { id: count } }),
  'POST /inventory/counts/:id/cancel': page({ params: { id: count } }),
  'GET /inventory/transfers': page(),
  'POST /inventory/transfers': page({
    body: async (s) => ({ fromLocationId: await newLocationId(s), toLocationId: await newLocationId(s), productId: await newProductId(s), quantity: '1', note: '' }),
  }),
  'GET /inventory/transfers/:id': page({ params: { id: draftTransfer } }),
  'POST /inventory/transfers/:id/send': page({ params: { id: draftTransfer } }),
  'POST /inventory/transfers/:id/receive': page({
    params: { id: sentTransfer },
    // One `received.<productId>` field per line, as the page sends; a transfer the scope cannot read gets a field naming no line.
    body: async (s) => {
      const lines = await s.asOwner<{ lines: { productId: string; quantity: number }[] }>('GET', `/v1/inventory/transfers/${s.params.id}`).then(
        (transfer) => transfer.lines,
        () => [{ productId: randomUUID(), quantity: 1 }],
      );
      return Object.fromEntries(lines.map((line) => [`received.${line.productId}`, String(line.quantity)]));
    },
  }),
  'POST /inventory/transfers/:id/cancel': page({ params: { id: draftTransfer } }),
};
