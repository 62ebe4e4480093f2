import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import { tenantMember } from '../../kernel/access/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import type { Db, Tx } from '../../kernel/db/index.ts';
import type { PageBanner } from '../../kernel/module/index.ts';
import { listDevices } from '../../kernel/identity/index.ts';
import { appUser } from '../../kernel/identity/user.table.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { PaymentsError, type PaymentsProvider } from '../../kernel/payments/index.ts';
import { PLATFORM_TENANT_ID, tenantTable, withTenantTx } from '../../kernel/tenancy/index.ts';
import { listPlans, type Plan } from '../platform/index.ts';
import { billingInvoice, billingSubscription, type SubscriptionStatus } from './billing.table.ts';
import type { InvoiceView, SubscribeInput, SubscriptionView } from './domain/types.ts';
import { billingErrors } from './errors.ts';

export type SubscriptionRow = typeof billingSubscription.$inferSelect;
type InvoiceRow = typeof billingInvoice.$inferSelect;

export const subscriptionTarget = (tenantId: string) => ({ type: 'billing.subscription', id: tenantId });
export const DUNNING: readonly SubscriptionStatus[] = ['past_due', 'unpaid'];
/** Statuses in which the provider subscription still runs (and can be changed or cancelled). */
const RUNNING: readonly SubscriptionStatus[] = ['trialing', 'active', 'past_due', 'unpaid', 'incomplete'];

/** Idempotency keys derived from the tenant (and plan), never random: a retried request cannot create twice. */
export const customerKey = (tenantId: string) => `billing:customer:${tenantId}`;
export const subscriptionKey = (tenantId: string, planKey: string, generation: number) => `billing:subscription:${tenantId}:${planKey}:${generation}`;

