import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createFakePayments } from '../../../src/kernel/payments/fake.adapter.ts';
import { PaymentsError, type PaymentsProvider } from '../../../src/kernel/payments/port.ts';
import { createSquarePayments } from '../../../src/kernel/payments/square.adapter.ts';
import { createStripePayments } from '../../../src/kernel/payments/stripe.adapter.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  form: URLSearchParams;
}

/** A local stand-in for api.stripe.com: records each request and answers with the next canned response. */
function fakeStripeServer() {
  const seen: Seen[] = [];
  const answers: { status: number; body: unknown }[] = [];
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, form: new URLSearchParams(raw) });
      const answer = answers.shift() ?? { status: 500, body: { error: { type: 'api_error', message: 'no canned answer' } } };
      response.writeHead(answer.status, { 'content-type': 'application/json', 'request-id': 'req_test' });
      response.end(JSON.stringify(answer.body));
    });
  });
  return { server, seen, answers };
}

describe('payments adapters: cancel at period end and the billing portal', () => {
  const stripeServer = fakeStripeServer();
  let stripe: PaymentsProvider;
  let server: Server;

  before(async () => {
    server = stripeServer.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    stripe = createStripePayments('sk_test_adapter', { host: '127.0.0.1', port, protocol: 'http' });
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('Stripe: POST /v1/subscriptions/:id with cancel_at_period_end and the idempotency key; the answer says what Stripe recorded', async () => {
    stripeServer.answers.push({ status: 200, body: { id: 'sub_123', object: 'subscription', status: 'active', cancel_at_period_end: true } });
    const answer = await stripe.setCancelAtPeriodEnd({ subscriptionId: 'sub_123', cancelAtPeriodEnd: true, idempotencyKey: 'billing:cancel-at-period-end:t:sub_123:true:1' });
    assert.deepEqual(answer, { id: 'sub_123', status: 'active', cancelAtPeriodEnd: true });
    const request = stripeServer.seen.at(-1);
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/v1/subscriptions/sub_123');
    assert.equal(request?.form.get('cancel_at_period_end'), 'true');
    assert.equal(request?.headers['idempotency-key'], 'billing:cancel-at-period-end:t:sub_123:true:1');
    assert.equal(request?.headers.authorization, 'Bearer sk_test_adapter');

    stripeServer.answers.push({ status: 200, body: { id: 'sub_123', object: 'subscription', status: 'active', cancel_at_period_end: false } });
    const resumed = await stripe.setCancelAtPeriodEnd({ subscriptionId: 'sub_123', cancelAtPeriodEnd: false, idempotencyKey: 'k2' });
    assert.equal(resumed.cancelAtPeriodEnd, false);
    assert.equal(stripeServer.seen.at(-1)?.form.get('cancel_at_period_end'), 'false');
  });

  test('Stripe: POST /v1/billing_portal/sessions with the customer and return_url answers the portal url', async () => {
    stripeServer.answers.push({ status: 200, body: { id: 'bps_1', object: 'billing_portal.session', customer: 'cus_9', url: 'https://billing.stripe.com/p/session/test_abc' } });
    const session = await stripe.createBillingPortalSession({ customerId: 'cus_9', returnUrl: 'https://plinth.example/billing' });
    assert.equal(session.url, 'https://billing.stripe.com/p/session/test_abc');
    const request = stripeServer.seen.at(-1);
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/v1/billing_portal/sessions');
    assert.equal(request?.form.get('customer'), 'cus_9');
    assert.equal(request?.form.get('return_url'), 'https://plinth.example/billing');
  });

  test('Stripe: a refusal (no such subscription) is a PaymentsError that is not retried', async () => {
    stripeServer.answers.push({ status: 404, body: { error: { type: 'invalid_request_error', message: 'No such subscription: sub_gone' } } });
    const before = stripeServer.seen.length;
    await assert.rejects(stripe.setCancelAtPeriodEnd({ subscriptionId: 'sub_gone', cancelAtPeriodEnd: true, idempotencyKey: 'k3' }), (error: unknown) => {
      assert.ok(error instanceof PaymentsError);
      assert.equal(error.retryable, false);
      assert.match(error.message, /No such subscription/);
      return true;
    });
    assert.equal(stripeServer.seen.length, before + 1);
  });

  test('Square: neither is offered, and it says so without calling Square', async () => {
    const square = createSquarePayments({ accessToken: 'sq', environment: 'sandbox', locationId: 'L1' });
    await assert.rejects(square.setCancelAtPeriodEnd({ subscriptionId: 's', cancelAtPeriodEnd: true, idempotencyKey: 'k' }), (error: unknown) => error instanceof PaymentsError && !error.retryable && /billing runs on Stripe/.test(error.message));
    await assert.rejects(square.createBillingPortalSession({ customerId: 'c', returnUrl: 'https://x.example/billing' }), (error: unknown) => error instanceof PaymentsError && /no billing portal/.test(error.message));
  });

  test('fake: the flag is kept per subscription, the same key answers the same, an unknown subscription is refused; the portal is a local page', async () => {
    const fake = createFakePayments();
    const customer = await fake.createCustomer({ email: 'a@b.example', name: 'A', idempotencyKey: 'c1' });
    const sub = await fake.createSubscription({ customerId: customer.id, priceId: 'price_1', idempotencyKey: 's1' });
    assert.equal((await fake.setCancelAtPeriodEnd({ subscriptionId: sub.id, cancelAtPeriodEnd: true, idempotencyKey: 'x1' })).cancelAtPeriodEnd, true);
    assert.equal((await fake.setCancelAtPeriodEnd({ subscriptionId: sub.id, cancelAtPeriodEnd: false, idempotencyKey: 'x2' })).cancelAtPeriodEnd, false);
    assert.equal((await fake.setCancelAtPeriodEnd({ subscriptionId: sub.id, cancelAtPeriodEnd: true, idempotencyKey: 'x1' })).cancelAtPeriodEnd, true, 'a replayed key answers as the first time');
    await assert.rejects(fake.setCancelAtPeriodEnd({ subscriptionId: 'sub_nope', cancelAtPeriodEnd: true, idempotencyKey: 'x3' }), PaymentsError);
    const portal = await fake.createBillingPortalSession({ customerId: customer.id, returnUrl: 'http://127.0.0.1:3000/billing' });
    assert.equal(new URL(portal.url).origin, 'http://127.0.0.1:3000');
    assert.equal(new URL(portal.url).pathname, '/billing');
  });
});
