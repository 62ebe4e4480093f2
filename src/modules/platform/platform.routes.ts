import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { TENANT_STATUSES } from '../../kernel/tenancy/index.ts';
import { createAnnouncement, listAnnouncements, withdrawAnnouncement } from './announcements.service.ts';
import {
  announcementInput,
  featureFlagInput,
  featureFlagKey,
  moduleIdParam,
  moduleSwitchInput,
  optionalReasonInput,
  planAssignment,
  planInput,
  reasonInput,
  signupInput,
  tenantListQuery,
} from './domain/inputs.ts';
import type { PlatformSetup } from './domain/types.ts';
import { assignPlan, createPlan, getPlan, listPlans, updatePlan } from './plans.service.ts';
import { submitSignup } from './signup.service.ts';
import { approveTenant, closeTenant, getTenantDetail, listTenantsForConsole, rejectTenant, resumeTenant, setTenantFlag, setTenantModule, suspendTenant } from './tenants.service.ts';

const tags = ['platform'];
const access = (permission: string) => ({ access: { permission } }) as const;
const TENANT_READ = access('platform.tenant.read');
const TENANT_APPROVE = access('platform.tenant.approve');
const TENANT_STATUS = access('platform.tenant.status');
const TENANT_CONFIGURE = access('platform.tenant.configure');
const PLAN_READ = access('platform.plan.read');
const PLAN_WRITE = access('platform.plan.write');
const ANNOUNCEMENT_READ = access('platform.announcement.read');
const ANNOUNCEMENT_WRITE = access('platform.announcement.write');

const idParams = z.strictObject({ id: z.uuid({ error: 'must be an id (UUID)' }) });

const tenantSummary = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  edition: z.string(),
  status: z.enum(TENANT_STATUSES),
  planKey: z.string().nullable(),
  ownerEmail: z.string().nullable(),
  createdAt: z.string(),
});
const plan = z.object({
  id: z.uuid(),
  key: z.string(),
  name: z.string(),
  priceMinor: z.number(),
  currency: z.string(),
  interval: z.enum(['month', 'year']),
  stripePriceId: z.string().nullable(),
  maxMembers: z.number().nullable(),
  maxLocations: z.number().nullable(),
  maxTerminals: z.number().nullable(),
  modules: z.array(z.string()).nullable(),
});
const tenantDetail = tenantSummary.extend({
  plan: plan.nullable(),
  signup: z
    .object({ ownerName: z.string(), ownerEmail: z.string(), decision: z.enum(['approved', 'rejected']).nullable(), reason: z.string().nullable(), decidedAt: z.string().nullable() })
    .nullable(),
  limits: z.array(z.object({ key: z.enum(['members', 'locations', 'terminals']), max: z.number().nullable(), used: z.number().nullable() })),
  memberCount: z.number(),
  modules: z.array(z.object({ id: z.string(), enabled: z.boolean(), inPlan: z.boolean() })),
  flags: z.array(z.object({ flag: z.string(), enabled: z.boolean() })),
});
const announcement = z.object({
  id: z.uuid(),
  kind: z.enum(['announcement', 'maintenance']),
  title: z.string(),
  body: z.string(),
  severity: z.enum(['info', 'warning', 'critical']),
  audience: z.enum(['all', 'editions', 'tenants']),
  editions: z.array(z.string()),
  tenantIds: z.array(z.string()),
  visibleFrom: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  withdrawnAt: z.string().nullable(),
});
const oneTenant = z.object({ data: tenantSummary });

