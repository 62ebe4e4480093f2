import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import type { Tx } from '../../kernel/db/index.ts';
import { defineEventHandler, emit, type DomainEvent, type EventType } from '../../kernel/jobs/index.ts';
import { listPlans } from '../platform/index.ts';
import { claimWebhook, markWebhookProcessed, WEBHOOK_RECEIVED } from '../../kernel/webhooks/index.ts';
import { billingInvoice, billingSubscription, type InvoiceStatus, type SubscriptionStatus } from './billing.table.ts';
import { invoiceMoveAllowed, ownsBillingEvent, parseBillingEvent, type InvoiceReport, type SubscriptionReport } from './stripe-events.ts';
import { lockSubscription, subscriptionTarget, type SubscriptionRow } from './subscription.service.ts';
import { scopeTransactionTo, type UnitOfWork } from '../../kernel/tenancy/index.ts';

/** Thrown to have the job retried with back-off: the API request recording the subscription has not committed yet. */
export class SubscriptionNotReady extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubscriptionNotReady';
  }
}

type Ctx = Omit<ServiceContext, 'db' | 'permissions'>;

/** Ending states: the platform hears of them (`billing.subscription.lapsed`) and may suspend the business. */
const LAPSED: readonly SubscriptionStatus[] = ['canceled', 'unpaid'];

const INVOICE_EVENT = {
  draft: 'billing.invoice.created',
  open: 'billing.invoice.opened',
  paid: 'billing.invoice.paid',
  uncollectible: 'billing.invoice.uncollectible',
  void: 'billing.invoice.voided',
} as const satisfies Record<InvoiceStatus, EventType>;

/**
 * Which tenant a Stripe customer belongs to, through the narrow SECURITY DEFINER lookup of
 * migration 0001_customer_routing (the handler runs as the platform tenant, and row-level
 * security hides every tenant's billing rows from it).
 */
async function tenantOfCustomer(tx: Tx, provider: string, customerId: string): Promise<string | undefined> {
  const { rows } = await tx.execute<{ tenant_id: string | null }>(sql`SELECT billing_route_customer(${provider}, ${customerId}) AS tenant_id`);
  return rows[0]?.tenant_id ?? undefined;
}


interface StatusChange {
  status: SubscriptionStatus;
  /** The plan the provider says the subscription is for now (a price changed at Stripe); unchanged when undefined. */
  planKey?: string | undefined;
  currentPeriodEnd?: Date | null;
  cancelAtPeriodEnd?: boolean;
  occurredAt: Date;
}

/**
 * Moves the subscription (row lock held by the caller) as a provider event says, once: events
 * older than the last one applied are ignored, and canceled is final. A change is audited and
 * emitted in the caller's transaction; entering canceled or unpaid also emits
 * `billing.subscription.lapsed`.
 */
async function moveSubscription(uow: UnitOfWork<Ctx>, row: SubscriptionRow, next: StatusChange, detail: { providerEventId: string; source: string }): Promise<void> {
  if (row.providerEventAt && next.occurredAt < row.providerEventAt) {
    uow.log.warn({ status: row.status, outcome: next.status }, 'older subscription event ignored');
    return;
  }
  if (row.status === 'canceled' && next.status !== 'canceled') {
    uow.log.warn({ outcome: next.status }, 'event for a canceled subscription ignored');
    return;
  }
  const currentPeriodEnd = next.currentPeriodEnd === undefined ? row.currentPeriodEnd : next.currentPeriodEnd;
  const cancelAtPeriodEnd = next.cancelAtPeriodEnd ?? row.cancelAtPeriodEnd;
  const planKey = next.planKey ?? row.planKey;
  const changed =
    row.status !== next.status ||
    (currentPeriodEnd?.getTime() ?? null) !== (row.currentPeriodEnd?.getTime() ?? null) ||
    cancelAtPeriodEnd !== row.cancelAtPeriodEnd ||
    planKey !== row.planKey;
  await uow.tx
    .update(billingSubscription)
    .set({ status: next.status, planKey, currentPeriodEnd, cancelAtPeriodEnd, providerEventAt: next.occurredAt, updatedAt: sql`now()` })
    .where(eq(billingSubscription.tenantId, uow.tenantId));
  if (!changed) return;
  if (planKey !== row.planKey) {
    // Changed at Stripe (its dashboard or billing portal): the platform moves the plan assignment on this event.
    const moved = { tenantId: uow.tenantId, plan: planKey, previousPlan: row.planKey, providerSubscriptionId: row.providerSubscriptionId, status: next.status };
    recordAudit(uow, { action: 'billing.subscription.plan_changed', target: subscriptionTarget(uow.tenantId), data: { ...moved, ...detail } });
    emit(uow, { type: 'billing.subscription.plan_changed', payload: moved });
  }
  const facts = {
    tenantId: uow.tenantId,
    plan: planKey,
    providerSubscriptionId: row.providerSubscriptionId,
    status: next.status,
    previousStatus: row.status,
    currentPeriodEnd: currentPeriodEnd?.toISOString() ?? null,
    cancelAtPeriodEnd,
  };
  recordAudit(uow, { action: 'billing.subscription.updated', target: subscriptionTarget(uow.tenantId), data: { ...facts, ...detail } });
  emit(uow, { type: 'billing.subscription.updated', payload: facts });
  if (LAPSED.includes(next.status) && row.status !== next.status) {
    recordAudit(uow, { action: 'billing.subscription.lapsed', target: subscriptionTarget(uow.tenantId), data: { ...facts, ...detail } });
    emit(uow, { type: 'billing.subscription.lapsed', payload: facts });
  }
}

