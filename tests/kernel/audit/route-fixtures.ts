import { api, page, type RouteFixture } from '../../support/route-fixtures.ts';

export const routeFixtures: Record<string, RouteFixture> = {
  // Audit and security events.
  'GET /v1/audit/events': api(),
  'GET /v1/audit/events.csv': api(),
  'GET /v1/audit/verify': api(),
  'GET /v1/security/events': api(),
  'GET /audit': page(),
};