function assertBusiness(ctx: Pick<ServiceContext, 'tenantId'>): void {
  if (ctx.tenantId === PLATFORM_TENANT_ID) throw billingErrors.notForPlatform();
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

function toView(row: SubscriptionRow, plans: readonly Plan[]): SubscriptionView {
  const plan = plans.find((candidate) => candidate.key === row.planKey);
  return {
    planKey: row.planKey,
    pendingPlanKey: row.pendingPlanKey,
    plan: plan ? { key: plan.key, name: plan.name, priceMinor: plan.priceMinor, currency: plan.currency, interval: plan.interval } : null,
    status: row.status,
    provider: row.provider,
    providerCustomerId: row.providerCustomerId,
    providerSubscriptionId: row.providerSubscriptionId,
    currentPeriodEnd: iso(row.currentPeriodEnd),
    cancelAtPeriodEnd: row.cancelAtPeriodEnd,
    dunning: DUNNING.includes(row.status),
  };
}

export function toInvoiceView(row: InvoiceRow): InvoiceView {
  return {
    id: row.id,
    providerInvoiceId: row.providerInvoiceId,
    number: row.number,
    amountDueMinor: row.amountDueMinor,
    amountPaidMinor: row.amountPaidMinor,
    currency: row.currency,
    status: row.status,
    hostedUrl: row.hostedUrl,
    periodStart: iso(row.periodStart),
    periodEnd: iso(row.periodEnd),
    createdAt: row.createdAt.toISOString(),
  };
}

const ofTenant = (tenantId: string) => eq(billingSubscription.tenantId, tenantId);

/** The tenant's subscription row under its row lock (held until commit); every change starts here. */
export async function lockSubscription(tx: Tx, tenantId: string): Promise<SubscriptionRow | undefined> {
  const [row] = await tx.select().from(billingSubscription).where(ofTenant(tenantId)).for('update');
  return row;
}

/** The plans a business can subscribe to through the provider (those with a Stripe price). */
export async function billablePlans(ctx: ServiceContext): Promise<Plan[]> {
  return (await listPlans(ctx)).filter((plan) => plan.stripePriceId !== null);
}

/** The business's subscription, or null before it first subscribes. */
export async function getSubscription(ctx: ServiceContext): Promise<SubscriptionView | null> {
  assertBusiness(ctx);
  const [row] = await withTenantTx(ctx, (uow) => uow.tx.select().from(billingSubscription).where(ofTenant(ctx.tenantId)));
  return row ? toView(row, await listPlans(ctx)) : null;
}

/** The business's invoices, newest first. */
export async function listInvoices(ctx: ServiceContext, limit = 100): Promise<InvoiceView[]> {
  assertBusiness(ctx);
  const rows = await withTenantTx(ctx, (uow) =>
    uow.tx.select().from(billingInvoice).where(eq(billingInvoice.tenantId, ctx.tenantId)).orderBy(desc(billingInvoice.createdAt), desc(billingInvoice.id)).limit(limit),
  );
  return rows.map(toInvoiceView);
}

/** Refuses a plan whose limits the business is already over (CONFLICT naming the limit). */
async function assertWithinPlan(tx: Tx, tenantId: string, plan: Plan): Promise<void> {
  if (plan.maxMembers !== null) {
    const [row] = await tx
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(tenantMember)
      .where(and(eq(tenantMember.tenantId, tenantId), eq(tenantMember.status, 'active')));
    const used = row?.n ?? 0;
    if (used > plan.maxMembers) throw billingErrors.overPlanLimit(plan.key, 'members', plan.maxMembers, used);
  }
  if (plan.maxTerminals !== null) {
    const used = (await listDevices({ db: tx, tenantId })).filter((device) => !device.revokedAt).length;
    if (used > plan.maxTerminals) throw billingErrors.overPlanLimit(plan.key, 'terminals', plan.maxTerminals, used);
  }
}

type Prepared = { kind: 'done'; row: SubscriptionRow } | { kind: 'call'; row: SubscriptionRow };

/** Step 1, one transaction: the row locked (created on first use), limits checked, the asked-for plan recorded as pending. */
function prepare(ctx: ServiceContext, provider: PaymentsProvider, plan: Plan): Promise<Prepared> {
  return withTenantTx(ctx, async (uow) => {
    await uow.tx.insert(billingSubscription).values({ tenantId: ctx.tenantId, provider: provider.id }).onConflictDoNothing();
    const row = await lockSubscription(uow.tx, ctx.tenantId);
    if (!row) throw new Error(`billing subscription of ${ctx.tenantId} neither inserted nor found`);
    // Asked before and answered: the same request again changes nothing and calls no provider.
    if (row.planKey === plan.key && row.providerSubscriptionId && RUNNING.includes(row.status) && !row.pendingPlanKey) return { kind: 'done', row };
    await assertWithinPlan(uow.tx, ctx.tenantId, plan);
    if (row.pendingPlanKey === plan.key) return { kind: 'call', row };
    // After a cancellation a new subscription is a new operation: it gets the next idempotency key.
    const ended = row.status === 'canceled' && row.providerSubscriptionId !== null;
    const [pending] = await uow.tx
      .update(billingSubscription)
      .set({ pendingPlanKey: plan.key, provider: row.providerCustomerId ? row.provider : provider.id, ...(ended ? { generation: row.generation + 1 } : {}), updatedAt: sql`now()` })
      .where(ofTenant(ctx.tenantId))
      .returning();
    if (!pending) throw new Error('billing subscription vanished under its row lock');
    recordAudit(uow, { action: 'billing.subscription.requested', target: subscriptionTarget(ctx.tenantId), data: { plan: plan.key, from: row.planKey } });
    return { kind: 'call', row: pending };
  });
}

/** Who the provider customer is: the business's name and its longest-standing active member's email. */
async function customerIdentity(ctx: ServiceContext): Promise<{ email: string; name: string }> {
  const [tenant] = await ctx.db.select({ name: tenantTable.name, slug: tenantTable.slug }).from(tenantTable).where(eq(tenantTable.id, ctx.tenantId));
  const [member] = await withTenantTx(ctx, (uow) =>
    uow.tx
      .select({ email: appUser.email })
      .from(tenantMember)
      .innerJoin(appUser, eq(appUser.id, tenantMember.userId))
      .where(and(eq(tenantMember.tenantId, ctx.tenantId), eq(tenantMember.status, 'active')))
      .orderBy(asc(tenantMember.createdAt))
      .limit(1),
  );
  return { name: tenant?.name ?? ctx.tenantId, email: member?.email ?? `billing+${tenant?.slug ?? ctx.tenantId}@invalid.example` };
}

/** Records the provider customer once (a parallel request may have recorded the same one first). */
function recordCustomer(ctx: ServiceContext, customerId: string): Promise<SubscriptionRow> {
  return withTenantTx(ctx, async (uow) => {
    const row = await lockSubscription(uow.tx, ctx.tenantId);
    if (!row) throw new Error('billing subscription vanished');
    if (row.providerCustomerId) return row;
    const [updated] = await uow.tx.update(billingSubscription).set({ providerCustomerId: customerId, updatedAt: sql`now()` }).where(ofTenant(ctx.tenantId)).returning();
    if (!updated) throw new Error('billing subscription vanished under its row lock');
    recordAudit(uow, { action: 'billing.customer.created', target: subscriptionTarget(ctx.tenantId), data: { provider: row.provider, providerCustomerId: customerId } });
    return updated;
  });
}

/** Step 3: the provider's subscription recorded under the row lock, once; answers the subscription it replaced, if any. */
function recordSubscription(ctx: ServiceContext, plan: Plan, subscription: { id: string; status: SubscriptionStatus }): Promise<{ row: SubscriptionRow; replaced: string | null }> {
  return withTenantTx(ctx, async (uow) => {
    const row = await lockSubscription(uow.tx, ctx.tenantId);
    if (!row) throw new Error('billing subscription vanished');
    if (row.providerSubscriptionId === subscription.id) return { row, replaced: null };
    const replaced = row.providerSubscriptionId && RUNNING.includes(row.status) ? row.providerSubscriptionId : null;
    const [updated] = await uow.tx
      .update(billingSubscription)
      .set({
        planKey: plan.key,
        pendingPlanKey: null,
        providerSubscriptionId: subscription.id,
        status: subscription.status,
        cancelAtPeriodEnd: false,
        currentPeriodEnd: null,
        providerEventAt: null,
        updatedAt: sql`now()`,
      })
      .where(ofTenant(ctx.tenantId))
      .returning();
    if (!updated) throw new Error('billing subscription vanished under its row lock');
    const facts = { tenantId: ctx.tenantId, plan: plan.key, previousPlan: row.planKey, providerSubscriptionId: subscription.id, status: subscription.status };
    const action = row.planKey && replaced ? 'billing.subscription.plan_changed' : 'billing.subscription.started';
    recordAudit(uow, { action, target: subscriptionTarget(ctx.tenantId), data: { ...facts, replacedSubscriptionId: replaced } });
    emit(uow, { type: action, payload: facts });
    return { row: updated, replaced };
  });
}

/** A refused provider call leaves no pending plan behind (webhooks stop waiting for it). */
function abandonPending(ctx: ServiceContext, plan: Plan, message: string): Promise<void> {
  return withTenantTx(ctx, async (uow) => {
    const row = await lockSubscription(uow.tx, ctx.tenantId);
    if (!row || row.pendingPlanKey !== plan.key) return;
    await uow.tx.update(billingSubscription).set({ pendingPlanKey: null, updatedAt: sql`now()` }).where(ofTenant(ctx.tenantId));
    recordAudit(uow, { action: 'billing.subscription.refused', target: subscriptionTarget(ctx.tenantId), data: { plan: plan.key, message } });
  });
}

/** A provider call whose failure is answered as billing's CONFLICT (retry later, or refused). */
async function asked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof PaymentsError)) throw error;
    throw error.retryable ? billingErrors.unavailable() : billingErrors.refused(error.message);
  }
}

