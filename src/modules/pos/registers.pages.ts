import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import { listDevices } from '../../kernel/identity/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { listLocations } from '../locations/index.ts';
import { registerInput, registerPatch, type Register, type RegisterInput, type RegisterPatch } from './domain/schemas.ts';
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
const PERCENT_ERROR = 'must be a percentage like 19 or 7.5';

/** Zod issues keyed by the form field they concern (the form has one tax rate, the input a list). */
function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], errors: FieldErrors = {}): FieldErrors {
  const fieldOf: Record<string, string> = { code: 'taxCode', label: 'taxLabel', rateBp: 'taxRate' };
  for (const { path, message } of issues) {
    const [first, , inner] = path.map(String);
    const field = first === 'taxRates' ? (fieldOf[inner ?? ''] ?? 'taxRate') : first === 'defaultTaxCode' ? 'taxCode' : first === 'maxDiscountBp' ? 'maxDiscount' : (first ?? 'name');
    errors[field] ??= message;
  }
  return errors;
}

function createValues(body: unknown): RegisterFormValues {
  const fields = formFields(body);
  const text = (name: keyof RegisterFormValues) => formText(fields[name]);
  return {
    locationId: text('locationId'),
    name: text('name'),
    code: text('code'),
    currency: text('currency').trim().toUpperCase(),
    pricesIncludeTax: text('pricesIncludeTax') === 'true',
    taxCode: text('taxCode').trim().toUpperCase(),
    taxLabel: text('taxLabel'),
    taxRate: text('taxRate'),
    maxDiscount: text('maxDiscount'),
  };
}

function parseCreate(values: RegisterFormValues): { input?: RegisterInput; errors: FieldErrors } {
  const [rateBp, maxDiscountBp] = [basisPoints(values.taxRate), basisPoints(values.maxDiscount)];
  const errors: FieldErrors = {};
  if (rateBp === undefined) errors.taxRate = PERCENT_ERROR;
  if (maxDiscountBp === undefined) errors.maxDiscount = PERCENT_ERROR;
  const parsed = registerInput.safeParse({
    locationId: values.locationId,
    name: values.name,
    code: values.code,
    currency: values.currency,
    pricesIncludeTax: values.pricesIncludeTax,
    taxRates: [{ code: values.taxCode, label: values.taxLabel, rateBp: rateBp ?? 0 }],
    defaultTaxCode: values.taxCode,
    maxDiscountBp: maxDiscountBp ?? 0,
  });
  if (!parsed.success) return { errors: fieldErrors(parsed.error.issues, errors) };
  return Object.keys(errors).length > 0 ? { errors } : { input: parsed.data, errors };
}

function editValues(body: unknown): RegisterEditValues {
  const fields = formFields(body);
  return { name: formText(fields.name), maxDiscount: formText(fields.maxDiscount) };
}

function parseEdit(values: RegisterEditValues): { patch?: RegisterPatch; errors: FieldErrors } {
  const maxDiscountBp = basisPoints(values.maxDiscount);
  const parsed = registerPatch.safeParse({ name: values.name, maxDiscountBp: maxDiscountBp ?? 0 });
  const errors = parsed.success ? {} : fieldErrors(parsed.error.issues);
  if (maxDiscountBp === undefined) errors.maxDiscount = PERCENT_ERROR;
  return parsed.success && Object.keys(errors).length === 0 ? { patch: parsed.data, errors } : { errors };
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

async function sendList(request: FastifyRequest, reply: FastifyReply, form: { values: RegisterFormValues; errors: FieldErrors; formError?: string | undefined }, status = 200, notice?: string) {
  const { groups, locations } = await locationGroups(request);
  const manage = request.permissions.has(POS_PERMISSIONS.registerManage);
  const access = { manage, terminals: manage && request.permissions.has(TERMINAL_MANAGE) };
  const values = form.values.locationId ? form.values : { ...form.values, locationId: locations[0]?.value ?? '' };
  return sendPage(reply, RegisterListPage({ groups, locations, access, ...form, values, notice, chrome: chrome(request, reply) }), status);
}

const sendEdit = (request: FastifyRequest, reply: FastifyReply, register: Register, form: { values: RegisterEditValues; errors: FieldErrors; formError?: string | undefined }, status = 200) =>
  sendPage(reply, RegisterEditPage({ register, ...form, chrome: chrome(request, reply) }), status);

const backToList = (reply: FastifyReply, notice: string) => reply.redirect(`/pos/registers?notice=${encodeURIComponent(notice)}`, 303);

/** The back office of registers: list, create, rename, deactivate, and pair or revoke their terminals. */
export function registersPageRoutes(app: AppInstance): void {
  app.get('/pos/registers', { config: READ, schema: hidden }, async (request, reply) => {
    const { notice } = request.query as Record<string, unknown>;
    return sendList(request, reply, { values: EMPTY, errors: {} }, 200, typeof notice === 'string' ? notice.slice(0, 200) : undefined);
  });

  app.post('/pos/registers', { config: MANAGE, schema: hidden }, async (request, reply) => {
    const values = createValues(request.body);
    const { input, errors } = parseCreate(values);
    if (!input) return sendList(request, reply, { values, errors }, 422);
    try {
      const created = await createRegister(serviceContext(request), input);
      return backToList(reply, `Created ${created.name}.`);
    } catch (error) {
      const rejection = formRejection(error);
      return sendList(request, reply, { values, errors: rejection.errors, formError: rejection.formError }, 422);
    }
  });

  app.get('/pos/registers/:id/edit', { config: MANAGE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const register = await getRegister(serviceContext(request), request.params.id);
    return sendEdit(request, reply, register, { values: { name: register.name, maxDiscount: percent(register.maxDiscountBp) }, errors: {} });
  });

  app.post('/pos/registers/:id', { config: MANAGE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const ctx = serviceContext(request);
    const register = await getRegister(ctx, request.params.id);
    const values = editValues(request.body);
    const { patch, errors } = parseEdit(values);
    if (!patch) return sendEdit(request, reply, register, { values, errors }, 422);
    try {
      const saved = await updateRegister(ctx, register.id, patch);
      return backToList(reply, `Saved ${saved.name}.`);
    } catch (error) {
      const rejection = formRejection(error);
      return sendEdit(request, reply, register, { values, errors: rejection.errors, formError: rejection.formError }, 422);
    }
  });

  for (const [action, archived] of [['archive', true], ['restore', false]] as const) {
    app.post(`/pos/registers/:id/${action}`, { config: MANAGE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
      const register = await updateRegister(serviceContext(request), request.params.id, { archived });
      return backToList(reply, `${archived ? 'Deactivated' : 'Restored'} ${register.name}.`);
    });
  }

  // The new terminal's secret goes to the till in this browser through the redirect's fragment (see pairing.ts).
  app.post('/pos/registers/:id/terminal', { config: MANAGE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const { register, deviceId, deviceSecret } = await pairTerminal(serviceContext(request), request.params.id);
    return reply.header('cache-control', 'no-store').redirect(pairingUrl({ registerId: register.id, deviceId, deviceSecret }), 303);
  });

  app.post('/pos/registers/:id/terminal/revoke', { config: MANAGE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const register = await revokeRegisterTerminal(serviceContext(request), request.params.id);
    return backToList(reply, `Revoked the terminal of ${register.name}.`);
  });
}
