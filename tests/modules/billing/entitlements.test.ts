import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import { APP_ROLE, createDatabase, type Database } from '../../../src/kernel/db/index.ts';
import { deliverEvent, type HandlerJobData } from '../../../src/kernel/jobs/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { PaymentsError } from '../../../src/kernel/payments/index.ts';
import { PLATFORM_TENANT_ID } from '../../../src/kernel/tenancy/index.ts';
import { cancelAtPeriodEnd, getSubscription, resumeSubscription, subscribe, type SubscriptionView } from '../../../src/modules/billing/index.ts';
import { BILLING_STATE_EVENTS, suspendTenant } from '../../../src/modules/platform/index.ts';
import { planEditions } from '../../../src/editions/compose.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { platformAdmin } from '../platform/support.ts';
import { countingStripe, invoiceEvent, now, stripeWebhooks, subscriptionEvent } from './support.ts';

const log = createLogger('silent');

/** The platform's handler of billing's events, as the full composition registers it (with its editions). */
function platformBillingHandler() {
  const platform = planEditions({ editions: undefined }).modules.find((module) => module.id === 'platform');
  const definition = platform?.eventHandlers?.find((handler) => handler.name === 'billing-state');
  assert.ok(definition);
  return { name: 'platform.billing-state', definition };
}

