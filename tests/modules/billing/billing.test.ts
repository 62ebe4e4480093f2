import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import { APP_ROLE, createDatabase, type Database } from '../../../src/kernel/db/index.ts';
import type { HandlerJobData } from '../../../src/kernel/jobs/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { PLATFORM_TENANT_ID, withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { getSubscription, subscribe, type SubscriptionView } from '../../../src/modules/billing/index.ts';
import { billingInvoice } from '../../../src/modules/billing/billing.table.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { platformAdmin, signUp } from '../platform/support.ts';
import { countingStripe, DAY, invoiceEvent, now, signedStripeHeaders, stripeWebhooks, subscriptionEvent } from './support.ts';

const log = createLogger('silent');

describe('billing: subscriptions through the payments port, invoices and dunning from Stripe webhooks', () => {
  let t: TestApp;
  let appDatabase: Database;
  let ctxA: ServiceContext;
  let ctxB: ServiceContext;
  let subA: SubscriptionView;
  const stripeA = countingStripe();

  const owner = <R extends Record<string, unknown>>(query: string, values: unknown[] = []) => t.database.pool.query<R>(query, values);
  const count = async (query: string, values: unknown[]) => Number((await owner<{ n: number }>(`SELECT count(*)::int AS n FROM (${query}) AS q`, values)).rows[0]?.n);
  const audits = (tenantId: string, action: string) => count('SELECT 1 FROM audit_event WHERE tenant_id = $1 AND action = $2', [tenantId, action]);
  const emitted = (tenantId: string, type: string) => count('SELECT 1 FROM jobs_outbox WHERE tenant_id = $1 AND type = $2', [tenantId, type]);
  const statusOf = async (tenantId: string) => (await owner<{ status: string }>('SELECT status FROM billing_subscription WHERE tenant_id = $1', [tenantId])).rows[0]?.status;
  const invoiceOf = async (providerInvoiceId: string) =>
    (await owner<{ status: string; amount_due_minor: string; amount_paid_minor: string; tenant_id: string }>('SELECT status, amount_due_minor, amount_paid_minor, tenant_id FROM billing_invoice WHERE provider_invoice_id = $1', [providerInvoiceId]))
      .rows[0];
  const processed = async (inboxId: string) => (await owner<{ processed_at: Date | null }>('SELECT processed_at FROM webhook_inbox WHERE id = $1', [inboxId])).rows[0]?.processed_at != null;

  async function plan(options: { price?: boolean; maxMembers?: number | null } = {}): Promise<string> {
    const key = `plan-${randomUUID().slice(0, 8)}`;
    await owner(`INSERT INTO platform_plan (key, name, price_minor, currency, interval, stripe_price_id, max_members) VALUES ($1, $2, 2900, 'EUR', 'month', $3, $4)`, [
      key,
      `Plan ${key}`,
      options.price === false ? null : `price_${randomUUID().replaceAll('-', '')}`,
      options.maxMembers ?? null,
    ]);
    return key;
  }

  let webhooks: ReturnType<typeof stripeWebhooks>;
  const receive = (payload: string) => webhooks.receive(payload);
  const deliver = (job: HandlerJobData) => webhooks.deliver(job);
  const handle = (payload: string) => webhooks.handle(payload);
  const redelivery = (job: HandlerJobData): HandlerJobData => ({ ...job, id: randomUUID() });
  const inboxOf = (job: HandlerJobData) => job.payload.inboxId as string;
  const ids = () => {
    assert.ok(subA.providerCustomerId && subA.providerSubscriptionId);
    return { customer: subA.providerCustomerId, subscription: subA.providerSubscriptionId };
  };

  before(async () => {
    t = await startTestApp();
    appDatabase = createDatabase(t.database.url, { poolMax: 16, log, role: APP_ROLE });
    webhooks = stripeWebhooks(t, appDatabase, log);
    const base = { db: appDatabase.db, actor: { kind: 'system', process: 'test' } as const, requestId: randomUUID(), log };
    ctxA = { ...base, tenantId: t.tenantA.id };
    ctxB = { ...base, tenantId: t.tenantB.id };
    subA = await subscribe(ctxA, stripeA.provider, { planKey: await plan() });
  });
  after(async () => {
    await appDatabase.close();
    await t.close();
  });

  test('subscribing twice (in sequence and 6 times in parallel) creates one provider customer and one subscription, keyed by tenant and plan', async () => {
    const { provider, calls } = countingStripe();
    const key = await plan();
    const results = await Promise.all(Array.from({ length: 6 }, () => subscribe(ctxB, provider, { planKey: key })));
    assert.equal(new Set(results.map((result) => result.providerCustomerId)).size, 1);
    assert.equal(new Set(results.map((result) => result.providerSubscriptionId)).size, 1);
    assert.ok(calls.customers.every((k) => k === `billing:customer:${t.tenantB.id}`));
    assert.ok(calls.subscriptions.every((k) => k === `billing:subscription:${t.tenantB.id}:${key}:0`));
    const before = calls.customers.length + calls.subscriptions.length;
    const again = await subscribe(ctxB, provider, { planKey: key });
    assert.equal(calls.customers.length + calls.subscriptions.length, before, 'asking again for the plan it is on calls no provider');
    assert.equal(again.providerSubscriptionId, results[0]?.providerSubscriptionId);
    assert.equal(again.status, 'active');
    assert.equal(again.planKey, key);
    assert.equal(await audits(t.tenantB.id, 'billing.subscription.started'), 1);
    assert.equal(await emitted(t.tenantB.id, 'billing.subscription.started'), 1);
    assert.equal(await audits(t.tenantB.id, 'billing.customer.created'), 1);

    // Changing plans: a new subscription on the same customer, the old one canceled at the provider.
    const bigger = await plan();
    const changed = await subscribe(ctxB, provider, { planKey: bigger });
    assert.equal(changed.providerCustomerId, again.providerCustomerId);
    assert.notEqual(changed.providerSubscriptionId, again.providerSubscriptionId);
    assert.deepEqual(calls.cancels, [again.providerSubscriptionId]);
    assert.equal(await audits(t.tenantB.id, 'billing.subscription.plan_changed'), 1);
  });

  test('over HTTP: a plan without a Stripe price, or one whose limit the business is over, is a CONFLICT naming why', async () => {
    const headers = await t.headersFor('tenant-a');
    const unpriced = await plan({ price: false });
    const refused = await t.app.inject({ method: 'POST', url: '/v1/billing/subscription', headers, payload: { planKey: unpriced } });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.details.reason, 'BILLING_PLAN_NOT_BILLABLE');
    const tiny = await plan({ maxMembers: 0 });
    const over = await t.app.inject({ method: 'POST', url: '/v1/billing/subscription', headers, payload: { planKey: tiny } });
    assert.equal(over.statusCode, 409);
    assert.equal(over.json().error.details.reason, 'PLAN_LIMIT_REACHED');
    assert.equal(over.json().error.details.limit, 'members');
    assert.match(over.json().error.message, /allows 0 active members; this business has 1/);
    const missing = await t.app.inject({ method: 'POST', url: '/v1/billing/subscription', headers, payload: { planKey: 'no-such-plan' } });
    assert.equal(missing.statusCode, 404);
    // Nothing changed: tenant A is still on its plan.
    assert.equal((await getSubscription(ctxA))?.planKey, subA.planKey);
  });

  test('customer.subscription.updated sets status and period once, however often and however parallel it is delivered', async () => {
    const { customer, subscription } = ids();
    const periodEnd = now() + 31 * DAY;
    const job = await receive(subscriptionEvent('customer.subscription.updated', { id: subscription, customer, status: 'active', periodEnd, cancelAtPeriodEnd: true }));
    const before = await audits(t.tenantA.id, 'billing.subscription.updated');
    const ran = await Promise.all([...Array.from({ length: 5 }, () => deliver(job)), ...Array.from({ length: 5 }, () => deliver(redelivery(job)))]);
    assert.ok(ran.includes(true));
    assert.equal(await audits(t.tenantA.id, 'billing.subscription.updated'), before + 1);
    assert.ok(await processed(inboxOf(job)));
    const view = await getSubscription(ctxA);
    assert.equal(view?.currentPeriodEnd, new Date(periodEnd * 1000).toISOString());
    assert.equal(view?.cancelAtPeriodEnd, true);
    // An older event arriving late changes nothing.
    await handle(subscriptionEvent('customer.subscription.updated', { id: subscription, customer, status: 'active', periodEnd: now(), cancelAtPeriodEnd: false }, now() - 3600));
    assert.equal((await getSubscription(ctxA))?.cancelAtPeriodEnd, true);
    assert.equal(await audits(t.tenantA.id, 'billing.subscription.updated'), before + 1);
  });

  test('invoice lifecycle: created → finalized → paid, replays have one effect, and a late finalized does not move a paid invoice back to open', async () => {
    const { customer, subscription } = ids();
    const invoice = { id: `in_${randomUUID()}`, customer, subscription, due: 2900 };
    await handle(invoiceEvent('invoice.created', { ...invoice, status: 'draft' }));
    assert.equal((await invoiceOf(invoice.id))?.status, 'draft');
    const finalized = invoiceEvent('invoice.finalized', { ...invoice, status: 'open' }, now() - 10);
    await handle(finalized);
    assert.equal((await invoiceOf(invoice.id))?.status, 'open');
    const paid = await receive(invoiceEvent('invoice.paid', { ...invoice, status: 'paid', paid: 2900 }));
    await Promise.all(Array.from({ length: 8 }, () => deliver(redelivery(paid))));
    const row = await invoiceOf(invoice.id);
    assert.equal(row?.status, 'paid');
    assert.equal(Number(row?.amount_paid_minor), 2900);
    assert.equal(row?.tenant_id, t.tenantA.id);
    assert.equal(await count(`SELECT 1 FROM jobs_outbox WHERE type = 'billing.invoice.paid' AND payload->>'providerInvoiceId' = $1`, [invoice.id]), 1);
    assert.equal(await count(`SELECT 1 FROM audit_event a JOIN billing_invoice i ON a.target_id = i.id::text WHERE i.provider_invoice_id = $1`, [invoice.id]), 3);
    // Out of order: another "open" for the paid invoice is ignored (and processed: retrying cannot change it).
    const late = await handle(invoiceEvent('invoice.finalized', { ...invoice, status: 'open' }));
    assert.equal((await invoiceOf(invoice.id))?.status, 'paid');
    assert.ok(await processed(inboxOf(late)));
    const listed = await t.app.inject({ method: 'GET', url: '/v1/billing/invoices', headers: await t.headersFor('tenant-a') });
    assert.equal(listed.statusCode, 200);
    const found = (listed.json().data as { providerInvoiceId: string; amountDueMinor: number; status: string; hostedUrl: string }[]).find((item) => item.providerInvoiceId === invoice.id);
    assert.deepEqual({ amount: found?.amountDueMinor, status: found?.status, url: found?.hostedUrl }, { amount: 2900, status: 'paid', url: `https://invoice.stripe.com/i/${invoice.id}` });
  });

  test('dunning: payment_failed → past_due with a banner; unpaid and canceled emit billing.subscription.lapsed; a paid invoice cannot revive a canceled plan', async () => {
    const { customer, subscription } = ids();
    // Back to a clean start: the subscription is active.
    await handle(subscriptionEvent('customer.subscription.updated', { id: subscription, customer, status: 'active' }));
    const invoice = { id: `in_${randomUUID()}`, customer, subscription, due: 2900 };
    await handle(invoiceEvent('invoice.finalized', { ...invoice, status: 'open' }));
    const failed = await receive(invoiceEvent('invoice.payment_failed', { ...invoice, status: 'open' }));
    await Promise.all([deliver(failed), deliver(redelivery(failed)), deliver(redelivery(failed))]);
    assert.equal(await statusOf(t.tenantA.id), 'past_due');
    assert.equal((await invoiceOf(invoice.id))?.status, 'open');
    const api = await t.app.inject({ method: 'GET', url: '/v1/billing/subscription', headers: await t.headersFor('tenant-a') });
    assert.equal(api.json().data.status, 'past_due');
    assert.equal(api.json().data.dunning, true);
    const browser = await t.browserFor('tenant-a');
    const page = await t.app.inject({ method: 'GET', url: '/billing', headers: { cookie: browser.cookie, accept: 'text/html' } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-dunning="past_due"/);
    assert.match(page.body, /The last payment for your plan failed/);
    assert.ok(page.body.includes(`https://invoice.stripe.com/i/${invoice.id}`), 'the banner links to the open invoice');
    // Every page of the business carries the banner too.
    const home = await t.app.inject({ method: 'GET', url: '/catalog/products', headers: { cookie: browser.cookie, accept: 'text/html' } });
    assert.match(home.body, /Your last payment failed/);

    const lapsedBefore = await emitted(t.tenantA.id, 'billing.subscription.lapsed');
    const unpaid = await receive(subscriptionEvent('customer.subscription.updated', { id: subscription, customer, status: 'unpaid' }));
    await Promise.all([deliver(unpaid), deliver(redelivery(unpaid))]);
    assert.equal(await statusOf(t.tenantA.id), 'unpaid');
    assert.equal(await emitted(t.tenantA.id, 'billing.subscription.lapsed'), lapsedBefore + 1);
    await handle(subscriptionEvent('customer.subscription.deleted', { id: subscription, customer, status: 'canceled' }));
    assert.equal(await statusOf(t.tenantA.id), 'canceled');
    assert.equal(await emitted(t.tenantA.id, 'billing.subscription.lapsed'), lapsedBefore + 2);
    const { rows } = await owner<{ payload: { status: string; tenantId: string } }>(`SELECT payload FROM jobs_outbox WHERE tenant_id = $1 AND type = 'billing.subscription.lapsed' ORDER BY occurred_at DESC, id LIMIT 1`, [t.tenantA.id]);
    assert.equal(rows[0]?.payload.tenantId, t.tenantA.id);
    await handle(invoiceEvent('invoice.paid', { ...invoice, status: 'paid', paid: 2900 }));
    assert.equal(await statusOf(t.tenantA.id), 'canceled', 'canceled is final');
    assert.equal((await invoiceOf(invoice.id))?.status, 'paid');

    // Subscribing again after the cancellation is a new operation: the next generation's key, the same customer.
    const before = stripeA.calls.subscriptions.length;
    const again = await subscribe(ctxA, stripeA.provider, { planKey: subA.planKey as string });
    assert.equal(stripeA.calls.subscriptions.at(before), `billing:subscription:${t.tenantA.id}:${subA.planKey}:1`);
    assert.equal(again.providerCustomerId, customer);
    assert.notEqual(again.providerSubscriptionId, subscription);
    assert.equal(again.status, 'active');
    subA = again;
  });

  test('tenant isolation: events reach only the customer’s tenant; foreign customers, old subscriptions and events billing does not own change nothing', async () => {
    const { customer } = ids();
    const invoice = { id: `in_${randomUUID()}`, customer, subscription: null, due: 100 };
    await handle(invoiceEvent('invoice.created', { ...invoice, status: 'draft' }));
    assert.equal((await invoiceOf(invoice.id))?.tenant_id, t.tenantA.id);
    // Tenant B sees none of A's invoices, over HTTP or under row-level security.
    const listed = await t.app.inject({ method: 'GET', url: '/v1/billing/invoices', headers: await t.headersFor('tenant-b') });
    assert.ok(!(listed.json().data as { providerInvoiceId: string }[]).some((item) => item.providerInvoiceId === invoice.id));
    assert.equal((await withTenantTx(ctxB, (uow) => uow.tx.select().from(billingInvoice))).filter((row) => row.tenantId !== t.tenantB.id).length, 0);
    assert.equal((await appDatabase.pool.query('SELECT tenant_id FROM billing_subscription')).rows.length, 0, 'outside a tenant the app role sees no subscription');

    const foreign = await handle(invoiceEvent('invoice.created', { id: `in_${randomUUID()}`, customer: 'cus_not_ours', subscription: null, status: 'draft', due: 5 }));
    assert.ok(await processed(inboxOf(foreign)));
    assert.equal(await count('SELECT 1 FROM billing_invoice WHERE tenant_id NOT IN ($1, $2)', [t.tenantA.id, t.tenantB.id]), 0);

    const statusBefore = await statusOf(t.tenantA.id);
    const stale = await handle(subscriptionEvent('customer.subscription.updated', { id: 'sub_old_one', customer, status: 'unpaid' }));
    assert.ok(await processed(inboxOf(stale)));
    assert.equal(await statusOf(t.tenantA.id), statusBefore, 'an event for a subscription the business is not on is ignored');

    const notOurs = await receive(JSON.stringify({ id: `evt_${randomUUID()}`, object: 'event', type: 'payment_intent.succeeded', created: now(), data: { object: { id: 'pi_1', customer } } }));
    await deliver(notOurs);
    assert.equal(await processed(inboxOf(notOurs)), false, "payments' events stay for payments' handler");
  });

  test('cancel at period end over HTTP reaches the provider once, is audited, can be taken back, and is shown on the page', async () => {
    // Tenant C goes through the app's own (fake) provider end to end.
    const headers = await t.headersFor('tenant-c');
    const noSub = await t.app.inject({ method: 'POST', url: '/v1/billing/subscription/cancel', headers });
    assert.equal(noSub.statusCode, 409);
    assert.equal(noSub.json().error.details.reason, 'BILLING_NO_SUBSCRIPTION');
    const subscribed = await t.app.inject({ method: 'POST', url: '/v1/billing/subscription', headers, payload: { planKey: await plan() } });
    assert.equal(subscribed.statusCode, 200, subscribed.body);
    const tenantC = subscribed.json().data as SubscriptionView;
    const first = await t.app.inject({ method: 'POST', url: '/v1/billing/subscription/cancel', headers });
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().data.cancelAtPeriodEnd, true);
    const second = await t.app.inject({ method: 'POST', url: '/v1/billing/subscription/cancel', headers });
    assert.equal(second.statusCode, 200);
    const { rows } = await owner<{ tenant_id: string }>(`SELECT tenant_id FROM billing_subscription WHERE provider_subscription_id = $1`, [tenantC.providerSubscriptionId]);
    const tenantCId = rows[0]?.tenant_id as string;
    assert.equal(await emitted(tenantCId, 'billing.subscription.cancel_scheduled'), 1);
    assert.equal(await audits(tenantCId, 'billing.subscription.cancel_scheduled'), 1);
    const browser = await t.browserFor('tenant-c');
    const page = await t.app.inject({ method: 'GET', url: '/billing', headers: { cookie: browser.cookie, accept: 'text/html' } });
    assert.match(page.body, /Ends at the end of the current period/);
    assert.doesNotMatch(page.body, /action="\/billing\/subscription\/cancel"/, 'no second cancel button');
    assert.match(page.body, /action="\/billing\/subscription\/resume"/);
    assert.match(String(page.headers['content-security-policy']), /form-action 'self' https:\/\/billing\.stripe\.com/, 'the portal redirect is allowed from this page');
    const resumed = await t.app.inject({ method: 'POST', url: '/v1/billing/subscription/resume', headers });
    assert.equal(resumed.statusCode, 200, resumed.body);
    assert.equal(resumed.json().data.cancelAtPeriodEnd, false);
    assert.equal(await audits(tenantCId, 'billing.subscription.cancel_withdrawn'), 1);
    // Tenant A (on another provider instance) saw none of it.
    assert.equal((await getSubscription(ctxA))?.providerSubscriptionId, subA.providerSubscriptionId);
  });

  test('the /billing page: a refused plan change is shown with its reason (409), and a badly signed webhook is stored nowhere', async () => {
    const browser = await t.browserFor('tenant-a');
    const tiny = await plan({ maxMembers: 0 });
    const form = new URLSearchParams({ planKey: tiny, _csrf: browser.csrfToken }).toString();
    const refused = await t.app.inject({
      method: 'POST',
      url: '/billing/subscription',
      headers: { cookie: browser.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': browser.csrfToken },
      payload: form,
    });
    assert.equal(refused.statusCode, 409, refused.body.slice(0, 500));
    assert.match(refused.body, /allows 0 active members; this business has 1/);
    const { customer, subscription } = ids();
    const payload = subscriptionEvent('customer.subscription.deleted', { id: subscription, customer, status: 'canceled' });
    const forged = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks/stripe',
      headers: signedStripeHeaders(payload, 'whsec_not_the_secret'),
      payload,
    });
    assert.equal(forged.statusCode, 400);
    assert.equal(await count('SELECT 1 FROM webhook_inbox WHERE event_id = $1', [(JSON.parse(payload) as { id: string }).id]), 0);
    assert.notEqual(await statusOf(t.tenantA.id), 'canceled');
  });

  test('a webhook for a subscription whose API request has not recorded it yet fails (retried), and the retry applies it once', async () => {
    const view = await getSubscription(ctxB);
    assert.ok(view?.providerCustomerId);
    const customer = view.providerCustomerId;
    const newId = `sub_${randomUUID()}`;
    await owner(`UPDATE billing_subscription SET pending_plan_key = plan_key WHERE tenant_id = $1`, [t.tenantB.id]);
    const job = await receive(subscriptionEvent('customer.subscription.created', { id: newId, customer, status: 'trialing' }));
    await assert.rejects(deliver(job), /not recorded yet/);
    assert.equal(await processed(inboxOf(job)), false, 'a failed delivery marks nothing');
    // The request commits its answer; the retried job now finds the subscription.
    await owner(`UPDATE billing_subscription SET pending_plan_key = NULL, provider_subscription_id = $2 WHERE tenant_id = $1`, [t.tenantB.id, newId]);
    await Promise.all([deliver(job), deliver(redelivery(job))]);
    assert.equal(await statusOf(t.tenantB.id), 'trialing');
    assert.ok(await processed(inboxOf(job)));
  });

  test('platform staff subscribe a business on its behalf (audited in its chain as the staff member); a business cannot reach the staff routes', async () => {
    const admin = await platformAdmin(t);
    const business = await signUp(t);
    const key = await plan();
    const url = `/v1/platform/billing/tenants/${business.tenantId}`;
    const subscribed = await t.app.inject({ method: 'POST', url: `${url}/subscription`, headers: admin.headers, payload: { planKey: key } });
    assert.equal(subscribed.statusCode, 200, subscribed.body);
    assert.equal(subscribed.json().data.planKey, key);
    assert.equal(subscribed.json().data.status, 'active');
    const { rows } = await owner<{ actor: string }>(`SELECT actor FROM audit_event WHERE tenant_id = $1 AND action = 'billing.subscription.started'`, [business.tenantId]);
    assert.equal(rows.length, 1);
    assert.match(String(rows[0]?.actor), new RegExp(admin.userId));
    const read = await t.app.inject({ method: 'GET', url, headers: admin.headers });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().data.subscription.planKey, key);
    assert.deepEqual(read.json().data.invoices, []);
    const platformItself = await t.app.inject({ method: 'GET', url: `/v1/platform/billing/tenants/${PLATFORM_TENANT_ID}`, headers: admin.headers });
    assert.equal(platformItself.statusCode, 404);
    // A business owner holds every permission of a wildcard role, but platform.* counts only in the platform tenant.
    const asBusiness = await t.app.inject({ method: 'GET', url, headers: await t.headersFor('tenant-a') });
    assert.ok([403, 404].includes(asBusiness.statusCode), asBusiness.body);
    // Staff with wildcard roles see the Billing link in the console; the page says the platform has no subscription.
    const staffBrowser = await t.browserAs({ userId: admin.userId, tenantId: PLATFORM_TENANT_ID });
    const staffPage = await t.app.inject({ method: 'GET', url: '/billing', headers: { cookie: staffBrowser.cookie, accept: 'text/html' } });
    assert.equal(staffPage.statusCode, 200);
    assert.match(staffPage.body, /the platform itself has no subscription/);
  });
});
