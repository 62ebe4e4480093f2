import Stripe from 'stripe';
import { TEST_STRIPE_WEBHOOK_SECRET } from '../../support/app.ts';
import { api, unique, value, type RouteFixture } from '../../support/route-fixtures.ts';

export const routeFixtures: Record<string, RouteFixture> = {
  // Signed provider events (Stripe here).
  'POST /v1/webhooks/:provider': api({
    params: { provider: value('stripe') },
    body: () => ({ id: `evt_${unique()}`, object: 'event', type: 'payment_intent.succeeded', data: { object: {} } }),
    headers: (body) => ({ 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: JSON.stringify(body), secret: TEST_STRIPE_WEBHOOK_SECRET }) }),
  }),
};
