import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import { formatMajorAmount, parseMajorAmount } from '../../kernel/money/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { DEFAULT_TIME_ZONE, instantOfLocalDateTime } from '../../kernel/time/index.ts';
import { chrome, firstError, formFields, formRejection, formRoute, formText, humanMessage, noticeOf, parseWith, sendPage, withNotice, type FieldErrors, type FormReader, type FormState, type Parsed } from '../../web/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { createAnnouncement, listAnnouncements, withdrawAnnouncement } from './announcements.service.ts';
import { announcementInput, featureFlagKey, planInput, reasonInput, tenantListQuery, type PlanInput } from './domain/inputs.ts';
import type { Plan, PlatformSetup } from './domain/types.ts';
import { AnnouncementsPage, type AnnouncementFormValues } from './pages/announcements.page.tsx';
import { PlanFormPage, PlanListPage, type PlanFormValues } from './pages/plans.page.tsx';
import { backupAbilities } from './backups.pages.ts';
import { listTenantBackups } from './backups.service.ts';
import { TenantDetailPage, type PlanChange } from './pages/tenant-detail.page.tsx';
import { TenantListPage } from './pages/tenant-list.page.tsx';
import { assignPlan, createPlan, getPlan, listPlans, updatePlan } from './plans.service.ts';
import { approveTenant, closeTenant, getTenantDetail, listTenantsForConsole, rejectTenant, resumeTenant, setTenantFlag, setTenantModule, suspendTenant, tenantChoices } from './tenants.service.ts';

const access = (permission: string) => ({ access: { permission } }) as const;
const hidden = { hide: true };
const idParams = z.object({ id: z.uuid() });
/** The fields of the business page that show their own errors (the reasons of reject and suspend, the plan, the flag). */
const TENANT_PAGE_FIELDS = new Set(['reject', 'suspend', 'planId', 'flag']);