async function applySubscription(uow: UnitOfWork<Ctx>, row: SubscriptionRow, report: SubscriptionReport, providerEventId: string): Promise<void> {
  if (report.subscriptionId !== row.providerSubscriptionId) {
    // The API request that started it has not recorded it yet: retry until it has.
    if (row.pendingPlanKey) throw new SubscriptionNotReady(`subscription ${report.subscriptionId} of tenant ${uow.tenantId} is not recorded yet`);
    uow.log.info({ providerSubscriptionId: report.subscriptionId, current: row.providerSubscriptionId }, 'event for a subscription the business is not on; ignored');
    return;
  }
  const plan = report.priceId ? (await listPlans({ ...uow, db: uow.tx })).find((candidate) => candidate.stripePriceId === report.priceId) : undefined;
  if (report.priceId && !plan) uow.log.warn({ priceId: report.priceId }, 'subscription is for a Stripe price no plan carries; its plan is left as it is');
  await moveSubscription(uow, row, { ...report, planKey: plan?.key }, { providerEventId, source: 'subscription' });
}

type InvoiceRow = typeof billingInvoice.$inferSelect;

const invoiceFacts = (row: InvoiceRow) => ({
  invoiceId: row.id,
  providerInvoiceId: row.providerInvoiceId,
  providerSubscriptionId: row.providerSubscriptionId,
  amountDueMinor: row.amountDueMinor,
  amountPaidMinor: row.amountPaidMinor,
  currency: row.currency,
  status: row.status,
});

