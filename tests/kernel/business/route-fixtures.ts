import { api, page, type RouteFixture } from '../../support/route-fixtures.ts';

export const routeFixtures: Record<string, RouteFixture> = {
  // The business's settings (its time zone).
  'GET /v1/business/settings': api(),
  'PUT /v1/business/settings': api({ body: { timeZone: 'UTC' } }),
  'GET /settings/business': page(),
  'POST /settings/business': page({ body: { timeZone: 'UTC' } }),
};
