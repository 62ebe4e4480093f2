import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { DEFAULT_TIME_ZONE } from '../../kernel/time/index.ts';
import { chrome, formRoute, noticeOf, parseWith, withNotice, type FormReader } from '../../web/index.ts';
import { locationInput } from './domain/location.ts';
import { createLocation, getLocation, listLocations, setLocationArchived, updateLocation } from './location.service.ts';
import { LocationEditPage, LocationListPage, type LocationFormValues } from './pages/location-list.page.tsx';

const READ = { access: { permission: 'locations.location.read' } } as const;
const WRITE = { access: { permission: 'locations.location.write' } } as const;
const idParams = z.object({ id: z.uuid() });
/** A new location starts on the business's clocks. */
const empty = (request: FastifyRequest): LocationFormValues => ({ name: '', code: '', address: '', timeZone: request.tenant?.timeZone ?? DEFAULT_TIME_ZONE });
const formValues = (form: FormReader): LocationFormValues => ({ name: form.text('name'), code: form.text('code'), address: form.text('address'), timeZone: form.text('timeZone') });
const parse = (values: LocationFormValues) => parseWith(locationInput, values);
const done = (verb: string, location: { name: string }) => withNotice('/locations', `${verb} ${location.name}.`);

export function locationPageRoutes(app: AppInstance): void {
  // The list holds the form for a new location.
  formRoute(app, {
    path: '/locations',
    config: WRITE,
    show: { path: '/locations', config: READ, values: empty },
    values: formValues,
    parse,
    submit: async (input, request) => done('Created', await createLocation(serviceContext(request), input)),
    render: async (form, request, reply) => {
      const locations = await listLocations(serviceContext(request), { status: 'all' });
      const canWrite = request.permissions.has('locations.location.write');
      return LocationListPage({ locations, notice: noticeOf(request), canWrite, ...form, chrome: chrome(request, reply) });
    },
  });

  formRoute(app, {
    path: '/locations/:id',
    config: WRITE,
    params: idParams,
    show: {
      path: '/locations/:id/edit',
      values: async (request) => {
        const location = await getLocation(serviceContext(request), request.params.id);
        return { name: location.name, code: location.code, address: location.address ?? '', timeZone: location.timeZone };
      },
    },
    values: formValues,
    parse,
    submit: async (input, request) => done('Saved', await updateLocation(serviceContext(request), request.params.id, input)),
    render: async (form, request, reply) => LocationEditPage({ location: await getLocation(serviceContext(request), request.params.id), ...form, chrome: chrome(request, reply) }),
  });

  for (const [action, archived] of [['archive', true], ['restore', false]] as const) {
    app.post(`/locations/:id/${action}`, { config: WRITE, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const location = await setLocationArchived(serviceContext(request), request.params.id, archived);
      return reply.redirect(done(archived ? 'Archived' : 'Restored', location), 303);
    });
  }
}
