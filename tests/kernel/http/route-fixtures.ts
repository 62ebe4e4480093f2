import { api, page, type RouteFixture } from '../../support/route-fixtures.ts';

export const routeFixtures: Record<string, RouteFixture> = {
  // Public: API docs and probes.
  'GET /docs': page(),
  'GET /openapi.json': api(),
  'GET /health': api(),
  'GET /ready': api(),
  'GET /metrics': api(),
};