export function platformApiRoutes(app: AppInstance, setup: PlatformSetup): void {
  app.post(
    '/v1/platform/signups',
    {
      config: { access: 'public', rateClass: 'auth' },
      schema: {
        tags,
        summary: 'Apply for a business: a pending tenant and its owner account, usable once the platform approves it',
        body: signupInput,
        response: { 201: z.object({ data: z.object({ tenantId: z.uuid(), slug: z.string(), status: z.literal('pending') }) }) },
      },
    },
    async (request, reply) => reply.code(201).send({ data: await submitSignup(request.server.db, setup, request.body, { requestId: request.id }) }),
  );

  app.get(
    '/v1/platform/tenants',
    { config: TENANT_READ, schema: { tags, summary: 'List businesses, newest first, by status and search', querystring: tenantListQuery, response: { 200: z.object({ data: z.array(tenantSummary), total: z.number() }) } } },
    (request) => listTenantsForConsole(serviceContext(request), request.query),
  );

  app.get(
    '/v1/platform/tenants/:id',
    { config: TENANT_READ, schema: { tags, summary: 'One business: status, plan, limits and usage, modules, flags', params: idParams, response: { 200: z.object({ data: tenantDetail }) } } },
    async (request) => ({ data: await getTenantDetail(serviceContext(request), setup, request.params.id) }),
  );

  app.post(
    '/v1/platform/tenants/:id/approve',
    { config: TENANT_APPROVE, schema: { tags, summary: 'Approve a pending business: roles provisioned, owner seated and emailed', params: idParams, response: { 200: oneTenant } } },
    async (request) => ({ data: await approveTenant(serviceContext(request), setup, request.params.id) }),
  );

  app.post(
    '/v1/platform/tenants/:id/reject',
    { config: TENANT_APPROVE, schema: { tags, summary: 'Reject a pending business (closed); the reason is emailed to the applicant', params: idParams, body: reasonInput, response: { 200: oneTenant } } },
    async (request) => ({ data: await rejectTenant(serviceContext(request), request.params.id, request.body.reason) }),
  );

  app.post(
    '/v1/platform/tenants/:id/suspend',
    { config: TENANT_STATUS, schema: { tags, summary: 'Suspend a business: sign-in and requests refused, data kept', params: idParams, body: reasonInput, response: { 200: oneTenant } } },
    async (request) => ({ data: await suspendTenant(serviceContext(request), request.params.id, request.body.reason) }),
  );

  app.post(
    '/v1/platform/tenants/:id/resume',
    { config: TENANT_STATUS, schema: { tags, summary: 'Resume a suspended business', params: idParams, response: { 200: oneTenant } } },
    async (request) => ({ data: await resumeTenant(serviceContext(request), request.params.id) }),
  );

  app.post(
    '/v1/platform/tenants/:id/close',
    { config: TENANT_STATUS, schema: { tags, summary: 'Close a business for good (its data stays)', params: idParams, body: optionalReasonInput.optional(), response: { 200: oneTenant } } },
    async (request) => ({ data: await closeTenant(serviceContext(request), request.params.id, request.body?.reason) }),
  );

  app.put(
    '/v1/platform/tenants/:id/modules/:module',
    {
      config: TENANT_CONFIGURE,
      schema: { tags, summary: "Switch one of the business's modules on or off", params: idParams.extend({ module: moduleIdParam }), body: moduleSwitchInput, response: { 204: z.undefined() } },
    },
    async (request, reply) => {
      await setTenantModule(serviceContext(request), setup, request.params.id, request.params.module, request.body.enabled);
      return reply.code(204).send();
    },
  );

  app.put(
    '/v1/platform/tenants/:id/flags/:flag',
    { config: TENANT_CONFIGURE, schema: { tags, summary: 'Set a feature flag of the business', params: idParams.extend({ flag: featureFlagKey }), body: featureFlagInput, response: { 204: z.undefined() } } },
    async (request, reply) => {
      await setTenantFlag(serviceContext(request), request.params.id, request.params.flag, request.body.enabled);
      return reply.code(204).send();
    },
  );

  app.put(
    '/v1/platform/tenants/:id/plan',
    { config: TENANT_CONFIGURE, schema: { tags, summary: 'Put the business on a plan: its limits and modules follow', params: idParams, body: planAssignment, response: { 200: z.object({ data: plan }) } } },
    async (request) => ({ data: await assignPlan(serviceContext(request), setup, request.params.id, request.body.planId) }),
  );

  app.get('/v1/platform/plans', { config: PLAN_READ, schema: { tags, summary: 'List plans, cheapest first', response: { 200: z.object({ data: z.array(plan) }) } } }, async (request) => ({
    data: await listPlans(serviceContext(request)),
  }));

  app.get('/v1/platform/plans/:id', { config: PLAN_READ, schema: { tags, summary: 'Get one plan', params: idParams, response: { 200: z.object({ data: plan }) } } }, async (request) => ({
    data: await getPlan(serviceContext(request), request.params.id),
  }));

  app.post('/v1/platform/plans', { config: PLAN_WRITE, schema: { tags, summary: 'Create a plan', body: planInput, response: { 201: z.object({ data: plan }) } } }, async (request, reply) =>
    reply.code(201).send({ data: await createPlan(serviceContext(request), request.body) }),
  );

  app.put(
    '/v1/platform/plans/:id',
    { config: PLAN_WRITE, schema: { tags, summary: "Replace a plan's terms (businesses on it keep theirs until it is assigned again)", params: idParams, body: planInput, response: { 200: z.object({ data: plan }) } } },
    async (request) => ({ data: await updatePlan(serviceContext(request), request.params.id, request.body) }),
  );

  app.get(
    '/v1/platform/announcements',
    { config: ANNOUNCEMENT_READ, schema: { tags, summary: 'List announcements and maintenance windows, latest first', response: { 200: z.object({ data: z.array(announcement) }) } } },
    async (request) => ({ data: await listAnnouncements(serviceContext(request)) }),
  );

  app.post(
    '/v1/platform/announcements',
    { config: ANNOUNCEMENT_WRITE, schema: { tags, summary: 'Publish an announcement or maintenance window to businesses', body: announcementInput, response: { 201: z.object({ data: announcement }) } } },
    async (request, reply) => reply.code(201).send({ data: await createAnnouncement(serviceContext(request), setup, request.body) }),
  );

  app.post(
    '/v1/platform/announcements/:id/withdraw',
    { config: ANNOUNCEMENT_WRITE, schema: { tags, summary: 'Take an announcement down (idempotent)', params: idParams, response: { 200: z.object({ data: announcement }) } } },
    async (request) => ({ data: await withdrawAnnouncement(serviceContext(request), request.params.id) }),
  );
}
