import { and, count, desc, eq, ilike, ne, or, sql, type SQL } from 'drizzle-orm';
import { putMember, syncTemplateRoles, tenantMember } from '../../kernel/access/index.ts';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import type { Tx } from '../../kernel/db/index.ts';
import { listDevices } from '../../kernel/identity/index.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { queueNotification } from '../../kernel/notify/index.ts';
import {
  changeTenantStatus,
  lifecycleErrors,
  PLATFORM_TENANT_ID,
  setFeatureFlag,
  setModuleEnabled,
  tenantFeatureFlag,
  tenantLimit,
  tenantModuleToggle,
  tenantTable,
  type TenantStatus, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { TENANT_PAGE_SIZE, type TenantListQuery } from './domain/inputs.ts';
import type { OfferedEdition, PlatformSetup, TenantDetail, TenantSummary } from './domain/types.ts';
import { platformErrors } from './errors.ts';
import { signupApprovedMail, signupRejectedMail } from './mail.ts';
import { platformPlan, platformSignup, platformTenantPlan, platformTenantSuspension, type SuspensionCause } from './platform.table.ts';
import { toPlan } from './plans.service.ts';
import { assertCustomerTenant, escapeLike, inPlatform, inTenant } from './scopes.ts';

const target = (id: string) => ({ type: 'tenancy.tenant', id });

const summaryColumns = {
  id: tenantTable.id,
  slug: tenantTable.slug,
  name: tenantTable.name,
  edition: tenantTable.edition,
  status: tenantTable.status,
  createdAt: tenantTable.createdAt,
  planKey: platformPlan.key,
  ownerEmail: platformSignup.ownerEmail,
};

interface SummaryRow {
  id: string;
  slug: string;
  name: string;
  edition: string;
  status: TenantStatus;
  createdAt: Date;
  planKey: string | null;
  ownerEmail: string | null;
}

const toSummary = (row: SummaryRow): TenantSummary => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  edition: row.edition,
  status: row.status,
  planKey: row.planKey,
  ownerEmail: row.ownerEmail,
  createdAt: row.createdAt.toISOString(),
});

