import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { location, locationInput, locationListQuery, locationPatch } from './domain/location.ts';
import { createLocation, getLocation, listLocations, setLocationArchived, updateLocation } from './location.service.ts';

const READ = { access: { permission: 'locations.location.read' } } as const;
const WRITE = { access: { permission: 'locations.location.write' } } as const;
const tags = ['locations'];
const idParams = z.strictObject({ id: z.uuid({ error: 'must be a location id (UUID)' }) });
const one = z.object({ data: location });

export function locationApiRoutes(app: AppInstance): void {
  app.get(
    '/v1/locations',
    { config: READ, schema: { tags, summary: 'List locations, name order', querystring: locationListQuery, response: { 200: z.object({ data: z.array(location) }) } } },
    async (request) => ({ data: await listLocations(serviceContext(request), request.query) }),
  );

  app.get(
    '/v1/locations/:id',
    { config: READ, schema: { tags, summary: 'Get one location', params: idParams, response: { 200: one } } },
    async (request) => ({ data: await getLocation(serviceContext(request), request.params.id) }),
  );

  app.post(
    '/v1/locations',
    { config: WRITE, schema: { tags, summary: 'Create a location (counts against the plan limit "locations")', body: locationInput, response: { 201: one } } },
    async (request, reply) => reply.code(201).send({ data: await createLocation(serviceContext(request), request.body) }),
  );

  app.patch(
    '/v1/locations/:id',
    { config: WRITE, schema: { tags, summary: 'Change fields of a location', params: idParams, body: locationPatch, response: { 200: one } } },
    async (request) => ({ data: await updateLocation(serviceContext(request), request.params.id, request.body) }),
  );

  app.post(
    '/v1/locations/:id/archive',
    { config: WRITE, schema: { tags, summary: 'Archive a location (idempotent)', params: idParams, response: { 200: one } } },
    async (request) => ({ data: await setLocationArchived(serviceContext(request), request.params.id, true) }),
  );

  app.post(
    '/v1/locations/:id/restore',
    { config: WRITE, schema: { tags, summary: 'Restore an archived location (idempotent; counts against the plan limit)', params: idParams, response: { 200: one } } },
    async (request) => ({ data: await setLocationArchived(serviceContext(request), request.params.id, false) }),
  );
}
