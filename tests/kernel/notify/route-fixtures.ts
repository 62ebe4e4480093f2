import { signUnsubscribeToken, unsubscribeKey } from '../../../src/kernel/notify/index.ts';
import { api, page, type RouteFixture } from '../../support/route-fixtures.ts';

export const routeFixtures: Record<string, RouteFixture> = {
  // Notifications. A signed unsubscribe token names its tenant's id, which a fixed query cannot
  // carry: the matrix opens the page anonymously with an unsigned one (refused with its page);
  // tests/kernel/notify opens signed links. The one-click POST gets a signed token in its body.
  'GET /v1/notify/deliveries': api(),
  'GET /notify/deliveries': page(),
  'GET /v1/notify/settings': api(),
  'PUT /v1/notify/settings': api({ body: { senderName: 'Matrix shop', replyTo: null, quietHours: { start: '22:00', end: '07:00' }, smsEnabled: true } }),
  'GET /settings/notifications': page(),
  'POST /settings/notifications': page({ body: { senderName: 'Matrix shop', replyTo: '', quietStart: '', quietEnd: '', smsEnabled: 'true' } }),
  // Served only with NOTIFY_SMS_TRANSPORT=twilio (Twilio's signature is the credential); the test
  // app has no Twilio account, so it answers 404 like an unknown path. tests/kernel/notify/twilio.test.ts signs real requests.
  'POST /v1/notify/sms/inbound/twilio': api({ body: { From: '+15550001111', To: '+15017122661', Body: 'STOP' }, status: 404 }),
  'GET /notify/unsubscribe': page({ query: { token: 'unsigned' }, status: 400 }),
  'POST /notify/unsubscribe': api({
    body: (s) => ({ token: signUnsubscribeToken(unsubscribeKey(s.t.rootSecret), { tenantId: s.tenant.id, channel: 'email', recipient: 'matrix@example.test' }) }),
  }),
};
