import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import { claimWebhook, markWebhookProcessed } from '../../../src/kernel/webhooks/index.ts';
import { startTestApp, TEST_STRIPE_WEBHOOK_SECRET, type TestApp } from '../../support/app.ts';
import { lockWaiters } from '../../support/wait.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const SQUARE_KEY = 'square-signature-key-for-tests';
const SQUARE_URL = 'https://plinth.example/v1/webhooks/square';

const stripeEvent = (id: string) => JSON.stringify({ id, object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1', amount: 1200 } } });
const stripeSignature = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? TEST_STRIPE_WEBHOOK_SECRET, ...(options.timestamp ? { timestamp: options.timestamp } : {}) });
const squareEvent = (id: string, createdAt = new Date()) =>
  JSON.stringify({ merchant_id: 'M1', type: 'payment.updated', event_id: id, created_at: createdAt.toISOString(), data: { type: 'payment', id: 'p1' } });
const squareSignature = (payload: string, key = SQUARE_KEY) => createHmac('sha256', key).update(SQUARE_URL + payload).digest('base64');

describe('webhook inbox', () => {
  let t: TestApp;
  const rows = async () => Number((await t.database.pool.query('SELECT count(*) FROM webhook_inbox')).rows[0].count);
  const post = (provider: string, payload: string, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: `/v1/webhooks/${provider}`, headers: { 'content-type': 'application/json', ...headers }, payload });

  before(async () => {
    t = await startTestApp({ SQUARE_WEBHOOK_SIGNATURE_KEY: SQUARE_KEY, SQUARE_WEBHOOK_URL: SQUARE_URL });
  });
  after(() => t.close());

  test('a signed Stripe event is stored once however often, and however parallel, it is replayed', async () => {
    const payload = stripeEvent('evt_once');
    const first = await post('stripe', payload, { 'stripe-signature': stripeSignature(payload) });
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json(), { received: true, duplicate: false });
    const replays = await Promise.all([1, 2, 3, 4, 5].map(() => post('stripe', payload, { 'stripe-signature': stripeSignature(payload) })));
    assert.ok(replays.every((replay) => replay.statusCode === 200 && (replay.json() as Json).duplicate === true));
    const stored = await t.database.pool.query("SELECT id, provider, event_type, payload FROM webhook_inbox WHERE event_id = 'evt_once'");
    assert.equal(stored.rows.length, 1);
    const emitted = await t.database.pool.query("SELECT payload FROM jobs_outbox WHERE type = 'webhooks.event.received' AND payload->>'inboxId' = $1", [stored.rows[0].id]);
    assert.equal(emitted.rows.length, 1, 'one event for the job system, emitted with the row');
    assert.equal(stored.rows[0].event_type, 'payment_intent.succeeded');
    assert.equal(stored.rows[0].payload.data.object.amount, 1200);
  });

  test('a handler claims the stored event under a row lock: a parallel replay waits, then finds it processed', async () => {
    const payload = stripeEvent('evt_claim');
    await post('stripe', payload, { 'stripe-signature': stripeSignature(payload) });
    const inboxId = (await t.database.pool.query("SELECT id FROM webhook_inbox WHERE event_id = 'evt_claim'")).rows[0].id as string;
    const effects: string[] = [];
    const handle = (label: string) =>
      t.app.db.transaction(async (tx) => {
        const event = await claimWebhook(tx, inboxId);
        if (!event) return;
        effects.push(label);
        // Holds the claim until the two replays are queued on its row lock.
        await lockWaiters(t.database.pool, 2);
        await markWebhookProcessed(tx, inboxId);
      });
    await Promise.all([handle('first'), handle('second'), handle('third')]);
    assert.equal(effects.length, 1, effects.join(','));
    const row = await t.database.pool.query('SELECT processed_at FROM webhook_inbox WHERE id = $1', [inboxId]);
    assert.ok(row.rows[0].processed_at);
  });

  test('a tampered body, a wrong secret or an old timestamp is 400 and stored nowhere', async () => {
    const before_ = await rows();
    const payload = stripeEvent('evt_bad');
    const tampered = await post('stripe', payload.replace('1200', '1'), { 'stripe-signature': stripeSignature(payload) });
    const wrongSecret = await post('stripe', payload, { 'stripe-signature': stripeSignature(payload, { secret: 'whsec_wrong' }) });
    const old = await post('stripe', payload, { 'stripe-signature': stripeSignature(payload, { timestamp: Math.floor(Date.now() / 1000) - 3600 }) });
    const unsigned = await post('stripe', payload, {});
    for (const response of [tampered, wrongSecret, old, unsigned]) {
      assert.equal(response.statusCode, 400, response.body);
      assert.equal((response.json() as Json).error.code, 'VALIDATION');
    }
    assert.equal((old.json() as Json).error.details.reason, 'WEBHOOK_STALE');
    assert.equal((tampered.json() as Json).error.details.reason, 'WEBHOOK_SIGNATURE');
    assert.equal(await rows(), before_);
  });

  test('a Stripe signature dated beyond the tolerance in either direction is 400 and stored nowhere; within it, both ways, it is accepted', async () => {
    const before_ = await rows();
    const nowSeconds = Math.floor(Date.now() / 1000);
    const signedAt = async (id: string, timestamp: number) => {
      const payload = stripeEvent(id);
      return post('stripe', payload, { 'stripe-signature': stripeSignature(payload, { timestamp }) });
    };
    const future = await signedAt('evt_future', nowSeconds + 3600);
    const past = await signedAt('evt_past', nowSeconds - 3600);
    assert.equal(future.statusCode, 400, future.body);
    assert.equal((future.json() as Json).error.details.reason, 'WEBHOOK_FUTURE');
    assert.equal(past.statusCode, 400, past.body);
    assert.equal((past.json() as Json).error.details.reason, 'WEBHOOK_STALE');
    assert.equal(await rows(), before_);
    // Clocks drift: a minute either way (the tolerance is 300 s) is fine.
    assert.equal((await signedAt('evt_skew_ahead', nowSeconds + 60)).statusCode, 200);
    assert.equal((await signedAt('evt_skew_behind', nowSeconds - 60)).statusCode, 200);
  });

  test('an event id or type longer than 255 characters is 400 WEBHOOK_MALFORMED and stored nowhere; 255 is stored', async () => {
    const before_ = await rows();
    const huge = JSON.stringify({ id: `evt_${'x'.repeat(100_000)}`, object: 'event', type: 'payment_intent.succeeded', data: {} });
    const longType = JSON.stringify({ id: 'evt_long_type', object: 'event', type: 'x'.repeat(256), data: {} });
    const square = JSON.stringify({ merchant_id: 'M1', type: 'payment.updated', event_id: 'e'.repeat(256), created_at: new Date().toISOString(), data: {} });
    for (const response of [
      await post('stripe', huge, { 'stripe-signature': stripeSignature(huge) }),
      await post('stripe', longType, { 'stripe-signature': stripeSignature(longType) }),
      await post('square', square, { 'x-square-hmacsha256-signature': squareSignature(square) }),
    ]) {
      assert.equal(response.statusCode, 400, response.body);
      assert.equal((response.json() as Json).error.details.reason, 'WEBHOOK_MALFORMED');
    }
    assert.equal(await rows(), before_);
    const longest = stripeEvent(`evt_${'x'.repeat(251)}`);
    assert.equal((await post('stripe', longest, { 'stripe-signature': stripeSignature(longest) })).statusCode, 200);
  });

  test('Square: HMAC over the notification URL and body; tampering, a wrong key, an event older than the window or dated ahead is refused', async () => {
    const payload = squareEvent('sq_1');
    const ok = await post('square', payload, { 'x-square-hmacsha256-signature': squareSignature(payload) });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal((await post('square', payload, { 'x-square-hmacsha256-signature': squareSignature(payload) })).json().duplicate, true);
    const before_ = await rows();
    assert.equal((await post('square', payload.replace('payment.updated', 'refund.updated'), { 'x-square-hmacsha256-signature': squareSignature(payload) })).statusCode, 400);
    assert.equal((await post('square', payload, { 'x-square-hmacsha256-signature': squareSignature(payload, 'other-key') })).statusCode, 400);
    const stale = squareEvent('sq_old', new Date(Date.now() - 80 * 3600 * 1000));
    assert.equal((await post('square', stale, { 'x-square-hmacsha256-signature': squareSignature(stale) })).statusCode, 400);
    const future = squareEvent('sq_future', new Date(Date.now() + 3600 * 1000));
    const ahead = await post('square', future, { 'x-square-hmacsha256-signature': squareSignature(future) });
    assert.equal(ahead.statusCode, 400);
    assert.equal((ahead.json() as Json).error.details.reason, 'WEBHOOK_FUTURE');
    assert.equal(await rows(), before_);
  });

  test('a provider without configured secrets is not served; an unknown provider is a validation error', async () => {
    const bare = await startTestApp({ STRIPE_WEBHOOK_SECRET: '' });
    try {
      const payload = stripeEvent('evt_unconfigured');
      const response = await bare.app.inject({ method: 'POST', url: '/v1/webhooks/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(payload) }, payload });
      assert.equal(response.statusCode, 404);
      assert.equal((await bare.app.inject({ method: 'POST', url: '/v1/webhooks/paypal', headers: { 'content-type': 'application/json' }, payload })).statusCode, 400);
    } finally {
      await bare.close();
    }
  });
});
