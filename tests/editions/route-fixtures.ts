import { api, page, type RouteFixture } from '../support/route-fixtures.ts';

export const routeFixtures: Record<string, RouteFixture> = {
  // The start page, its stylesheet and icon, served by every edition.
  'GET /': page(),
  'GET /assets/plinth.css': api(),
  'GET /favicon.svg': api(),
  'GET /favicon.ico': api(),
  // Where signed-in people land: their business's cards, or the console's.
  'GET /dashboard': page(),
};
