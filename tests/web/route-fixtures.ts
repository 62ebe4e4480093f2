import { ISLAND_ASSET_PREFIX, islandScriptUrl } from '../../src/web/islands/index.ts';
import { api, type RouteFixture } from '../support/route-fixtures.ts';

export const routeFixtures: Record<string, RouteFixture> = {
  // The island bundles (the POS register's, here).
  'GET /assets/islands/:file': api({ params: { file: { create: async (s) => (await islandScriptUrl(s.t.app, 'pos-register')).slice(ISLAND_ASSET_PREFIX.length), tenantScoped: false } } }),
};
