import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../../kernel/jobs/index.ts';
import { TENANT_STATUSES } from '../../kernel/tenancy/index.ts';
import { AUDIENCES } from './domain/inputs.ts';

const id = z.guid();
const plan = z.object({ planId: id, key: z.string() });
const published = z.object({ announcementId: id, audience: z.enum(AUDIENCES) });
const withdrawn = z.object({ announcementId: id });
/** A business moved along its lifecycle by platform staff (or by billing's news). */
const decided = z.object({ tenantId: id, slug: z.string(), from: z.enum(TENANT_STATUSES), to: z.enum(TENANT_STATUSES), reason: z.string().optional() });
const limit = z.number().int().nullable();

/** The platform's events; announcements and maintenance windows have one pair each (`platform.<kind>.published|withdrawn`). */
export const platformEvents = defineEvents({
  'platform.plan.created': plan,
  'platform.plan.updated': plan,
  'platform.tenant.plan_assigned': z.object({
    tenantId: id,
    planId: id,
    plan: z.string(),
    limits: z.object({ members: limit, locations: limit, terminals: limit }),
    modules: z.record(z.string(), z.boolean()),
  }),
  'platform.signup.received': z.object({ tenantId: id, slug: z.string(), edition: z.string() }),
  'platform.announcement.published': published,
  'platform.maintenance.published': published,
  'platform.announcement.withdrawn': withdrawn,
  'platform.maintenance.withdrawn': withdrawn,
  'platform.tenant.approved': decided,
  'platform.tenant.rejected': decided,
  'platform.tenant.suspended': decided,
  'platform.tenant.resumed': decided,
  'platform.tenant.closed': decided,
  'platform.tenant.module_switched': z.object({ tenantId: id, module: z.string(), enabled: z.boolean() }),
  'platform.tenant.flag_set': z.object({ tenantId: id, flag: z.string(), enabled: z.boolean() }),
});

declare module '../../kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof platformEvents> {}
}