async function call<T>(ctx: ServiceContext, plan: Plan, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof PaymentsError)) throw error;
    if (error.retryable) throw billingErrors.unavailable();
    await abandonPending(ctx, plan, error.message);
    throw billingErrors.refused(error.message);
  }
}

/**
 * Subscribes the business to a plan, or moves it to another one: the provider customer is created
 * once per tenant and the provider subscription once per tenant, plan and generation (idempotency
 * keys derived from them, never random), outside any transaction; each answer is recorded under
 * the subscription's row lock. Asking again for the plan it is on calls no provider. Changing
 * plans starts the new subscription first, then cancels the old one.
 */
export async function subscribe(ctx: ServiceContext, provider: PaymentsProvider | undefined, input: SubscribeInput): Promise<SubscriptionView> {
  assertBusiness(ctx);
  const plans = await listPlans(ctx);
  const plan = plans.find((candidate) => candidate.key === input.planKey);
  if (!plan) throw billingErrors.planNotFound(input.planKey);
  if (!plan.stripePriceId) throw billingErrors.planNotBillable(plan.key);
  if (!provider) throw billingErrors.providerMissing();
  const priceId = plan.stripePriceId;
  const prepared = await prepare(ctx, provider, plan);
  if (prepared.kind === 'done') return toView(prepared.row, plans);
  let row = prepared.row;
  if (!row.providerCustomerId) {
    const identity = await customerIdentity(ctx);
    const customer = await call(ctx, plan, () => provider.createCustomer({ ...identity, idempotencyKey: customerKey(ctx.tenantId) }));
    row = await recordCustomer(ctx, customer.id);
  }
  const customerId = row.providerCustomerId;
  if (!customerId) throw new Error('provider customer not recorded');
  const subscription = await call(ctx, plan, () => provider.createSubscription({ customerId, priceId, idempotencyKey: subscriptionKey(ctx.tenantId, plan.key, row.generation) }));
  const recorded = await recordSubscription(ctx, plan, subscription);
  if (recorded.replaced) {
    // The business is on the new plan already; the old subscription's own webhooks no longer match the row.
    const replaced = recorded.replaced;
    await provider.cancelSubscription({ subscriptionId: replaced }).catch((error: unknown) => {
      ctx.log.error({ err: error, providerSubscriptionId: replaced }, 'could not cancel the replaced subscription; cancel it at the provider');
    });
  }
  return toView(recorded.row, plans);
}