describe('billing ↔ platform: cancel at period end at the provider, the billing portal, the plan following the subscription, suspension on lapse', () => {
  let t: TestApp;
  let appDatabase: Database;
  let ctxA: ServiceContext;
  let ctxB: ServiceContext;
  let webhooks: ReturnType<typeof stripeWebhooks>;
  const stripe = countingStripe();
  const stateHandler = platformBillingHandler();
  const plans: Record<'small' | 'big', { key: string; id: string; price: string }> = {} as never;
  let subA: SubscriptionView;
  let subB: SubscriptionView;

  const owner = <R extends Record<string, unknown>>(query: string, values: unknown[] = []) => t.database.pool.query<R>(query, values);
  const one = async <R extends Record<string, unknown>>(query: string, values: unknown[]) => (await owner<R>(query, values)).rows[0];
  const count = async (query: string, values: unknown[]) => Number((await one<{ n: number }>(`SELECT count(*)::int AS n FROM (${query}) AS q`, values))?.n);
  const audits = (tenantId: string, action: string) => count('SELECT 1 FROM audit_event WHERE tenant_id = $1 AND action = $2', [tenantId, action]);
  const assignedPlan = async (tenantId: string) => (await one<{ key: string }>('SELECT p.key FROM platform_tenant_plan a JOIN platform_plan p ON p.id = a.plan_id WHERE a.business_tenant_id = $1', [tenantId]))?.key;
  const limit = async (tenantId: string, key: string) => (await one<{ max: number | null }>('SELECT max FROM tenant_limit WHERE tenant_id = $1 AND key = $2', [tenantId, key]))?.max;
  const tenantStatus = async (tenantId: string) => (await one<{ status: string }>('SELECT status FROM tenant WHERE id = $1', [tenantId]))?.status;
  const suspensionCause = async (tenantId: string) => (await one<{ cause: string }>('SELECT cause FROM platform_tenant_suspension WHERE business_tenant_id = $1', [tenantId]))?.cause;

  /** Billing's subscription events of a tenant (oldest first) not yet handed to the platform's handler. */
  async function billingJobs(tenantId: string): Promise<HandlerJobData[]> {
    const { rows } = await owner<{ id: string; type: string; payload: Record<string, unknown>; occurred_at: Date }>(
      `SELECT o.id, o.type, o.payload, o.occurred_at FROM jobs_outbox o
        WHERE o.tenant_id = $1 AND o.type = ANY($2)
          AND NOT EXISTS (SELECT 1 FROM jobs_processed_event p WHERE p.event_id = o.id AND p.handler = $3)
        ORDER BY o.occurred_at, o.id`,
      [tenantId, [...BILLING_STATE_EVENTS], stateHandler.name],
    );
    return rows.map((row) => ({ id: row.id, type: row.type, tenantId, payload: row.payload, occurredAt: row.occurred_at.toISOString(), handler: stateHandler.name }));
  }
  const deliverState = (job: HandlerJobData) => deliverEvent(appDatabase, log, stateHandler, job);
  /** Runs the platform's handler over the tenant's pending billing events, as the worker would. */
  async function settle(tenantId: string): Promise<void> {
    for (const job of await billingJobs(tenantId)) await deliverState(job);
  }

  async function plan(name: 'small' | 'big', maxMembers: number, modules: string[] | null) {
    const key = `${name}-${randomUUID().slice(0, 8)}`;
    const price = `price_${randomUUID().replaceAll('-', '')}`;
    const row = await one<{ id: string }>(
      `INSERT INTO platform_plan (key, name, price_minor, currency, interval, stripe_price_id, max_members, modules) VALUES ($1, $1, 1900, 'EUR', 'month', $2, $3, $4) RETURNING id`,
      [key, price, maxMembers, modules],
    );
    plans[name] = { key, id: row?.id as string, price };
  }
  const idsOf = (view: SubscriptionView) => {
    assert.ok(view.providerCustomerId && view.providerSubscriptionId);
    return { customer: view.providerCustomerId, subscription: view.providerSubscriptionId };
  };

  before(async () => {
    t = await startTestApp();
    appDatabase = createDatabase(t.database.url, { poolMax: 8, log, role: APP_ROLE });
    webhooks = stripeWebhooks(t, appDatabase, log);
    const base = { db: appDatabase.db, actor: { kind: 'system', process: 'test' } as const, requestId: randomUUID(), log };
    ctxA = { ...base, tenantId: t.tenantA.id };
    ctxB = { ...base, tenantId: t.tenantB.id };
    await plan('small', 5, null);
    // The big plan leaves reports out: its assignment switches the module off.
    await plan('big', 50, ['catalog', 'locations', 'inventory', 'pos']);
    subA = await subscribe(ctxA, stripe.provider, { planKey: plans.small.key });
    subB = await subscribe(ctxB, stripe.provider, { planKey: plans.small.key });
  });
  after(async () => {
    await appDatabase.close();
    await t.close();
  });

  test('cancel at period end goes to the provider with a key derived from the subscription and its state, once; resume takes it back', async () => {
    const calls = stripe.calls.cancelAtPeriodEnd;
    const before = calls.length;
    const scheduled = await cancelAtPeriodEnd(ctxA, stripe.provider);
    assert.equal(scheduled.cancelAtPeriodEnd, true);
    assert.equal(calls.length, before + 1);
    assert.match(calls.at(-1) ?? '', new RegExp(`^billing:cancel-at-period-end:${t.tenantA.id}:${subA.providerSubscriptionId}:true:\\d+$`));
    await cancelAtPeriodEnd(ctxA, stripe.provider);
    assert.equal(calls.length, before + 1, 'already scheduled: the provider is not asked again');
    assert.equal(await audits(t.tenantA.id, 'billing.subscription.cancel_scheduled'), 1);
    const resumed = await resumeSubscription(ctxA, stripe.provider);
    assert.equal(resumed.cancelAtPeriodEnd, false);
    assert.match(calls.at(-1) ?? '', /:false:\d+$/);
    assert.equal(await audits(t.tenantA.id, 'billing.subscription.cancel_withdrawn'), 1);
    const resumedCalls = calls.length;
    await resumeSubscription(ctxA, stripe.provider);
    assert.equal(calls.length, resumedCalls, 'nothing scheduled: the provider is not asked');
    // Tenant B's subscription was not touched.
    assert.equal((await getSubscription(ctxB))?.cancelAtPeriodEnd, false);
  });

  test('a provider refusal records nothing; a crash after the provider call is reconciled by the customer.subscription.updated webhook', async () => {
    const refused = { ...stripe.provider, setCancelAtPeriodEnd: () => Promise.reject(new PaymentsError('No such subscription', 'stripe', false)) };
    await assert.rejects(cancelAtPeriodEnd(ctxA, refused), (error: { status?: number; details?: { reason?: string } }) => error.status === 409 && error.details?.reason === 'PROVIDER_REFUSED');
    assert.equal((await getSubscription(ctxA))?.cancelAtPeriodEnd, false);

    // The provider recorded it, then the process died before our transaction: Stripe's webhook brings it.
    const { customer, subscription } = idsOf(subA);
    await stripe.provider.setCancelAtPeriodEnd({ subscriptionId: subscription, cancelAtPeriodEnd: true, idempotencyKey: 'crash' });
    await webhooks.handle(subscriptionEvent('customer.subscription.updated', { id: subscription, customer, status: 'active', cancelAtPeriodEnd: true, price: plans.small.price }));
    assert.equal((await getSubscription(ctxA))?.cancelAtPeriodEnd, true);
    await resumeSubscription(ctxA, stripe.provider);
  });

  test('the billing portal: a 303 to the provider session returning to /billing; refused clearly before the business has a customer', async () => {
    const browser = await t.browserFor('tenant-a');
    const form = { cookie: browser.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': browser.csrfToken };
    const page = await t.app.inject({ method: 'GET', url: '/billing', headers: { cookie: browser.cookie, accept: 'text/html' } });
    assert.match(page.body, /action="\/billing\/portal"/);
    assert.match(page.body, /Manage payment method/);
    const redirected = await t.app.inject({ method: 'POST', url: '/billing/portal', headers: form, payload: new URLSearchParams({ _csrf: browser.csrfToken }).toString() });
    assert.equal(redirected.statusCode, 303, redirected.body.slice(0, 300));
    const location = new URL(String(redirected.headers.location));
    assert.equal(location.pathname, '/billing', 'the fake portal sends the owner straight back to the return url');
    assert.match(location.searchParams.get('notice') ?? '', /Fake billing portal/);

    const api = await t.app.inject({ method: 'POST', url: '/v1/billing/portal-session', headers: await t.headersFor('tenant-a') });
    assert.equal(api.statusCode, 200, api.body);
    assert.match(api.json().data.url, /\/billing\?notice=/);

    const fresh = await t.app.inject({ method: 'POST', url: '/v1/billing/portal-session', headers: await t.headersFor('tenant-portal-less') });
    assert.equal(fresh.statusCode, 409);
    assert.equal(fresh.json().error.details.reason, 'BILLING_NO_CUSTOMER');
    const freshBrowser = await t.browserFor('tenant-portal-less');
    const freshPage = await t.app.inject({
      method: 'POST',
      url: '/billing/portal',
      headers: { ...form, cookie: freshBrowser.cookie, 'x-csrf-token': freshBrowser.csrfToken },
      payload: new URLSearchParams({ _csrf: freshBrowser.csrfToken }).toString(),
    });
    assert.equal(freshPage.statusCode, 409);
    assert.match(freshPage.body, /subscribe to a plan first/);
  });

  test('the plan follows the subscription: started → assigned with its limits; a price change at Stripe moves the assignment and the modules; replays change nothing', async () => {
    await settle(t.tenantA.id);
    await settle(t.tenantB.id);
    assert.equal(await assignedPlan(t.tenantA.id), plans.small.key);
    assert.equal(await limit(t.tenantA.id, 'members'), 5);
    assert.equal(await audits(t.tenantA.id, 'platform.tenant.plan_assigned'), 1);

    const { customer, subscription } = idsOf(subA);
    await webhooks.handle(subscriptionEvent('customer.subscription.updated', { id: subscription, customer, status: 'active', price: plans.big.price }));
    assert.equal((await getSubscription(ctxA))?.planKey, plans.big.key);
    assert.equal(await audits(t.tenantA.id, 'billing.subscription.plan_changed'), 1);
    const jobs = await billingJobs(t.tenantA.id);
    assert.ok(jobs.some((job) => job.type === 'billing.subscription.plan_changed'));
    for (const job of jobs) await Promise.all([deliverState(job), deliverState({ ...job })]);
    assert.equal(await assignedPlan(t.tenantA.id), plans.big.key);
    assert.equal(await limit(t.tenantA.id, 'members'), 50);
    const reports = await one<{ enabled: boolean }>(`SELECT enabled FROM tenant_module_toggle WHERE tenant_id = $1 AND module_id = 'reports'`, [t.tenantA.id]);
    assert.equal(reports?.enabled, false, 'the big plan leaves reports out');
    assert.equal(await audits(t.tenantA.id, 'platform.tenant.plan_assigned'), 2, 'both events of the change assign once');

    // The same webhook again, and a renewal on the same price: no further assignment.
    await webhooks.handle(subscriptionEvent('customer.subscription.updated', { id: subscription, customer, status: 'active', price: plans.big.price, periodEnd: now() + 60 * 86_400 }));
    await settle(t.tenantA.id);
    assert.equal(await audits(t.tenantA.id, 'platform.tenant.plan_assigned'), 2);

    // Tenant isolation: B stays on its plan; an event naming B's customer with A's subscription changes neither.
    assert.equal(await assignedPlan(t.tenantB.id), plans.small.key);
    const b = idsOf(subB);
    await webhooks.handle(subscriptionEvent('customer.subscription.updated', { id: subscription, customer: b.customer, status: 'active', price: plans.big.price }));
    await settle(t.tenantB.id);
    assert.equal(await assignedPlan(t.tenantB.id), plans.small.key);
    assert.equal((await getSubscription(ctxB))?.planKey, plans.small.key);
    assert.equal(await limit(t.tenantB.id, 'members'), 5);
  });

  test('a lapsed subscription suspends the business (cause billing) and payment lifts it; an older event arriving late changes nothing', async () => {
    const { customer, subscription } = idsOf(subA);
    await webhooks.handle(subscriptionEvent('customer.subscription.updated', { id: subscription, customer, status: 'unpaid', price: plans.big.price }));
    const lapsed = await billingJobs(t.tenantA.id);
    assert.ok(lapsed.some((job) => job.type === 'billing.subscription.lapsed'));
    for (const job of lapsed) await deliverState(job);
    assert.equal(await tenantStatus(t.tenantA.id), 'suspended');
    assert.equal(await suspensionCause(t.tenantA.id), 'billing');
    assert.equal(await tenantStatus(t.tenantB.id), 'active', 'only the lapsed business is suspended');
    const blocked = await t.app.inject({ method: 'GET', url: '/v1/billing/subscription', headers: await t.headersFor('tenant-a') });
    assert.notEqual(blocked.statusCode, 200, 'a suspended business cannot be used');

    const invoice = { id: `in_${randomUUID()}`, customer, subscription, due: 1900 };
    await webhooks.handle(invoiceEvent('invoice.paid', { ...invoice, status: 'paid', paid: 1900 }));
    assert.equal((await getSubscription(ctxA))?.status, 'active');
    const restored = await billingJobs(t.tenantA.id);
    for (const job of restored) await deliverState(job);
    assert.equal(await tenantStatus(t.tenantA.id), 'active');
    assert.equal(await suspensionCause(t.tenantA.id), undefined);
    assert.equal(await audits(t.tenantA.id, 'platform.tenant.suspended'), 1);
    assert.equal(await audits(t.tenantA.id, 'platform.tenant.resumed'), 1);

    // A retried lapse job delivered after the payment (older occurred_at) is ignored.
    const [stale] = lapsed.filter((job) => job.type === 'billing.subscription.lapsed');
    assert.ok(stale);
    await deliverState({ ...stale, id: randomUUID() });
    assert.equal(await tenantStatus(t.tenantA.id), 'active');
  });

  test('a suspension an operator made is never lifted by a payment, also when billing had suspended the business first', async () => {
    const admin = { ...ctxA, tenantId: PLATFORM_TENANT_ID };
    const b = idsOf(subB);
    // B: the operator suspends for fraud, then billing lapses and recovers.
    await suspendTenant(admin, t.tenantB.id, 'Fraud review');
    assert.equal(await suspensionCause(t.tenantB.id), 'operator');
    await webhooks.handle(subscriptionEvent('customer.subscription.updated', { id: b.subscription, customer: b.customer, status: 'unpaid', price: plans.small.price }));
    await settle(t.tenantB.id);
    assert.equal(await suspensionCause(t.tenantB.id), 'operator', 'billing does not take an operator suspension over');
    await webhooks.handle(invoiceEvent('invoice.paid', { id: `in_${randomUUID()}`, customer: b.customer, subscription: b.subscription, status: 'paid', due: 1900, paid: 1900 }));
    await settle(t.tenantB.id);
    assert.equal(await tenantStatus(t.tenantB.id), 'suspended');

    // A: billing suspends, the operator then suspends too; payment leaves it suspended.
    const a = idsOf(subA);
    await webhooks.handle(subscriptionEvent('customer.subscription.updated', { id: a.subscription, customer: a.customer, status: 'unpaid', price: plans.big.price }));
    await settle(t.tenantA.id);
    assert.equal(await suspensionCause(t.tenantA.id), 'billing');
    await suspendTenant(admin, t.tenantA.id, 'Chargeback dispute');
    assert.equal(await suspensionCause(t.tenantA.id), 'operator');
    assert.equal(await audits(PLATFORM_TENANT_ID, 'platform.tenant.suspension_taken_over'), 1);
    await webhooks.handle(invoiceEvent('invoice.paid', { id: `in_${randomUUID()}`, customer: a.customer, subscription: a.subscription, status: 'paid', due: 1900, paid: 1900 }));
    await settle(t.tenantA.id);
    assert.equal(await tenantStatus(t.tenantA.id), 'suspended');
  });
  test('a Stripe price belongs to one plan: a second plan with it is a CONFLICT naming the field', async () => {
    const admin = await platformAdmin(t);
    const taken = await t.app.inject({
      method: 'POST',
      url: '/v1/platform/plans',
      headers: admin.headers,
      payload: { key: `dup-${randomUUID().slice(0, 8)}`, name: 'Duplicate', priceMinor: 100, currency: 'EUR', interval: 'month', stripePriceId: plans.small.price },
    });
    assert.equal(taken.statusCode, 409, taken.body);
    assert.deepEqual(taken.json().error.details, { reason: 'PLATFORM_PLAN_PRICE_TAKEN', field: 'stripePriceId' });
  });
});