/** Businesses with their plan and applicant, newest first; the platform tenant is not listed. */
export async function listTenantsForConsole(ctx: ServiceContext, query: TenantListQuery): Promise<{ data: TenantSummary[]; total: number }> {
  const conditions: (SQL | undefined)[] = [ne(tenantTable.id, PLATFORM_TENANT_ID)];
  if (query.status) conditions.push(eq(tenantTable.status, query.status));
  if (query.q) {
    const pattern = `%${escapeLike(query.q)}%`;
    conditions.push(or(ilike(tenantTable.name, pattern), ilike(tenantTable.slug, pattern), ilike(platformSignup.ownerEmail, pattern)));
  }
  const rows = await ctx.db
    .select({ ...summaryColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(tenantTable)
    .leftJoin(platformTenantPlan, eq(platformTenantPlan.businessTenantId, tenantTable.id))
    .leftJoin(platformPlan, eq(platformPlan.id, platformTenantPlan.planId))
    .leftJoin(platformSignup, eq(platformSignup.businessTenantId, tenantTable.id))
    .where(and(...conditions))
    .orderBy(desc(tenantTable.createdAt), tenantTable.id)
    .limit(TENANT_PAGE_SIZE)
    .offset((query.page - 1) * TENANT_PAGE_SIZE);
  return { data: rows.map(toSummary), total: rows[0]?.total ?? 0 };
}

/** Every business by name, for choosing some of them (an announcement's audience); the platform tenant is not one. */
export async function tenantChoices(ctx: ServiceContext): Promise<{ id: string; name: string }[]> {
  return ctx.db.select({ id: tenantTable.id, name: tenantTable.name }).from(tenantTable).where(ne(tenantTable.id, PLATFORM_TENANT_ID)).orderBy(tenantTable.name, tenantTable.id).limit(500);
}

async function tenantRow(tx: Tx, tenantId: string, lock = false) {
  assertCustomerTenant(tenantId);
  const query = tx
    .select({ id: tenantTable.id, slug: tenantTable.slug, name: tenantTable.name, edition: tenantTable.edition, status: tenantTable.status, createdAt: tenantTable.createdAt })
    .from(tenantTable)
    .where(eq(tenantTable.id, tenantId));
  const [row] = await (lock ? query.for('update') : query);
  if (!row) throw platformErrors.tenantNotFound();
  return row;
}

/** The edition's modules as the console can switch them; empty for an edition this build does not serve. */
const editionOf = (setup: PlatformSetup, editionId: string): OfferedEdition | undefined => setup.editions.find((edition) => edition.id === editionId);

/** Everything the console shows about one business; its own rows are read in its tenant scope. */
export async function getTenantDetail(ctx: ServiceContext, setup: PlatformSetup, tenantId: string): Promise<TenantDetail> {
  return ctx.db.transaction(async (tx) => {
    const tenant = await tenantRow(tx, tenantId);
    const [extra] = await tx
      .select({ signup: platformSignup, plan: platformPlan })
      .from(tenantTable)
      .leftJoin(platformSignup, eq(platformSignup.businessTenantId, tenantTable.id))
      .leftJoin(platformTenantPlan, eq(platformTenantPlan.businessTenantId, tenantTable.id))
      .leftJoin(platformPlan, eq(platformPlan.id, platformTenantPlan.planId))
      .where(eq(tenantTable.id, tenantId));
    const plan = extra?.plan ? toPlan(extra.plan) : null;
    const own = await inTenant(tx, ctx, tenantId, async (scoped) => ({
      limits: await scoped.tx.select({ key: tenantLimit.key, max: tenantLimit.max }).from(tenantLimit).where(eq(tenantLimit.tenantId, tenantId)),
      members: (await scoped.tx.select({ n: count() }).from(tenantMember).where(and(eq(tenantMember.tenantId, tenantId), eq(tenantMember.status, 'active'))))[0]?.n ?? 0,
      terminals: (await listDevices({ db: scoped.tx, tenantId })).filter((device) => !device.revokedAt).length,
      toggles: await scoped.tx.select({ moduleId: tenantModuleToggle.moduleId, enabled: tenantModuleToggle.enabled }).from(tenantModuleToggle).where(eq(tenantModuleToggle.tenantId, tenantId)),
      flags: await scoped.tx.select({ flag: tenantFeatureFlag.flag, enabled: tenantFeatureFlag.enabled }).from(tenantFeatureFlag).where(eq(tenantFeatureFlag.tenantId, tenantId)).orderBy(tenantFeatureFlag.flag),
    }));
    const maxOf = (key: string) => own.limits.find((limit) => limit.key === key)?.max ?? null;
    const switchedOff = new Set(own.toggles.filter((toggle) => !toggle.enabled).map((toggle) => toggle.moduleId));
    const signup = extra?.signup;
    return {
      ...tenant,
      planKey: plan?.key ?? null,
      ownerEmail: signup?.ownerEmail ?? null,
      createdAt: tenant.createdAt.toISOString(),
      plan,
      signup: signup
        ? { ownerName: signup.ownerName, ownerEmail: signup.ownerEmail, decision: signup.decision, reason: signup.decisionReason, decidedAt: signup.decidedAt?.toISOString() ?? null }
        : null,
      limits: [
        { key: 'members', max: maxOf('members'), used: own.members },
        // Locations belong to the locations module, which the console does not reach into.
        { key: 'locations', max: maxOf('locations'), used: null },
        { key: 'terminals', max: maxOf('terminals'), used: own.terminals },
      ],
      memberCount: own.members,
      modules: (editionOf(setup, tenant.edition)?.modules ?? []).map((id) => ({ id, enabled: !switchedOff.has(id), inPlan: plan?.modules == null || plan.modules.includes(id) })),
      flags: own.flags,
    };
  });
}

interface Decision {
  to: TenantStatus;
  /** Statuses the decision starts from (a subset of what the lifecycle allows). */
  from: readonly TenantStatus[];
  event: 'approved' | 'rejected' | 'suspended' | 'resumed' | 'closed';
  reason?: string | undefined;
}

type BusinessRow = Awaited<ReturnType<typeof tenantRow>>;

/**
 * Moves a business along its lifecycle: the status, the business's own audit entry and whatever
 * `inBusiness` adds (roles and owner on approval) in its scope; then the platform's audit entry,
 * the event and `inPlatformScope`'s mail, all in one transaction. Repeating a done move is a no-op.
 */
async function decide<T = undefined>(
  ctx: ServiceContext,
  tenantId: string,
  decision: Decision,
  steps: {
    /** Checked under the lock: false leaves the business as it is (a move another party must not make). */
    onlyIf?: (tx: Tx, tenant: BusinessRow) => Promise<boolean>;
    /** Runs under the lock when the business already has the status asked for. */
    whenAlready?: (tx: Tx, tenant: BusinessRow) => Promise<void>;
    inBusiness?: (tx: Tx, tenant: BusinessRow) => Promise<T>;
    inPlatformScope?: (scoped: UnitOfWork, tenant: BusinessRow, fromBusiness: T | undefined) => Promise<void>;
  } = {},
): Promise<TenantSummary> {
  return ctx.db.transaction(async (tx) => {
    // Locked first, so two staff deciding at once apply one after the other.
    const tenant = await tenantRow(tx, tenantId, true);
    if (tenant.status === decision.to) {
      await steps.whenAlready?.(tx, tenant);
      return summaryOf(tx, tenantId);
    }
    if (steps.onlyIf && !(await steps.onlyIf(tx, tenant))) return summaryOf(tx, tenantId);
    if (!decision.from.includes(tenant.status))
      throw decision.event === 'approved' || decision.event === 'rejected' ? platformErrors.notPending(tenant.status) : lifecycleErrors.notAllowed(tenant.status, decision.to);
    const data = { from: tenant.status, to: decision.to, ...(decision.reason ? { reason: decision.reason } : {}) };
    const action = `platform.tenant.${decision.event}` as const;
    const fromBusiness = await inTenant(tx, ctx, tenantId, async (scoped) => {
      await changeTenantStatus(scoped.tx, tenantId, decision.to);
      const result = await steps.inBusiness?.(scoped.tx, tenant);
      recordAudit(scoped, { action, target: target(tenantId), data });
      return result;
    });
    await inPlatform(tx, ctx, async (scoped) => {
      await steps.inPlatformScope?.(scoped, tenant, fromBusiness);
      emit(scoped, { type: action, payload: { tenantId, slug: tenant.slug, ...data } });
      recordAudit(scoped, { action, target: target(tenantId), data: { slug: tenant.slug, ...data } });
    });
    return summaryOf(tx, tenantId);
  });
}

async function summaryOf(tx: Tx, tenantId: string): Promise<TenantSummary> {
  const [row] = await tx
    .select(summaryColumns)
    .from(tenantTable)
    .leftJoin(platformTenantPlan, eq(platformTenantPlan.businessTenantId, tenantTable.id))
    .leftJoin(platformPlan, eq(platformPlan.id, platformTenantPlan.planId))
    .leftJoin(platformSignup, eq(platformSignup.businessTenantId, tenantTable.id))
    .where(eq(tenantTable.id, tenantId));
  if (!row) throw platformErrors.tenantNotFound();
  return toSummary(row);
}

async function signupOf(tx: Tx, tenantId: string) {
  const [row] = await tx.select().from(platformSignup).where(eq(platformSignup.businessTenantId, tenantId)).for('update');
  return row;
}

const recordDecision = (uow: UnitOfWork, tenantId: string, decision: 'approved' | 'rejected', reason: string | null) =>
  uow.tx
    .update(platformSignup)
    .set({ decision, decisionReason: reason, decidedAt: sql`now()`, decidedBy: uow.actor.kind === 'user' ? `user:${uow.actor.userId}` : uow.actor.kind })
    .where(eq(platformSignup.businessTenantId, tenantId));

/**
 * Approval makes a pending business usable: active, its edition's template roles in place and the
 * applicant seated as owner, so their next sign-in lands in it; the applicant is emailed.
 */
export async function approveTenant(ctx: ServiceContext, setup: PlatformSetup, tenantId: string): Promise<TenantSummary> {
  return decide(ctx, tenantId, { to: 'active', from: ['pending'], event: 'approved' }, {
    inBusiness: async (tx, tenant) => {
      const edition = editionOf(setup, tenant.edition);
      if (!edition) throw platformErrors.editionUnknown(tenant.edition);
      await syncTemplateRoles(tx, tenantId, edition.roleTemplates, setup.declared);
      const signup = await signupOf(tx, tenantId);
      if (signup) await putMember(tx, tenantId, signup.ownerUserId, ['owner']);
      return signup;
    },
    inPlatformScope: async (scoped, tenant, signup) => {
      if (!signup) return;
      await recordDecision(scoped, tenantId, 'approved', null);
      await queueNotification(scoped, { channel: 'email', to: signup.ownerEmail, template: signupApprovedMail, data: { ownerName: signup.ownerName, businessName: tenant.name } });
    },
  });
}

/** Rejection closes a pending business (final); the reason is emailed to the applicant and kept. */
export async function rejectTenant(ctx: ServiceContext, tenantId: string, reason: string): Promise<TenantSummary> {
  return decide(ctx, tenantId, { to: 'closed', from: ['pending'], event: 'rejected', reason }, {
    inPlatformScope: async (scoped, tenant) => {
      const signup = await signupOf(scoped.tx, tenantId);
      if (!signup) return;
      await recordDecision(scoped, tenantId, 'rejected', reason);
      await queueNotification(scoped, { channel: 'email', to: signup.ownerEmail, template: signupRejectedMail, data: { ownerName: signup.ownerName, businessName: tenant.name, reason } });
    },
  });
}

const suspensionOf = async (tx: Tx, tenantId: string) =>
  (await tx.select().from(platformTenantSuspension).where(eq(platformTenantSuspension.businessTenantId, tenantId)).for('update'))[0];
const forgetSuspension = async (tx: Tx, tenantId: string) => {
  await tx.delete(platformTenantSuspension).where(eq(platformTenantSuspension.businessTenantId, tenantId));
};

/**
 * Suspension blocks every sign-in and request into the business at once and keeps all its data.
 * Its cause is kept: billing lifts only what billing caused. An operator suspending a business
 * billing already suspended makes the suspension theirs, so a later payment does not lift it.
 * Billing suspends only an active business; one in any other state is left as it is.
 */
export const suspendTenant = (ctx: ServiceContext, tenantId: string, reason: string, cause: SuspensionCause = 'operator') =>
  decide(ctx, tenantId, { to: 'suspended', from: ['active'], event: 'suspended', reason }, {
    ...(cause === 'billing' ? { onlyIf: async (_tx: Tx, tenant: BusinessRow) => tenant.status === 'active' } : {}),
    inPlatformScope: async ({ tx }) => {
      await tx
        .insert(platformTenantSuspension)
        .values({ businessTenantId: tenantId, cause, reason })
        .onConflictDoUpdate({ target: platformTenantSuspension.businessTenantId, set: { cause, reason, suspendedAt: sql`now()` } });
    },
    whenAlready: async (tx, tenant) => {
      if (cause !== 'operator' || (await suspensionOf(tx, tenantId))?.cause !== 'billing') return;
      await inPlatform(tx, ctx, async (scoped) => {
        await scoped.tx.update(platformTenantSuspension).set({ cause, reason }).where(eq(platformTenantSuspension.businessTenantId, tenantId));
        recordAudit(scoped, { action: 'platform.tenant.suspension_taken_over', target: target(tenantId), data: { slug: tenant.slug, from: 'billing', to: cause, reason } });
      });
    },
  });
export const resumeTenant = (ctx: ServiceContext, tenantId: string) =>
  decide(ctx, tenantId, { to: 'active', from: ['suspended'], event: 'resumed' }, { inPlatformScope: ({ tx }) => forgetSuspension(tx, tenantId) });
/** Closing is final (the lifecycle allows no way back); the data stays in the database. */
export const closeTenant = (ctx: ServiceContext, tenantId: string, reason?: string) =>
  decide(ctx, tenantId, { to: 'closed', from: ['active', 'suspended'], event: 'closed', reason }, { inPlatformScope: ({ tx }) => forgetSuspension(tx, tenantId) });

/** Lifts a suspension billing caused, once the business pays again; one an operator made stays. */
export const resumeAfterBilling = (ctx: ServiceContext, tenantId: string) =>
  decide(ctx, tenantId, { to: 'active', from: ['suspended'], event: 'resumed', reason: 'billing' }, {
    onlyIf: async (tx, tenant) => tenant.status === 'suspended' && (await suspensionOf(tx, tenantId))?.cause === 'billing',
    inPlatformScope: ({ tx }) => forgetSuspension(tx, tenantId),
  });

/** The business's plan, read in the caller's transaction; null when it has none. */
async function planOf(tx: Tx, tenantId: string) {
  const [row] = await tx
    .select({ plan: platformPlan })
    .from(platformTenantPlan)
    .innerJoin(platformPlan, eq(platformPlan.id, platformTenantPlan.planId))
    .where(eq(platformTenantPlan.businessTenantId, tenantId));
  return row ? toPlan(row.plan) : null;
}

/**
 * Switches one of the business's edition modules on or off (while off its routes answer as
 * missing ones and its navigation entries go). A module the plan excludes stays off.
 */
export async function setTenantModule(ctx: ServiceContext, setup: PlatformSetup, tenantId: string, moduleId: string, enabled: boolean): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const tenant = await tenantRow(tx, tenantId);
    if (!editionOf(setup, tenant.edition)?.modules.includes(moduleId)) throw platformErrors.moduleUnknown(moduleId);
    const plan = await planOf(tx, tenantId);
    if (enabled && plan?.modules && !plan.modules.includes(moduleId)) throw platformErrors.moduleNotInPlan(moduleId);
    const data = { module: moduleId, enabled };
    await inTenant(tx, ctx, tenantId, async (scoped) => {
      await setModuleEnabled({ ...ctx, db: scoped.tx, tenantId }, moduleId, enabled);
      recordAudit(scoped, { action: 'platform.tenant.module_switched', target: target(tenantId), data });
    });
    await inPlatform(tx, ctx, async (scoped) => {
      emit(scoped, { type: 'platform.tenant.module_switched', payload: { tenantId, ...data } });
      recordAudit(scoped, { action: 'platform.tenant.module_switched', target: target(tenantId), data });
    });
  });
}

/** Sets a feature flag of the business (flags are off unless set). */
export async function setTenantFlag(ctx: ServiceContext, tenantId: string, flag: string, enabled: boolean): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await tenantRow(tx, tenantId);
    const data = { flag, enabled };
    await inTenant(tx, ctx, tenantId, async (scoped) => {
      await setFeatureFlag({ ...ctx, db: scoped.tx, tenantId }, flag, enabled);
      recordAudit(scoped, { action: 'platform.tenant.flag_set', target: target(tenantId), data });
    });
    await inPlatform(tx, ctx, async (scoped) => {
      emit(scoped, { type: 'platform.tenant.flag_set', payload: { tenantId, ...data } });
      recordAudit(scoped, { action: 'platform.tenant.flag_set', target: target(tenantId), data });
    });
  });
}
