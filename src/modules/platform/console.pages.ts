import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import { AppError } from '../../kernel/errors.ts';
import { formatMajorAmount, parseMajorAmount } from '../../kernel/money/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { DEFAULT_TIME_ZONE, instantOfLocalDateTime } from '../../kernel/time/index.ts';
import { chrome, formFields, formList, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
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
const noticeOf = (query: unknown) => {
  const { notice } = (query ?? {}) as Record<string, unknown>;
  return typeof notice === 'string' ? notice.slice(0, 200) : undefined;
};
const withNotice = (path: string, notice: string) => `${path}?notice=${encodeURIComponent(notice)}`;

/** Zod issues as messages keyed by the form field they belong to. */
function fieldErrors(error: z.ZodError, rename: Record<string, string> = {}): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[rename[field] ?? field] ??= issue.message;
  }
  return errors;
}

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

  /** The business page, with a notice after a change or the refusal of one (with its status). */
  async function sendTenant(request: FastifyRequest, reply: FastifyReply, id: string, outcome: { notice?: string | undefined; error?: unknown; errors?: FieldErrors; status?: number; planChange?: PlanChange } = {}) {
    const ctx = serviceContext(request);
    const can = {
      approve: request.permissions.has('platform.tenant.approve'),
      status: request.permissions.has('platform.tenant.status'),
      configure: request.permissions.has('platform.tenant.configure'),
    };
    const tenant = await getTenantDetail(ctx, setup, id);
    const plans: Plan[] = can.configure ? await listPlans(ctx) : [];
    const backups = await listTenantBackups(ctx, id);
    let formError: string | undefined;
    let status = outcome.status ?? 200;
    if (outcome.error !== undefined) {
      const rejection = formRejection(outcome.error);
      formError = rejection.formError ?? Object.values(rejection.errors)[0];
      status = rejection.status;
    }
    return sendPage(reply, TenantDetailPage({ tenant, plans, can, backups, backupCan: backupAbilities(request), notice: outcome.notice, formError, errors: outcome.errors ?? {}, planChange: outcome.planChange, chrome: chrome(request, reply) }), status);
  }

  app.get('/console/tenants/:id', { config: access('platform.tenant.read'), schema: { ...hidden, params: idParams } }, async (request, reply) =>
    sendTenant(request, reply, request.params.id, { notice: noticeOf(request.query) }),
  );

  /** Runs a console action on a business: back to its page with a notice, or the page with the refusal. */
  function tenantAction(path: string, permission: string, act: (request: FastifyRequest, id: string) => Promise<string | FieldErrors>) {
    app.post(`/console/tenants/:id/${path}`, { config: access(permission), schema: { ...hidden, params: idParams } }, async (request, reply) => {
      const { id } = request.params;
      try {
        const outcome = await act(request, id);
        if (typeof outcome !== 'string') return sendTenant(request, reply, id, { errors: outcome, status: 422 });
        return reply.redirect(withNotice(`/console/tenants/${id}`, outcome), 303);
      } catch (error) {
        if (error instanceof AppError && error.code === 'NOT_FOUND') throw error;
        return sendTenant(request, reply, id, { error });
      }
    });
  }

  const reasonFrom = (request: FastifyRequest, field: string): { reason?: string; errors?: FieldErrors } => {
    const parsed = reasonInput.safeParse({ reason: formText(formFields(request.body).reason) });
    return parsed.success ? { reason: parsed.data.reason } : { errors: { [field]: `Reason ${parsed.error.issues[0]?.message ?? 'is required'}` } };
  };

  tenantAction('approve', 'platform.tenant.approve', async (request, id) => {
    const tenant = await approveTenant(serviceContext(request), setup, id);
    return `Approved ${tenant.name}.`;
  });
  tenantAction('reject', 'platform.tenant.approve', async (request, id) => {
    const { reason, errors } = reasonFrom(request, 'reject');
    if (!reason) return errors ?? {};
    const tenant = await rejectTenant(serviceContext(request), id, reason);
    return `Rejected ${tenant.name}; the applicant is emailed the reason.`;
  });
  tenantAction('suspend', 'platform.tenant.status', async (request, id) => {
    const { reason, errors } = reasonFrom(request, 'suspend');
    if (!reason) return errors ?? {};
    const tenant = await suspendTenant(serviceContext(request), id, reason);
    return `Suspended ${tenant.name}.`;
  });
  tenantAction('resume', 'platform.tenant.status', async (request, id) => `Resumed ${(await resumeTenant(serviceContext(request), id)).name}.`);
  tenantAction('close', 'platform.tenant.status', async (request, id) => {
    const reason = formText(formFields(request.body).reason).trim().slice(0, 1000);
    return `Closed ${(await closeTenant(serviceContext(request), id, reason || undefined)).name}.`;
  });
  tenantAction('modules', 'platform.tenant.configure', async (request, id) => {
    const fields = formFields(request.body);
    const moduleId = formText(fields.module);
    const enabled = formText(fields.enabled) === 'true';
    await setTenantModule(serviceContext(request), setup, id, moduleId, enabled);
    return `Switched ${moduleId} ${enabled ? 'on' : 'off'}.`;
  });
  tenantAction('flags', 'platform.tenant.configure', async (request, id) => {
    const fields = formFields(request.body);
    const flag = featureFlagKey.safeParse(formText(fields.flag));
    if (!flag.success) return { flag: flag.error.issues[0]?.message ?? 'is not a flag name' };
    const enabled = formText(fields.enabled) === 'true';
    await setTenantFlag(serviceContext(request), id, flag.data, enabled);
    return `Set ${flag.data} ${enabled ? 'on' : 'off'}.`;
  });
  // A plan that switches modules off is assigned only once the page has named them and been confirmed.
  app.post('/console/tenants/:id/plan', { config: access('platform.tenant.configure'), schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const { id } = request.params;
    const fields = formFields(request.body);
    const planId = z.uuid().safeParse(formText(fields.planId));
    if (!planId.success) return sendTenant(request, reply, id, { errors: { planId: 'choose a plan' }, status: 422 });
    try {
      const ctx = serviceContext(request);
      const chosen = await getPlan(ctx, planId.data);
      const tenant = await getTenantDetail(ctx, setup, id);
      const switchedOff = chosen.modules === null ? [] : tenant.modules.filter((module) => module.enabled && !chosen.modules?.includes(module.id)).map((module) => module.id);
      if (switchedOff.length > 0 && formText(fields.confirm) !== 'switch-off') return sendTenant(request, reply, id, { planChange: { planId: chosen.id, planName: chosen.name, switchedOff } });
      const plan = await assignPlan(ctx, setup, id, chosen.id);
      const off = switchedOff.length > 0 ? ` ${switchedOff.join(', ')} switched off.` : '';
      return reply.redirect(withNotice(`/console/tenants/${id}`, `Now on plan ${plan.name}; limits and modules follow it.${off}`), 303);
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') throw error;
      return sendTenant(request, reply, id, { error });
    }
  });

  // Plans.

  app.get('/console/plans', { config: access('platform.plan.read'), schema: hidden }, async (request, reply) =>
    sendPage(
      reply,
      PlanListPage({ plans: await listPlans(serviceContext(request)), canWrite: request.permissions.has('platform.plan.write'), notice: noticeOf(request.query), chrome: chrome(request, reply) }),
    ),
  );

  const planForm = (request: FastifyRequest, reply: FastifyReply, props: Omit<Parameters<typeof PlanFormPage>[0], 'chrome' | 'moduleChoices'>, status = 200) =>
    sendPage(reply, PlanFormPage({ ...props, moduleChoices, chrome: chrome(request, reply) }), status);

  app.get('/console/plans/new', { config: access('platform.plan.write'), schema: hidden }, async (request, reply) =>
    planForm(request, reply, {
      mode: { kind: 'create' },
      values: { key: '', name: '', price: '', currency: 'EUR', interval: 'month', stripePriceId: '', maxMembers: '', maxLocations: '', maxTerminals: '', allModules: true, modules: [] },
      errors: {},
    }),
  );

  app.post('/console/plans', { config: access('platform.plan.write'), schema: hidden }, async (request, reply) => {
    const values = planFormValues(request.body);
    const mode = { kind: 'create' as const };
    const { input, errors } = parsePlanForm(values);
    if (!input) return planForm(request, reply, { mode, values, errors }, 422);
    try {
      const plan = await createPlan(serviceContext(request), input);
      return reply.redirect(withNotice('/console/plans', `Created plan ${plan.name}.`), 303);
    } catch (error) {
      const { status, ...rejection } = formRejection(error);
      return planForm(request, reply, { mode, values, ...rejection }, status);
    }
  });

  app.get('/console/plans/:id/edit', { config: access('platform.plan.write'), schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const plan = await getPlan(serviceContext(request), request.params.id);
    return planForm(request, reply, { mode: { kind: 'edit', id: plan.id }, values: planValues(plan), errors: {} });
  });

  app.post('/console/plans/:id', { config: access('platform.plan.write'), schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const ctx = serviceContext(request);
    const current = await getPlan(ctx, request.params.id);
    const values = planFormValues(request.body);
    const mode = { kind: 'edit' as const, id: current.id };
    const { input, errors } = parsePlanForm(values);
    if (!input) return planForm(request, reply, { mode, values, errors }, 422);
    try {
      const plan = await updatePlan(ctx, current.id, input);
      return reply.redirect(withNotice('/console/plans', `Saved plan ${plan.name}.`), 303);
    } catch (error) {
      const { status, ...rejection } = formRejection(error);
      return planForm(request, reply, { mode, values, ...rejection }, status);
    }
  });

  // Announcements.

  const emptyAnnouncement: AnnouncementFormValues = { kind: 'announcement', title: '', body: '', severity: 'info', audience: 'all', editions: [], tenantIds: [], startsAt: '', endsAt: '' };
  const announcementsPage = async (request: FastifyRequest, reply: FastifyReply, props: { values: AnnouncementFormValues; errors: FieldErrors; formError?: string | undefined; notice?: string | undefined }, status = 200) =>
    sendPage(
      reply,
      AnnouncementsPage({ ...props, choices: { editions: setup.editions, businesses: await tenantChoices(serviceContext(request)) }, timeZone: consoleTimeZone(request), announcements: await listAnnouncements(serviceContext(request)), canWrite: request.permissions.has('platform.announcement.write'), chrome: chrome(request, reply) }),
      status,
    );

  app.get('/console/announcements', { config: access('platform.announcement.read'), schema: hidden }, async (request, reply) =>
    announcementsPage(request, reply, { values: emptyAnnouncement, errors: {}, notice: noticeOf(request.query) }),
  );

  app.post('/console/announcements', { config: access('platform.announcement.write'), schema: hidden }, async (request, reply) => {
    const fields = formFields(request.body);
    const values = {
      ...(Object.fromEntries(Object.keys(emptyAnnouncement).map((key) => [key, formText(fields[key])])) as unknown as AnnouncementFormValues),
      editions: formList(fields.editions),
      tenantIds: formList(fields.tenantIds),
    };
    const parsed = announcementInput.safeParse({
      ...values,
      startsAt: typedInstant(values.startsAt, consoleTimeZone(request)),
      endsAt: typedInstant(values.endsAt, consoleTimeZone(request)),
    });
    if (!parsed.success) return announcementsPage(request, reply, { values, errors: fieldErrors(parsed.error) }, 422);
    try {
      const created = await createAnnouncement(serviceContext(request), setup, parsed.data);
      return reply.redirect(withNotice('/console/announcements', `Published “${created.title}”.`), 303);
    } catch (error) {
      const { status, ...rejection } = formRejection(error);
      return announcementsPage(request, reply, { values, ...rejection }, status);
    }
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

function planFormValues(body: unknown): PlanFormValues {
  const fields = formFields(body);
  return {
    key: formText(fields.key),
    name: formText(fields.name),
    price: formText(fields.price),
    currency: formText(fields.currency).toUpperCase(),
    interval: formText(fields.interval),
    stripePriceId: formText(fields.stripePriceId),
    maxMembers: formText(fields.maxMembers),
    maxLocations: formText(fields.maxLocations),
    maxTerminals: formText(fields.maxTerminals),
    allModules: formText(fields.allModules) === 'true',
    modules: formList(fields.modules),
  };
}

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
function parsePlanForm(values: PlanFormValues): { input?: PlanInput; errors: FieldErrors } {
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
  const parsed = planInput.safeParse({
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
  });
  if (!parsed.success) Object.assign(errors, { ...fieldErrors(parsed.error, { priceMinor: 'price' }), ...errors });
  return parsed.success && Object.keys(errors).length === 0 ? { input: parsed.data, errors } : { errors };
}
