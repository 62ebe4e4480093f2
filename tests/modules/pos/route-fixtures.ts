import { randomUUID } from 'node:crypto';
import { api, page, resource, unique, type Fields, type FixtureScope, type Resource, type RouteFixture } from '../../support/route-fixtures.ts';
import { newLocationId } from '../locations/route-fixtures.ts';

/**
 * POS: a till ready to sell, made as the owner: a location holding stock of a fresh product, a
 * register there (no terminal: people signed in elsewhere may work any register) and an open shift.
 */
export async function posTill(s: FixtureScope): Promise<{ registerId: string; shiftId: string; productId: string }> {
  const tag = unique();
  const location = await s.asOwner('POST', '/v1/locations', { name: `Matrix shop ${tag}`, code: `MX${tag}`, timeZone: 'UTC' });
  const item = await s.asOwner('POST', '/v1/catalog/products', { name: `Matrix ${tag}`, sku: `MX-${tag}`, priceMinor: 250, currency: 'EUR' });
  await s.asOwner('POST', '/v1/inventory/receipts', { locationId: location.id, lines: [{ productId: item.id, quantity: 5 }] });
  const register = await s.asOwner('POST', '/v1/pos/registers', {
    locationId: location.id,
    name: `Matrix till ${tag}`,
    code: `M${tag}`,
    currency: 'EUR',
    taxRates: [{ code: 'STD', label: 'VAT', rateBp: 1900 }],
    defaultTaxCode: 'STD',
  });
  const opened = await s.asOwner<{ shift: { id: string } }>('POST', `/v1/pos/registers/${register.id}/shifts`, { openingFloatMinor: 1000 });
  return { registerId: register.id, shiftId: opened.shift.id, productId: item.id };
}
const posSaleBody = (till: { registerId: string; shiftId: string; productId: string }) => ({
  id: randomUUID(),
  registerId: till.registerId,
  shiftId: till.shiftId,
  soldAt: new Date().toISOString(),
  lines: [{ productId: till.productId, quantity: 1 }],
  tenders: [{ kind: 'cash', amountMinor: 250 }],
});
/** Refunds and voids need pos.ticket.refund / pos.ticket.void beyond the route's permission: the owner approves with their PIN. */
async function posOverride(s: FixtureScope): Promise<Fields> {
  await s.asOwner('PUT', '/v1/me/pin', { pin: '482913' });
  return { userId: (await s.t.ownerOf(s.tenant.slug)).userId, pin: '482913' };
}
const POS_REGISTER = { id: resource(async (s) => (await posTill(s)).registerId) };
const POS_SHIFT = { id: resource(async (s) => (await posTill(s)).shiftId) };
/** A register bound to a live terminal: what revoking its terminal needs. */
const posBoundRegister = resource(async (s) => {
  const { registerId } = await posTill(s);
  const device = await s.asOwner('POST', '/v1/terminals', { name: `Matrix till ${unique()}` });
  await s.asOwner('PATCH', `/v1/pos/registers/${registerId}`, { deviceId: device.id });
  return registerId;
});
const posSale = resource(async (s) => (await s.asOwner('POST', '/v1/pos/sales', posSaleBody(await posTill(s)))).id);
const posVoucher: Resource = {
  create: async (s) => (await s.asOwner<{ code: string }>('POST', '/v1/pos/vouchers', { code: `MX-${unique()}`, currency: 'EUR', amountMinor: 1000 })).code,
  tenantScoped: true,
  missing: () => `MX-${unique()}`,
};
const posTicketChange = async (s: FixtureScope) => ({ id: randomUUID(), registerId: (await posTill(s)).registerId, reason: 'Matrix', override: await posOverride(s) });

export const routeFixtures: Record<string, RouteFixture> = {
  // POS: registers, shifts, sales, refunds, receipts, vouchers.
  'GET /v1/pos/registers': api(),
  'POST /v1/pos/registers': api({
    body: async (s) => {
      const tag = unique();
      const location = await s.asOwner('POST', '/v1/locations', { name: `Matrix shop ${tag}`, code: `MX${tag}`, timeZone: 'UTC' });
      return { locationId: location.id, name: `Till ${tag}`, code: `M${tag}`, currency: 'EUR', taxRates: [{ code: 'STD', label: 'VAT', rateBp: 1900 }], defaultTaxCode: 'STD' };
    },
  }),
  'GET /v1/pos/registers/:id': api({ params: POS_REGISTER }),
  'PATCH /v1/pos/registers/:id': api({ params: POS_REGISTER, body: { name: 'Renamed till' } }),
  'POST /v1/pos/registers/:id/shifts': api({
    // A register whose shift is closed, so a new one may open.
    params: {
      id: resource(async (s) => {
        const till = await posTill(s);
        await s.asOwner('POST', `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 1000 });
        return till.registerId;
      }),
    },
    body: { openingFloatMinor: 1000 },
  }),
  'GET /v1/pos/shifts/:id/report': api({ params: POS_SHIFT }),
  'POST /v1/pos/shifts/:id/cash-movements': api({ params: POS_SHIFT, body: { kind: 'in', amountMinor: 100, reason: 'Matrix' } }),
  'POST /v1/pos/shifts/:id/close': api({ params: POS_SHIFT, body: { countedCashMinor: 1000 } }),
  'POST /v1/pos/sales': api({ body: async (s) => posSaleBody(await posTill(s)) }),
  'GET /v1/pos/sales/:id': api({ params: { id: posSale } }),
  'GET /v1/pos/sales/:id/receipt.txt': api({ params: { id: posSale }, query: { width: '32' } }),
  'GET /v1/pos/sales/:id/refunds': api({ params: { id: posSale } }),
  'POST /v1/pos/sales/:id/refunds': api({ params: { id: posSale }, body: posTicketChange }),
  'POST /v1/pos/sales/:id/void': api({ params: { id: posSale }, body: posTicketChange }),
  'POST /v1/pos/vouchers': api({ body: () => ({ code: `MX-${unique()}`, currency: 'EUR', amountMinor: 1000 }) }),
  'GET /v1/pos/vouchers/:code': api({ params: { code: posVoucher } }),
  'GET /pos/register': page(),
  'GET /pos/register.css': api(),
  'GET /pos/register-sw.js': api(),
  'GET /pos/receipts/:saleId': page({ params: { saleId: posSale } }),
  'GET /pos/registers': page(),
  'POST /pos/registers': page({ body: async (s) => ({ locationId: await newLocationId(s), name: 'Matrix till', code: `M${unique()}`, currency: 'EUR', pricesIncludeTax: 'true', taxCode: 'STD', taxLabel: 'VAT 19%', taxRate: '19', maxDiscount: '20' }) }),
  'GET /pos/registers/:id/edit': page({ params: POS_REGISTER }),
  'POST /pos/registers/:id': page({ params: POS_REGISTER, body: { name: 'Renamed till', maxDiscount: '15' } }),
  'POST /pos/registers/:id/archive': page({ params: POS_REGISTER }),
  'POST /pos/registers/:id/restore': page({ params: POS_REGISTER }),
  'POST /pos/registers/:id/terminal': page({ params: POS_REGISTER, alsoHolds: ['auth.terminal.manage'] }),
  'POST /pos/registers/:id/terminal/revoke': page({ params: { id: posBoundRegister }, alsoHolds: ['auth.terminal.manage'] }),
};