/** Idempotency key of one change of cancel-at-period-end, derived from the subscription and the row state it was decided on. */
export const cancelAtPeriodEndKey = (row: Pick<SubscriptionRow, 'tenantId' | 'providerSubscriptionId' | 'updatedAt'>, cancel: boolean) =>
  `billing:cancel-at-period-end:${row.tenantId}:${row.providerSubscriptionId}:${cancel}:${row.updatedAt.getTime()}`;

/**
 * Schedules the end of the subscription at the end of the paid period (cancel) or takes that back
 * (resume); idempotent. The provider is asked first, outside any transaction, then its answer is
 * recorded under the row lock with the audit row and event. If the process dies in between, the
 * provider's `customer.subscription.updated` webhook carries `cancel_at_period_end` and records it.
 */
async function setCancelAtPeriodEnd(ctx: ServiceContext, provider: PaymentsProvider | undefined, cancel: boolean): Promise<SubscriptionView> {
  assertBusiness(ctx);
  const plans = await listPlans(ctx);
  const [row] = await withTenantTx(ctx, (uow) => uow.tx.select().from(billingSubscription).where(ofTenant(ctx.tenantId)));
  const subscriptionId = row?.providerSubscriptionId;
  if (!row || !subscriptionId || !RUNNING.includes(row.status)) throw billingErrors.noSubscription();
  if (row.cancelAtPeriodEnd === cancel) return toView(row, plans);
  if (!provider) throw billingErrors.providerMissing();
  const answer = await asked(() => provider.setCancelAtPeriodEnd({ subscriptionId, cancelAtPeriodEnd: cancel, idempotencyKey: cancelAtPeriodEndKey(row, cancel) }));
  const recorded = answer.cancelAtPeriodEnd ?? cancel;
  return withTenantTx(ctx, async (uow) => {
    const locked = await lockSubscription(uow.tx, ctx.tenantId);
    // The subscription was replaced (or its webhook recorded the change) meanwhile: nothing left to record.
    if (!locked || locked.providerSubscriptionId !== subscriptionId || locked.cancelAtPeriodEnd === recorded) return toView(locked ?? row, plans);
    const [updated] = await uow.tx.update(billingSubscription).set({ cancelAtPeriodEnd: recorded, updatedAt: sql`now()` }).where(ofTenant(ctx.tenantId)).returning();
    if (!updated) throw new Error('billing subscription vanished under its row lock');
    const action = recorded ? 'billing.subscription.cancel_scheduled' : 'billing.subscription.cancel_withdrawn';
    const facts = { tenantId: ctx.tenantId, plan: locked.planKey, providerSubscriptionId: subscriptionId, currentPeriodEnd: iso(locked.currentPeriodEnd) };
    recordAudit(uow, { action, target: subscriptionTarget(ctx.tenantId), data: facts });
    emit(uow, { type: action, payload: facts });
    return toView(updated, plans);
  });
}

