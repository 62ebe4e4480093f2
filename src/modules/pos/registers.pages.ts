import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import { listDevices } from '../../kernel/identity/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { chrome, formRoute, noticeOf, parseWith, withNotice, type FormReader, type Parsed } from '../../web/index.ts';
import { listLocations } from '../locations/index.ts';
import { registerInput, registerPatch, type RegisterInput, type RegisterPatch } from './domain/schemas.ts';
import { RegisterEditPage, RegisterListPage, type LocationGroup, type RegisterEditValues, type RegisterFormValues } from './pages/registers.page.tsx';
import { POS_PERMISSIONS } from './pos.routes.ts';
import { pairingUrl } from './register/pairing.ts';
import { createRegister, getRegister, listRegisters, pairTerminal, revokeRegisterTerminal, updateRegister } from './register.service.ts';

const READ = { access: { permission: POS_PERMISSIONS.registerRead } } as const;
const MANAGE = { access: { permission: POS_PERMISSIONS.registerManage } } as const;
const TERMINAL_MANAGE = 'auth.terminal.manage';
const hidden = { hide: true };
const idParams = z.object({ id: z.uuid() });
const EMPTY: RegisterFormValues = { locationId: '', name: '', code: '', currency: '', pricesIncludeTax: true, taxCode: 'STD', taxLabel: '', taxRate: '', maxDiscount: '20' };

/** "19", "7.5" or "7,5" (per cent) in basis points; undefined when it is not such a number. */
function basisPoints(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d{1,3}(?:[.,]\d{1,2})?$/.test(trimmed) ? Math.round(Number(trimmed.replace(',', '.')) * 100) : undefined;
}
const percent = (bp: number) => String(bp / 100);

/** A percentage field in basis points, or the error a person reads next to it (the schema's own limit is in basis points). */
function percentField(text: string): { bp: number; error?: undefined } | { bp: undefined; error: string } {
  const bp = basisPoints(text);
  if (bp === undefined) return { bp, error: 'must be a percentage like 19 or 7.5' };
  return bp > 10_000 ? { bp: undefined, error: 'must be between 0 and 100 %' } : { bp };
}

/** Input paths of the register schema by the form field showing them (the form has one tax rate, the input a list). */
const RENAME = {
  'taxRates.0.code': 'taxCode',
  'taxRates.0.label': 'taxLabel',
  'taxRates.0.rateBp': 'taxRate',
  taxRates: 'taxRate',
  defaultTaxCode: 'taxCode',
  maxDiscountBp: 'maxDiscount',
};

const createValues = (form: FormReader): RegisterFormValues => ({
  locationId: form.text('locationId'),
  name: form.text('name'),
  code: form.text('code'),
  currency: form.text('currency').trim().toUpperCase(),
  pricesIncludeTax: form.text('pricesIncludeTax') === 'true',
  taxCode: form.text('taxCode').trim().toUpperCase(),
  taxLabel: form.text('taxLabel'),
  taxRate: form.text('taxRate'),
  maxDiscount: form.text('maxDiscount'),
});

function parseCreate(values: RegisterFormValues): Parsed<RegisterInput> {
  const [rate, maxDiscount] = [percentField(values.taxRate), percentField(values.maxDiscount)];
  const input = {
    locationId: values.locationId,
    name: values.name,
    code: values.code,
    currency: values.currency,
    pricesIncludeTax: values.pricesIncludeTax,
    taxRates: [{ code: values.taxCode, label: values.taxLabel, rateBp: rate.bp ?? 0 }],
    defaultTaxCode: values.taxCode,
    maxDiscountBp: maxDiscount.bp ?? 0,
  };
  return parseWith(registerInput, input, { rename: RENAME, errors: { taxRate: rate.error, maxDiscount: maxDiscount.error } });
}

function parseEdit(values: RegisterEditValues): Parsed<RegisterPatch> {
  const maxDiscount = percentField(values.maxDiscount);
  return parseWith(registerPatch, { name: values.name, maxDiscountBp: maxDiscount.bp ?? 0 }, { rename: RENAME, errors: { maxDiscount: maxDiscount.error } });
}