export function consolePageRoutes(app: AppInstance, setup: PlatformSetup): void {
  const moduleChoices = [...new Set(setup.editions.flatMap((edition) => edition.modules))].sort();

  // Businesses.

  app.get('/console/tenants', { config: access('platform.tenant.read'), schema: hidden }, async (request, reply) => {
    const parsed = tenantListQuery.safeParse(request.query);
    // A hand-edited URL with a bad filter shows the default list rather than an error page.
    const query = parsed.success ? parsed.data : tenantListQuery.parse({});
    const { data, total } = await listTenantsForConsole(serviceContext(request), query);
    return sendPage(reply, TenantListPage({ tenants: data, total, query, chrome: chrome(request, reply) }));
  });

  /** The business page, with a notice after a change or the refusal of one, or the plan change it asks to confirm. */
  async function renderTenant(form: FormState<object>, request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, planChange?: PlanChange) {
    const ctx = serviceContext(request);
    const { id } = request.params;
    const can = {
      approve: request.permissions.has('platform.tenant.approve'),
      status: request.permissions.has('platform.tenant.status'),
      configure: request.permissions.has('platform.tenant.configure'),
    };
    const tenant = await getTenantDetail(ctx, setup, id);
    const plans: Plan[] = can.configure ? await listPlans(ctx) : [];
    const backups = await listTenantBackups(ctx, id);
    // Errors of the page's own fields sit next to them; any other refusal shows above the page.
    const { errors } = form;
    const elsewhere = Object.keys(errors).some((field) => !TENANT_PAGE_FIELDS.has(field));
    const formError = form.formError ?? (elsewhere ? firstError(form) : undefined);
    return TenantDetailPage({ tenant, plans, can, backups, backupCan: backupAbilities(request), notice: noticeOf(request), formError, errors, planChange, chrome: chrome(request, reply) });
  }

  app.get('/console/tenants/:id', { config: access('platform.tenant.read'), schema: { ...hidden, params: idParams } }, async (request, reply) =>
    sendPage(reply, await renderTenant({ values: {}, errors: {} }, request, reply)),
  );

  /** A console action on a business: its form read (or refused), then the change; back to its page with a notice, or the page with the refusal. */
  function tenantAction<Input>(path: string, permission: string, read: (form: FormReader) => Parsed<Input>, act: (ctx: ServiceContext, id: string, input: Input) => Promise<string>) {
    formRoute(app, {
      path: `/console/tenants/:id/${path}`,
      config: access(permission),
      params: idParams,
      values: (form) => ({ read: read(form) }),
      parse: (values) => values.read,
      submit: async (input, request) => withNotice(`/console/tenants/${request.params.id}`, await act(serviceContext(request), request.params.id, input)),
      render: renderTenant,
    });
  }

  const nothing = (): Parsed<undefined> => ({ input: undefined });
  /** The reason a refusal or suspension needs, its error shown on the action's own form. */
  const reasonOf = (action: string) => (form: FormReader): Parsed<string> => {
    const parsed = reasonInput.safeParse({ reason: form.text('reason') }, { error: humanMessage });
    return parsed.success ? { input: parsed.data.reason } : { errors: { [action]: `Reason ${parsed.error.issues[0]?.message ?? 'is required'}` } };
  };

  tenantAction('approve', 'platform.tenant.approve', nothing, async (ctx, id) => `Approved ${(await approveTenant(ctx, setup, id)).name}.`);
  tenantAction('reject', 'platform.tenant.approve', reasonOf('reject'), async (ctx, id, reason) => `Rejected ${(await rejectTenant(ctx, id, reason)).name}; the applicant is emailed the reason.`);
  tenantAction('suspend', 'platform.tenant.status', reasonOf('suspend'), async (ctx, id, reason) => `Suspended ${(await suspendTenant(ctx, id, reason)).name}.`);
  tenantAction('resume', 'platform.tenant.status', nothing, async (ctx, id) => `Resumed ${(await resumeTenant(ctx, id)).name}.`);
  tenantAction(
    'close',
    'platform.tenant.status',
    (form) => ({ input: form.text('reason').trim().slice(0, 1000) }),
    async (ctx, id, reason) => `Closed ${(await closeTenant(ctx, id, reason || undefined)).name}.`,
  );
  tenantAction(
    'modules',
    'platform.tenant.configure',
    (form) => ({ input: { moduleId: form.text('module'), enabled: form.text('enabled') === 'true' } }),
    async (ctx, id, { moduleId, enabled }) => {
      await setTenantModule(ctx, setup, id, moduleId, enabled);
      return `Switched ${moduleId} ${enabled ? 'on' : 'off'}.`;
    },
  );
  tenantAction(
    'flags',
    'platform.tenant.configure',
    (form) => {
      const flag = featureFlagKey.safeParse(form.text('flag'), { error: humanMessage });
      return flag.success ? { input: { flag: flag.data, enabled: form.text('enabled') === 'true' } } : { errors: { flag: flag.error.issues[0]?.message ?? 'is not a flag name' } };
    },
    async (ctx, id, { flag, enabled }) => {
      await setTenantFlag(ctx, id, flag, enabled);
      return `Set ${flag} ${enabled ? 'on' : 'off'}.`;
    },
  );
  // A plan that switches modules off is assigned only once the page has named them and been confirmed (a second form).
  app.post('/console/tenants/:id/plan', { config: access('platform.tenant.configure'), schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const { id } = request.params;
    const fields = formFields(request.body);
    const planId = z.uuid().safeParse(formText(fields.planId));
    if (!planId.success) return sendPage(reply, await renderTenant({ values: {}, errors: { planId: 'choose a plan' } }, request, reply), 422);
    try {
      const ctx = serviceContext(request);
      const chosen = await getPlan(ctx, planId.data);
      const tenant = await getTenantDetail(ctx, setup, id);
      const switchedOff = chosen.modules === null ? [] : tenant.modules.filter((module) => module.enabled && !chosen.modules?.includes(module.id)).map((module) => module.id);
      if (switchedOff.length > 0 && formText(fields.confirm) !== 'switch-off')
        return sendPage(reply, await renderTenant({ values: {}, errors: {} }, request, reply, { planId: chosen.id, planName: chosen.name, switchedOff }));
      const plan = await assignPlan(ctx, setup, id, chosen.id);
      const off = switchedOff.length > 0 ? ` ${switchedOff.join(', ')} switched off.` : '';
      return reply.redirect(withNotice(`/console/tenants/${id}`, `Now on plan ${plan.name}; limits and modules follow it.${off}`), 303);
    } catch (error) {
      const { status, ...rejection } = formRejection(error);
      return sendPage(reply, await renderTenant({ values: {}, ...rejection }, request, reply), status);
    }
  });

  // Plans.

  app.get('/console/plans', { config: access('platform.plan.read'), schema: hidden }, async (request, reply) =>
    sendPage(
      reply,
      PlanListPage({ plans: await listPlans(serviceContext(request)), canWrite: request.permissions.has('platform.plan.write'), notice: noticeOf(request), chrome: chrome(request, reply) }),
    ),
  );

  const renderPlan = (form: FormState<PlanFormValues>, request: FastifyRequest<{ Params: { id?: string } }>, reply: FastifyReply) => {
    const { id } = request.params;
    return PlanFormPage({ ...form, mode: id === undefined ? { kind: 'create' } : { kind: 'edit', id }, moduleChoices, chrome: chrome(request, reply) });
  };

  formRoute(app, {
    path: '/console/plans',
    config: access('platform.plan.write'),
    show: {
      path: '/console/plans/new',
      values: () => ({ key: '', name: '', price: '', currency: 'EUR', interval: 'month', stripePriceId: '', maxMembers: '', maxLocations: '', maxTerminals: '', allModules: true, modules: [] }),
    },
    values: planFormValues,
    parse: parsePlanForm,
    submit: async (input, request) => withNotice('/console/plans', `Created plan ${(await createPlan(serviceContext(request), input)).name}.`),
    render: renderPlan,
  });

  formRoute(app, {
    path: '/console/plans/:id',
    config: access('platform.plan.write'),
    params: idParams,
    show: { path: '/console/plans/:id/edit', values: async (request) => planValues(await getPlan(serviceContext(request), request.params.id)) },
    values: planFormValues,
    parse: parsePlanForm,
    submit: async (input, request) => withNotice('/console/plans', `Saved plan ${(await updatePlan(serviceContext(request), request.params.id, input)).name}.`),
    render: renderPlan,
  });

  // Announcements: the list holds the form for a new one.

  const emptyAnnouncement: AnnouncementFormValues = { kind: 'announcement', title: '', body: '', severity: 'info', audience: 'all', editions: [], tenantIds: [], startsAt: '', endsAt: '' };
  formRoute(app, {
    path: '/console/announcements',
    config: access('platform.announcement.write'),
    show: { path: '/console/announcements', config: access('platform.announcement.read'), values: () => emptyAnnouncement },
    values: (form) => ({
      ...(Object.fromEntries(Object.keys(emptyAnnouncement).map((key) => [key, form.text(key)])) as unknown as AnnouncementFormValues),
      editions: form.list('editions'),
      tenantIds: form.list('tenantIds'),
    }),
    parse: (values, request) => {
      const timeZone = consoleTimeZone(request);
      return parseWith(announcementInput, { ...values, startsAt: typedInstant(values.startsAt, timeZone), endsAt: typedInstant(values.endsAt, timeZone) });
    },
    submit: async (input, request) => withNotice('/console/announcements', `Published “${(await createAnnouncement(serviceContext(request), setup, input)).title}”.`),
    render: async (form, request, reply) => {
      const announcements = await listAnnouncements(serviceContext(request));
      const canWrite = request.permissions.has('platform.announcement.write');
      const choices = { editions: setup.editions, businesses: await tenantChoices(serviceContext(request)) };
      return AnnouncementsPage({ ...form, choices, notice: noticeOf(request), timeZone: consoleTimeZone(request), announcements, canWrite, chrome: chrome(request, reply) });
    },
  });

  app.post('/console/announcements/:id/withdraw', { config: access('platform.announcement.write'), schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const withdrawn = await withdrawAnnouncement(serviceContext(request), request.params.id);
    return reply.redirect(withNotice('/console/announcements', `Withdrew “${withdrawn.title}”.`), 303);
  });
}