/** Upserts the invoice by its provider id under a row lock, moving its status only forwards. */
async function applyInvoice(uow: UnitOfWork<Ctx>, row: SubscriptionRow, report: InvoiceReport, providerEventId: string): Promise<void> {
  const fields = {
    providerSubscriptionId: report.subscriptionId,
    number: report.number,
    amountDueMinor: report.amountDueMinor,
    amountPaidMinor: report.amountPaidMinor,
    currency: report.currency,
    status: report.status,
    hostedUrl: report.hostedUrl,
    periodStart: report.periodStart,
    periodEnd: report.periodEnd,
  };
  const byProviderId = and(eq(billingInvoice.tenantId, uow.tenantId), eq(billingInvoice.provider, row.provider), eq(billingInvoice.providerInvoiceId, report.invoiceId));
  const [existing] = await uow.tx.select().from(billingInvoice).where(byProviderId).for('update');
  if (!existing) {
    const [inserted] = await uow.tx
      .insert(billingInvoice)
      .values({ tenantId: uow.tenantId, provider: row.provider, providerInvoiceId: report.invoiceId, ...fields })
      .onConflictDoNothing({ target: [billingInvoice.provider, billingInvoice.providerInvoiceId] })
      .returning();
    if (!inserted) {
      uow.log.warn({ providerInvoiceId: report.invoiceId }, 'invoice id is recorded for another business; ignored');
      return;
    }
    const facts = { tenantId: uow.tenantId, ...invoiceFacts(inserted) };
    recordAudit(uow, { action: 'billing.invoice.recorded', target: { type: 'billing.invoice', id: inserted.id }, data: { ...facts, providerEventId } });
    emit(uow, { type: INVOICE_EVENT[inserted.status], payload: facts });
  } else if (existing.status === report.status || invoiceMoveAllowed(existing.status, report.status)) {
    const same =
      existing.status === report.status &&
      existing.amountDueMinor === report.amountDueMinor &&
      existing.amountPaidMinor === report.amountPaidMinor &&
      existing.hostedUrl === report.hostedUrl &&
      existing.number === report.number;
    if (!same) {
      const [updated] = await uow.tx.update(billingInvoice).set({ ...fields, updatedAt: sql`now()` }).where(byProviderId).returning();
      if (!updated) throw new Error(`invoice ${existing.id} vanished under its row lock`);
      const facts = { tenantId: uow.tenantId, ...invoiceFacts(updated), previousStatus: existing.status };
      recordAudit(uow, { action: 'billing.invoice.updated', target: { type: 'billing.invoice', id: updated.id }, data: { ...facts, providerEventId } });
      emit(uow, { type: existing.status === updated.status ? 'billing.invoice.updated' : INVOICE_EVENT[updated.status], payload: facts });
    }
  } else {
    uow.log.warn({ invoiceId: existing.id, status: existing.status, outcome: report.status }, 'out-of-order invoice event ignored');
  }

  // Dunning as the invoice of the current subscription tells it, ahead of (or without) the subscription's own update.
  if (!report.subscriptionId || report.subscriptionId !== row.providerSubscriptionId) return;
  if (report.eventType === 'invoice.payment_failed' && (row.status === 'active' || row.status === 'trialing'))
    await moveSubscription(uow, row, { status: 'past_due', occurredAt: report.occurredAt }, { providerEventId, source: 'invoice.payment_failed' });
  if (report.eventType === 'invoice.paid' && (row.status === 'past_due' || row.status === 'unpaid' || row.status === 'incomplete'))
    await moveSubscription(uow, row, { status: 'active', occurredAt: report.occurredAt }, { providerEventId, source: 'invoice.paid' });
}

/**
 * Applies one stored Stripe billing event exactly once however often and however parallel it is
 * delivered, all in the job's one transaction: claim the inbox row (a replay waits, then finds it
 * processed); find the customer's tenant and scope the transaction to it; lock the tenant's
 * subscription row (API requests and other events of the business wait) and re-check it; apply
 * the effect (audit and outbox with it) and mark the inbox row processed.
 */
export async function handleBillingEvent(uow: UnitOfWork, event: DomainEvent<typeof WEBHOOK_RECEIVED>): Promise<void> {
  const { inboxId, provider, eventType } = event.payload;
  if (!ownsBillingEvent(provider, eventType)) return;
  const stored = await claimWebhook(uow.tx, inboxId);
  if (!stored) return;
  const log = uow.log.child({ inboxId, provider: stored.provider, providerEventId: stored.eventId, eventType: stored.eventType });
  const parsed = parseBillingEvent(stored.eventType, stored.payload);
  if (parsed.kind === 'none') {
    log.info({ why: parsed.why }, 'billing event needs no change');
    return markWebhookProcessed(uow.tx, inboxId);
  }
  const tenantId = await tenantOfCustomer(uow.tx, stored.provider, parsed.customerId);
  if (!tenantId) {
    // Customers are recorded before any subscription of theirs exists: this one is not Plinth's.
    log.info({ customerId: parsed.customerId }, 'billing event for a customer Plinth does not know');
    return markWebhookProcessed(uow.tx, inboxId);
  }
  const inTenant = { ...(await scopeTransactionTo(uow, tenantId)), log };
  const row = await lockSubscription(uow.tx, tenantId);
  // Re-checked under the lock: the routing saw the customer before we waited.
  if (!row || row.providerCustomerId !== parsed.customerId) throw new SubscriptionNotReady(`customer ${parsed.customerId} moved while waiting for its lock`);
  if (parsed.kind === 'subscription') await applySubscription(inTenant, row, parsed, stored.eventId);
  else await applyInvoice(inTenant, row, parsed, stored.eventId);
  await markWebhookProcessed(uow.tx, inboxId);
  await scopeTransactionTo(inTenant, uow.tenantId);
}

/** Billing's handler of stored provider webhooks. */
export const billingEventsHandler = defineEventHandler({
  name: 'stripe-events',
  events: [WEBHOOK_RECEIVED],
  handle: handleBillingEvent,
  // A subscription's first webhooks can outrun the request that records it; that commits within seconds.
  retry: { limit: 8, delaySeconds: 5, backoff: true },
});
