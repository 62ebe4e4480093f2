import { api, page, unique, type Fields, type FixtureScope, type RouteFixture } from '../../support/route-fixtures.ts';
import { ACTIVE_BUSINESS } from '../platform/route-fixtures.ts';

/** A plan with a Stripe price (the test app subscribes through the fake provider), and the tenant subscribed to one. */
async function billablePlanKey(s: FixtureScope): Promise<string> {
  const key = `matrix-${unique()}`;
  await s.t.database.pool.query(`INSERT INTO platform_plan (key, name, price_minor, currency, interval, stripe_price_id) VALUES ($1, 'Matrix billed', 1900, 'EUR', 'month', $2)`, [key, `price_${unique()}`]);
  return key;
}
async function subscribedTenant(s: FixtureScope): Promise<Fields> {
  await s.asOwner('POST', '/v1/billing/subscription', { planKey: await billablePlanKey(s) });
  return {};
}

export const routeFixtures: Record<string, RouteFixture> = {
  // Billing: the business's subscription to a platform plan, its invoices, and its page.
  'GET /v1/billing/subscription': api(),
  'GET /v1/billing/invoices': api(),
  'POST /v1/billing/subscription': api({ body: async (s) => ({ planKey: await billablePlanKey(s) }) }),
  'POST /v1/billing/subscription/cancel': api({ body: subscribedTenant }),
  'POST /v1/billing/subscription/resume': api({ body: subscribedTenant }),
  'POST /v1/billing/portal-session': api({ body: subscribedTenant }),
  'GET /billing': page(),
  'POST /billing/subscription': page({ body: async (s) => ({ planKey: await billablePlanKey(s) }) }),
  'POST /billing/subscription/cancel': page({ body: subscribedTenant }),
  'POST /billing/subscription/resume': page({ body: subscribedTenant }),
  'POST /billing/portal': page({ body: subscribedTenant }),
  'GET /v1/platform/billing/tenants/:id': api({ params: ACTIVE_BUSINESS }),
  'POST /v1/platform/billing/tenants/:id/subscription': api({ params: ACTIVE_BUSINESS, body: async (s) => ({ planKey: await billablePlanKey(s) }) }),
};
