import { api, page, resource, unique, type FixtureScope, type RouteFixture } from '../../support/route-fixtures.ts';

const newLocation = () => ({ name: `Matrix shop ${unique()}`, code: `MX${unique()}`, timeZone: 'UTC' });
const locationForm = () => ({ name: `Matrix shop ${unique()}`, code: `MX${unique()}`, address: '', timeZone: 'UTC' });
export const newLocationId = async (s: FixtureScope) => (await s.asOwner('POST', '/v1/locations', newLocation())).id;
export const location = resource(newLocationId);

export const routeFixtures: Record<string, RouteFixture> = {
  // Locations API and pages.
  'GET /v1/locations': api(),
  'POST /v1/locations': api({ body: newLocation }),
  'GET /v1/locations/:id': api({ params: { id: location } }),
  'PATCH /v1/locations/:id': api({ params: { id: location }, body: { name: 'Renamed shop' } }),
  'POST /v1/locations/:id/archive': api({ params: { id: location } }),
  'POST /v1/locations/:id/restore': api({ params: { id: location } }),
  'GET /locations': page(),
  'POST /locations': page({ body: locationForm }),
  'GET /locations/:id/edit': page({ params: { id: location } }),
  'POST /locations/:id': page({ params: { id: location }, body: locationForm }),
  'POST /locations/:id/archive': page({ params: { id: location } }),
  'POST /locations/:id/restore': page({ params: { id: location } }),
};
