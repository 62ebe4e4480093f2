import { api, page, type RouteFixture } from '../support/route-fixtures.ts';

export const routeFixtures: Record<string, RouteFixture> = {
  // The start page and its stylesheet, served by every edition.
  'GET /': page(),
  'GET /assets/plinth.css': api(),
};