/** Registers grouped by location (by name), each with its terminal's state. */
async function locationGroups(request: FastifyRequest): Promise<{ groups: LocationGroup[]; locations: { value: string; label: string }[] }> {
  const ctx = serviceContext(request);
  const [registers, locations, devices] = await Promise.all([listRegisters(ctx), listLocations(ctx, { status: 'all' }), listDevices(ctx)]);
  const terminals = new Map(devices.map((device) => [device.id, device]));
  const groups = locations
    .map((location) => ({
      id: location.id,
      label: `${location.name} (${location.code})${location.archivedAt ? ', archived' : ''}`,
      registers: registers.filter((register) => register.locationId === location.id).map((register) => ({ ...register, terminal: (register.deviceId && terminals.get(register.deviceId)) || null })),
    }))
    .filter((group) => group.registers.length > 0);
  const active = locations.filter((location) => !location.archivedAt).map((location) => ({ value: location.id, label: `${location.name} (${location.code})` }));
  return { groups, locations: active };
}

const backToList = (notice: string) => withNotice('/pos/registers', notice);

/** The back office of registers: list, create, rename, deactivate, and pair or revoke their terminals. */
export function registersPageRoutes(app: AppInstance): void {
  // The list holds the form for a new register.
  formRoute(app, {
    path: '/pos/registers',
    config: MANAGE,
    show: { path: '/pos/registers', config: READ, values: () => EMPTY },
    values: createValues,
    parse: parseCreate,
    submit: async (input, request) => backToList(`Created ${(await createRegister(serviceContext(request), input)).name}.`),
    render: async (form, request, reply) => {
      const { groups, locations } = await locationGroups(request);
      const manage = request.permissions.has(POS_PERMISSIONS.registerManage);
      const access = { manage, terminals: manage && request.permissions.has(TERMINAL_MANAGE) };
      const values = form.values.locationId ? form.values : { ...form.values, locationId: locations[0]?.value ?? '' };
      return RegisterListPage({ groups, locations, access, ...form, values, notice: noticeOf(request), chrome: chrome(request, reply) });
    },
  });

  formRoute(app, {
    path: '/pos/registers/:id',
    config: MANAGE,
    params: idParams,
    show: {
      path: '/pos/registers/:id/edit',
      values: async (request) => {
        const register = await getRegister(serviceContext(request), request.params.id);
        return { name: register.name, maxDiscount: percent(register.maxDiscountBp) };
      },
    },
    values: (form) => ({ name: form.text('name'), maxDiscount: form.text('maxDiscount') }),
    parse: parseEdit,
    submit: async (patch, request) => backToList(`Saved ${(await updateRegister(serviceContext(request), request.params.id, patch)).name}.`),
    render: async (form, request, reply) => RegisterEditPage({ register: await getRegister(serviceContext(request), request.params.id), ...form, chrome: chrome(request, reply) }),
  });

  for (const [action, archived] of [['archive', true], ['restore', false]] as const) {
    app.post(`/pos/registers/:id/${action}`, { config: MANAGE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
      const register = await updateRegister(serviceContext(request), request.params.id, { archived });
      return reply.redirect(backToList(`${archived ? 'Deactivated' : 'Restored'} ${register.name}.`), 303);
    });
  }

  // The new terminal's secret goes to the till in this browser through the redirect's fragment (see pairing.ts).
  app.post('/pos/registers/:id/terminal', { config: MANAGE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const { register, deviceId, deviceSecret } = await pairTerminal(serviceContext(request), request.params.id);
    return reply.header('cache-control', 'no-store').redirect(pairingUrl({ registerId: register.id, deviceId, deviceSecret }), 303);
  });

  app.post('/pos/registers/:id/terminal/revoke', { config: MANAGE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const register = await revokeRegisterTerminal(serviceContext(request), request.params.id);
    return reply.redirect(backToList(`Revoked the terminal of ${register.name}.`), 303);
  });
}