/** The console's clocks: the platform business's zone, in which its pages show times and its forms read them. */
const consoleTimeZone = (request: FastifyRequest) => request.tenant?.timeZone ?? DEFAULT_TIME_ZONE;

/** A date and time typed on the console's clocks ("2026-12-01 22:00"), as an ISO string the schema reads; the text unchanged when it is not one. */
function typedInstant(text: string, timeZone: string): string {
  const trimmed = text.trim();
  return instantOfLocalDateTime(trimmed, timeZone)?.toISOString() ?? (trimmed === '' ? 'missing' : trimmed);
}

const planFormValues = (form: FormReader): PlanFormValues => ({
  key: form.text('key'),
  name: form.text('name'),
  price: form.text('price'),
  currency: form.text('currency').toUpperCase(),
  interval: form.text('interval'),
  stripePriceId: form.text('stripePriceId'),
  maxMembers: form.text('maxMembers'),
  maxLocations: form.text('maxLocations'),
  maxTerminals: form.text('maxTerminals'),
  allModules: form.text('allModules') === 'true',
  modules: form.list('modules'),
});

const planValues = (plan: Plan): PlanFormValues => ({
  key: plan.key,
  name: plan.name,
  price: formatMajorAmount(plan.priceMinor, plan.currency),
  currency: plan.currency,
  interval: plan.interval,
  stripePriceId: plan.stripePriceId ?? '',
  maxMembers: plan.maxMembers?.toString() ?? '',
  maxLocations: plan.maxLocations?.toString() ?? '',
  maxTerminals: plan.maxTerminals?.toString() ?? '',
  allModules: plan.modules === null,
  modules: plan.modules ?? [],
});

/** Form text into the API's plan input; errors keyed by form field. */
function parsePlanForm(values: PlanFormValues): Parsed<PlanInput> {
  const errors: FieldErrors = {};
  const priceMinor = parseMajorAmount(values.price, /^[A-Z]{3}$/.test(values.currency) ? values.currency : 'EUR');
  if (priceMinor === undefined) errors.price = values.price.trim() === '' ? 'is required' : 'must be an amount like 29.00, not negative';
  const limit = (text: string, field: string): number | null => {
    if (text.trim() === '') return null;
    if (!/^\d{1,7}$/.test(text.trim())) {
      errors[field] = 'must be a whole number, or empty for no limit';
      return null;
    }
    return Number(text.trim());
  };
  const input = {
    key: values.key,
    name: values.name,
    priceMinor: priceMinor ?? 0,
    currency: values.currency,
    interval: values.interval,
    stripePriceId: values.stripePriceId.trim() === '' ? null : values.stripePriceId,
    maxMembers: limit(values.maxMembers, 'maxMembers'),
    maxLocations: limit(values.maxLocations, 'maxLocations'),
    maxTerminals: limit(values.maxTerminals, 'maxTerminals'),
    modules: values.allModules ? null : values.modules,
  };
  return parseWith(planInput, input, { rename: { priceMinor: 'price' }, errors });
}
