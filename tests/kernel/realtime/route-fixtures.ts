import { api, type RouteFixture } from '../../support/route-fixtures.ts';

export const routeFixtures: Record<string, RouteFixture> = {
  // The realtime gateway is a WebSocket route: the matrix's plain GET runs the whole guard on it
  // (anonymous → 401), and a signed-in request that passed the guard is told to upgrade (426).
  // The handshake itself, origin check and protocol are tested in tests/kernel/realtime.
  'GET /v1/realtime': api({ status: 426 }),
};