/** Cancels at the end of the paid period (idempotent): the business keeps its plan until then. */
export const cancelAtPeriodEnd = (ctx: ServiceContext, provider: PaymentsProvider | undefined) => setCancelAtPeriodEnd(ctx, provider, true);
/** Takes a scheduled cancellation back (idempotent): the subscription renews as before. */
export const resumeSubscription = (ctx: ServiceContext, provider: PaymentsProvider | undefined) => setCancelAtPeriodEnd(ctx, provider, false);

/**
 * A session of the provider's billing portal (change card, see invoices), returning to `returnUrl`.
 * Refused until the business has a provider customer, i.e. before it first subscribes.
 */
export async function openBillingPortal(ctx: ServiceContext, provider: PaymentsProvider | undefined, returnUrl: string): Promise<{ url: string }> {
  assertBusiness(ctx);
  const [row] = await withTenantTx(ctx, (uow) => uow.tx.select().from(billingSubscription).where(ofTenant(ctx.tenantId)));
  const customerId = row?.providerCustomerId;
  if (!customerId) throw billingErrors.noCustomer();
  if (!provider) throw billingErrors.providerMissing();
  return asked(() => provider.createBillingPortalSession({ customerId, returnUrl }));
}

/** A banner on every page of a business whose plan is in dunning, pointing at /billing. */
export async function dunningBanners(db: Db, tenant: { id: string }): Promise<PageBanner[]> {
  if (tenant.id === PLATFORM_TENANT_ID) return [];
  const [row] = await withTenantTx({ db, tenantId: tenant.id }, (uow) =>
    uow.tx.select({ status: billingSubscription.status }).from(billingSubscription).where(ofTenant(tenant.id)),
  );
  if (!row || !DUNNING.includes(row.status)) return [];
  return [
    {
      id: `billing-dunning-${row.status}`,
      severity: row.status === 'unpaid' ? 'critical' : 'warning',
      title: row.status === 'unpaid' ? 'Your plan is unpaid' : 'Your last payment failed',
      body: 'Update your card or pay the open invoice on the Billing page to keep your plan.',
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Platform staff (platform.billing.*, which count in the platform tenant only)

/** The business a staff member names, as the context its billing use cases run in (its audit chain, the staff actor). */
async function businessContext(ctx: ServiceContext, tenantId: string): Promise<ServiceContext> {
  if (ctx.tenantId !== PLATFORM_TENANT_ID || tenantId === PLATFORM_TENANT_ID) throw billingErrors.tenantNotFound();
  const [tenant] = await ctx.db.select({ id: tenantTable.id }).from(tenantTable).where(eq(tenantTable.id, tenantId));
  if (!tenant) throw billingErrors.tenantNotFound();
  const { permissions: _staffPermissions, ...rest } = ctx;
  return { ...rest, tenantId };
}

/** A business's subscription and invoices, for platform staff. */
export async function getTenantBilling(ctx: ServiceContext, tenantId: string): Promise<{ subscription: SubscriptionView | null; invoices: InvoiceView[] }> {
  const business = await businessContext(ctx, tenantId);
  return { subscription: await getSubscription(business), invoices: await listInvoices(business) };
}

/** Platform staff subscribe a business to a plan (or change its plan): the same use case, audited in the business's chain as the staff member. */
export async function subscribeTenant(ctx: ServiceContext, provider: PaymentsProvider | undefined, tenantId: string, input: SubscribeInput): Promise<SubscriptionView> {
  return subscribe(await businessContext(ctx, tenantId), provider, input);
}
