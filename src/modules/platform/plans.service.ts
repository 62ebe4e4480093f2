import { asc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { isUniqueViolation } from '../../kernel/db/index.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { setModuleEnabled, setTenantLimit, tenantTable } from '../../kernel/tenancy/index.ts';
import type { PlanInput } from './domain/inputs.ts';
import type { Plan, PlatformSetup } from './domain/types.ts';
import { platformErrors } from './errors.ts';
import { platformPlan, platformTenantPlan } from './platform.table.ts';
import { assertCustomerTenant, inPlatform, inTenant } from './scopes.ts';

const PLAN_KEY = 'platform_plan_key_unique';
const PLAN_PRICE = 'platform_plan_stripe_price_key';

/** A unique violation on the plan's key or its Stripe price, as the CONFLICT naming the field. */
const planConflict = (input: PlanInput) => (error: unknown) => {
  if (isUniqueViolation(error, PLAN_KEY)) throw platformErrors.planKeyTaken(input.key);
  if (input.stripePriceId && isUniqueViolation(error, PLAN_PRICE)) throw platformErrors.planPriceTaken(input.stripePriceId);
  throw error;
};
const target = (id: string) => ({ type: 'platform.plan', id });

export function toPlan(row: typeof platformPlan.$inferSelect): Plan {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    priceMinor: row.priceMinor,
    currency: row.currency,
    interval: row.interval,
    stripePriceId: row.stripePriceId,
    maxMembers: row.maxMembers,
    maxLocations: row.maxLocations,
    maxTerminals: row.maxTerminals,
    modules: row.modules,
  };
}

export async function listPlans(ctx: ServiceContext): Promise<Plan[]> {
  const rows = await ctx.db.select().from(platformPlan).orderBy(asc(platformPlan.priceMinor), asc(platformPlan.key));
  return rows.map(toPlan);
}

export async function getPlan(ctx: ServiceContext, id: string): Promise<Plan> {
  const [row] = await ctx.db.select().from(platformPlan).where(eq(platformPlan.id, id));
  if (!row) throw platformErrors.planNotFound();
  return toPlan(row);
}

export async function createPlan(ctx: ServiceContext, input: PlanInput): Promise<Plan> {
  return ctx.db
    .transaction((tx) =>
      inPlatform(tx, ctx, async (scoped) => {
        const [row] = await scoped.tx.insert(platformPlan).values(input).onConflictDoNothing({ target: platformPlan.key }).returning();
        if (!row) throw platformErrors.planKeyTaken(input.key);
        const plan = toPlan(row);
        emit(scoped, { type: 'platform.plan.created', payload: { planId: plan.id, key: plan.key } });
        recordAudit(scoped, { action: 'platform.plan.created', target: target(plan.id), data: { plan: input } });
        return plan;
      }),
    )
    .catch(planConflict(input));
}

/**
 * Changes a plan's terms. Businesses already on it keep the limits and modules written when it
 * was assigned until it is assigned again: changing terms under a paying business is a decision
 * of its own, not a side effect of editing the catalogue.
 */
export async function updatePlan(ctx: ServiceContext, id: string, input: PlanInput): Promise<Plan> {
  return ctx.db
    .transaction((tx) =>
      inPlatform(tx, ctx, async (scoped) => {
        const [before] = await scoped.tx.select().from(platformPlan).where(eq(platformPlan.id, id)).for('update');
        if (!before) throw platformErrors.planNotFound();
        const [row] = await scoped.tx.update(platformPlan).set({ ...input, updatedAt: sql`now()` }).where(eq(platformPlan.id, id)).returning();
        if (!row) throw platformErrors.planNotFound();
        const plan = toPlan(row);
        emit(scoped, { type: 'platform.plan.updated', payload: { planId: id, key: plan.key } });
        recordAudit(scoped, { action: 'platform.plan.updated', target: target(id), data: { before: toPlan(before), after: plan } });
        return plan;
      }),
    )
    .catch(planConflict(input));
}

/**
 * Puts a business on a plan: its limits are written to tenant_limit (null lifts one) and its
 * edition's modules are switched on when the plan includes them, off when not. A business over
 * a new limit is not broken: what it has stays, and adding one more (member, location,
 * terminal) is refused with CONFLICT PLAN_LIMIT_REACHED by the kernel's limit check until it is
 * back under the limit or on a bigger plan.
 */
export async function assignPlan(ctx: ServiceContext, setup: Pick<PlatformSetup, 'editions'>, tenantId: string, planId: string): Promise<Plan> {
  assertCustomerTenant(tenantId);
  return ctx.db.transaction(async (tx) => {
    const [tenant] = await tx.select({ id: tenantTable.id, slug: tenantTable.slug, edition: tenantTable.edition }).from(tenantTable).where(eq(tenantTable.id, tenantId)).for('update');
    if (!tenant) throw platformErrors.tenantNotFound();
    const [row] = await tx.select().from(platformPlan).where(eq(platformPlan.id, planId)).for('share');
    if (!row) throw platformErrors.planNotFound();
    const plan = toPlan(row);
    const editionModules = setup.editions.find((edition) => edition.id === tenant.edition)?.modules ?? [];
    const modules = editionModules.map((moduleId) => ({ moduleId, enabled: plan.modules === null || plan.modules.includes(moduleId) }));
    await tx
      .insert(platformTenantPlan)
      .values({ businessTenantId: tenantId, planId })
      .onConflictDoUpdate({ target: platformTenantPlan.businessTenantId, set: { planId, assignedAt: sql`now()` } });
    const data = {
      plan: plan.key,
      limits: { members: plan.maxMembers, locations: plan.maxLocations, terminals: plan.maxTerminals },
      modules: Object.fromEntries(modules.map(({ moduleId, enabled }) => [moduleId, enabled])),
    };
    await inTenant(tx, ctx, tenantId, async (scoped) => {
      await setTenantLimit(scoped.tx, tenantId, 'members', plan.maxMembers);
      await setTenantLimit(scoped.tx, tenantId, 'locations', plan.maxLocations);
      await setTenantLimit(scoped.tx, tenantId, 'terminals', plan.maxTerminals);
      for (const { moduleId, enabled } of modules) await setModuleEnabled({ ...ctx, db: scoped.tx, tenantId }, moduleId, enabled);
      recordAudit(scoped, { action: 'platform.tenant.plan_assigned', target: { type: 'tenancy.tenant', id: tenantId }, data });
    });
    await inPlatform(tx, ctx, async (scoped) => {
      emit(scoped, { type: 'platform.tenant.plan_assigned', payload: { tenantId, planId, ...data } });
      recordAudit(scoped, { action: 'platform.tenant.plan_assigned', target: { type: 'tenancy.tenant', id: tenantId }, data: { slug: tenant.slug, ...data } });
    });
    return plan;
  });
}
