import { eq } from 'drizzle-orm';
import type { ServiceContext } from '../../kernel/context.ts';
import { defineEventHandler, type DomainEvent, type EventType } from '../../kernel/jobs/index.ts';
import { PLATFORM_TENANT_ID, scopeTransactionTo, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import type { OfferedEdition } from './domain/types.ts';
import { platformPlan, platformTenantBilling, platformTenantPlan } from './platform.table.ts';
import { assignPlan } from './plans.service.ts';
import { resumeAfterBilling, suspendTenant } from './tenants.service.ts';

/**
 * Billing's events the platform acts on, named rather than imported: billing depends on the
 * platform (it reads plans through its index.ts), so the platform cannot import billing. Their
 * payload carries the business, the plan key and the subscription's status after the change.
 *
 * Why an event consumed here rather than billing calling assignPlan: the plan's modules depend
 * on the business's edition, which only the platform knows (the composition hands it the
 * editions); and suspension is the platform's decision on billing's news. Both run in this job's
 * one transaction, with their audit rows, exactly once per event.
 */
export const BILLING_STATE_EVENTS = ['billing.subscription.started', 'billing.subscription.plan_changed', 'billing.subscription.updated', 'billing.subscription.lapsed'] as const satisfies readonly EventType[];

/** A subscription in these statuses pays for its plan; in these it has lapsed. */
const PAYING: readonly string[] = ['active', 'trialing'];
const LAPSED: readonly string[] = ['canceled', 'unpaid'];

/** The platform's use cases, run inside the handler's unit of work (each a savepoint in the platform's scope). */
const asPlatform = (uow: UnitOfWork): ServiceContext => ({ ...uow, db: uow.tx, tenantId: PLATFORM_TENANT_ID });

/**
 * Brings the business in line with its subscription: while it pays, it is on the subscribed plan
 * (limits and modules follow) and a suspension billing caused is lifted; once it lapses, it is
 * suspended with cause billing. An event older than the newest one applied changes nothing (job
 * retries can reorder them); past_due and incomplete change nothing either (dunning runs first).
 */
export async function applyBillingState(uow: UnitOfWork, editions: readonly OfferedEdition[], event: DomainEvent<(typeof BILLING_STATE_EVENTS)[number]>): Promise<void> {
  const tenantId = event.tenantId;
  const { plan, status } = event.payload;
  if (tenantId === PLATFORM_TENANT_ID) return;
  const at = new Date(event.occurredAt);
  const byTenant = eq(platformTenantBilling.businessTenantId, tenantId);
  await uow.tx.insert(platformTenantBilling).values({ businessTenantId: tenantId, status, eventAt: at }).onConflictDoNothing();
  const [standing] = await uow.tx.select().from(platformTenantBilling).where(byTenant).for('update');
  if (!standing || standing.eventAt > at) {
    uow.log.info({ tenantId, status, newer: standing?.eventAt }, 'older billing event ignored');
    return;
  }
  await uow.tx.update(platformTenantBilling).set({ status, eventAt: at }).where(byTenant);

  // The platform's use cases audit in both chains as the system actor; they start from the platform's scope.
  if (PAYING.includes(status)) {
    if (typeof plan === 'string') await followPlan(uow, editions, tenantId, plan);
    await resumeAfterBilling(asPlatform(uow), tenantId);
  } else if (LAPSED.includes(status)) {
    await suspendTenant(asPlatform(uow), tenantId, `Billing: the subscription is ${status}.`, 'billing');
  }
  // The use cases re-scoped this transaction; the job's next event expects its own tenant's scope.
  await scopeTransactionTo(uow, tenantId);
}

/** Assigns the subscribed plan unless the business is on it already (re-assigning would rewrite its limits for nothing). */
async function followPlan(uow: UnitOfWork, editions: readonly OfferedEdition[], tenantId: string, planKey: string): Promise<void> {
  const [plan] = await uow.tx.select({ id: platformPlan.id }).from(platformPlan).where(eq(platformPlan.key, planKey));
  if (!plan) {
    uow.log.warn({ tenantId, plan: planKey }, 'subscribed plan no longer exists; assignment left as it is');
    return;
  }
  const [current] = await uow.tx.select({ planId: platformTenantPlan.planId }).from(platformTenantPlan).where(eq(platformTenantPlan.businessTenantId, tenantId));
  if (current?.planId === plan.id) return;
  await assignPlan(asPlatform(uow), { editions }, tenantId, plan.id);
}

/** The platform's handler of billing's subscription events. */
export const billingStateHandler = (editions: readonly OfferedEdition[]) =>
  defineEventHandler({
    name: 'billing-state',
    events: BILLING_STATE_EVENTS,
    handle: (uow, event) => applyBillingState(uow, editions, event),
  });
