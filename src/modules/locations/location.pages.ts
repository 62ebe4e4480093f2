import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { DEFAULT_TIME_ZONE } from '../../kernel/time/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { locationInput, type LocationInput } from './domain/location.ts';
import { createLocation, getLocation, listLocations, setLocationArchived, updateLocation } from './location.service.ts';
import { LocationEditPage, LocationListPage, type LocationFormValues } from './pages/location-list.page.tsx';

const READ = { access: { permission: 'locations.location.read' } } as const;
const WRITE = { access: { permission: 'locations.location.write' } } as const;
const hidden = { hide: true };
const idParams = z.object({ id: z.uuid() });
/** A new location starts on the business's clocks. */
const empty = (request: FastifyRequest): LocationFormValues => ({ name: '', code: '', address: '', timeZone: request.tenant?.timeZone ?? DEFAULT_TIME_ZONE });

function formValues(body: unknown): LocationFormValues {
  const fields = formFields(body);
  return { name: formText(fields.name), code: formText(fields.code), address: formText(fields.address), timeZone: formText(fields.timeZone) };
}

function parseForm(values: LocationFormValues): { input?: LocationInput; errors: FieldErrors } {
  const parsed = locationInput.safeParse(values);
  if (parsed.success) return { input: parsed.data, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  return { errors };
}

const canWrite = (request: FastifyRequest) => request.permissions.has('locations.location.write');

async function sendList(request: FastifyRequest, reply: FastifyReply, form: { values: LocationFormValues; errors: FieldErrors; formError?: string | undefined }, status = 200, notice?: string) {
  const locations = await listLocations(serviceContext(request), { status: 'all' });
  return sendPage(reply, LocationListPage({ locations, notice, canWrite: canWrite(request), ...form, chrome: chrome(request, reply) }), status);
}

export function locationPageRoutes(app: AppInstance): void {
  app.get('/locations', { config: READ, schema: hidden }, async (request, reply) => {
    const { notice } = request.query as Record<string, unknown>;
    return sendList(request, reply, { values: empty(request), errors: {} }, 200, typeof notice === 'string' ? notice.slice(0, 200) : undefined);
  });

  app.post('/locations', { config: WRITE, schema: hidden }, async (request, reply) => {
    const values = formValues(request.body);
    const { input, errors } = parseForm(values);
    if (!input) return sendList(request, reply, { values, errors }, 422);
    try {
      const created = await createLocation(serviceContext(request), input);
      return reply.redirect(`/locations?notice=${encodeURIComponent(`Created ${created.name}.`)}`, 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendList(request, reply, { values, errors: rejection.errors, formError: rejection.formError }, 422);
    }
  });

  app.get('/locations/:id/edit', { config: WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const location = await getLocation(serviceContext(request), request.params.id);
    const values = { name: location.name, code: location.code, address: location.address ?? '', timeZone: location.timeZone };
    return sendPage(reply, LocationEditPage({ location, values, errors: {}, chrome: chrome(request, reply) }));
  });

  app.post('/locations/:id', { config: WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const ctx = serviceContext(request);
    const location = await getLocation(ctx, request.params.id);
    const values = formValues(request.body);
    const { input, errors } = parseForm(values);
    if (!input) return sendPage(reply, LocationEditPage({ location, values, errors, chrome: chrome(request, reply) }), 422);
    try {
      const saved = await updateLocation(ctx, location.id, input);
      return reply.redirect(`/locations?notice=${encodeURIComponent(`Saved ${saved.name}.`)}`, 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendPage(reply, LocationEditPage({ location, values, errors: rejection.errors, formError: rejection.formError, chrome: chrome(request, reply) }), 422);
    }
  });

  for (const [action, archived] of [['archive', true], ['restore', false]] as const) {
    app.post(`/locations/:id/${action}`, { config: WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
      const location = await setLocationArchived(serviceContext(request), request.params.id, archived);
      return reply.redirect(`/locations?notice=${encodeURIComponent(`${archived ? 'Archived' : 'Restored'} ${location.name}.`)}`, 303);
    });
  }
}
