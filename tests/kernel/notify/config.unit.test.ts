import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/kernel/config/index.ts';
import { providersFromConfig } from '../../../src/kernel/notify/providers/index.ts';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems.map((problem) => problem.variable);
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
};

describe('notification settings', () => {
  test('are read and checked from the environment', () => {
    const config = loadConfig({ NOTIFY_EMAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtps://u:p@mail.example.test:465', NOTIFY_QUIET_HOURS: '22:30-07:15' });
    assert.deepEqual(config.notify, {
      emailTransport: 'smtp',
      smtpUrl: 'smtps://u:p@mail.example.test:465',
      from: 'Plinth <no-reply@localhost>',
      smsTransport: 'file',
      twilio: undefined,
      quietHours: '22:30-07:15',
    });
    assert.deepEqual(problemsOf({ NOTIFY_QUIET_HOURS: '9pm-8am' }), ['NOTIFY_QUIET_HOURS']);
    assert.deepEqual(problemsOf({ NOTIFY_QUIET_HOURS: '08:00-08:00' }), ['NOTIFY_QUIET_HOURS']);
    assert.deepEqual(problemsOf({ SMTP_URL: 'https://mail.example.test' }), ['SMTP_URL']);
    assert.deepEqual(problemsOf({ NOTIFY_EMAIL_TRANSPORT: 'carrier-pigeon' }), ['NOTIFY_EMAIL_TRANSPORT']);
  });

  test('Twilio needs its account and a sender together, each checked for its form', () => {
    const sid = `AC${'a1'.repeat(16)}`;
    const config = loadConfig({ NOTIFY_SMS_TRANSPORT: 'twilio', TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'token-0123456789abcdef', TWILIO_FROM: '+15017122661' });
    assert.deepEqual(config.notify.twilio, { accountSid: sid, authToken: 'token-0123456789abcdef', from: '+15017122661', messagingServiceSid: undefined, apiBaseUrl: 'https://api.twilio.com' });
    assert.equal(providersFromConfig(config).sms.name, 'twilio');
    assert.deepEqual(problemsOf({ NOTIFY_SMS_TRANSPORT: 'twilio' }), ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM']);
    assert.deepEqual(problemsOf({ NOTIFY_SMS_TRANSPORT: 'twilio', TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'token-0123456789abcdef' }), ['TWILIO_FROM']);
    // A Messaging Service stands in for the number.
    const viaService = loadConfig({ NOTIFY_SMS_TRANSPORT: 'twilio', TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 'token-0123456789abcdef', TWILIO_MESSAGING_SERVICE_SID: `MG${'b2'.repeat(16)}` });
    assert.equal(viaService.notify.twilio?.messagingServiceSid, `MG${'b2'.repeat(16)}`);
    assert.deepEqual(problemsOf({ TWILIO_ACCOUNT_SID: 'not-a-sid' }), ['TWILIO_ACCOUNT_SID']);
    assert.deepEqual(problemsOf({ TWILIO_FROM: '555-1234' }), ['TWILIO_FROM']);
    assert.deepEqual(problemsOf({ TWILIO_API_BASE_URL: 'ftp://twilio.test' }), ['TWILIO_API_BASE_URL']);
    // Set without selecting Twilio, they are checked but not used.
    assert.equal(loadConfig({ TWILIO_ACCOUNT_SID: sid }).notify.twilio, undefined);
  });

  test('SMTP without SMTP_URL stops at start-up with a message naming both', () => {
    assert.throws(() => providersFromConfig(loadConfig({ NOTIFY_EMAIL_TRANSPORT: 'smtp' })), /NOTIFY_EMAIL_TRANSPORT=smtp needs SMTP_URL/);
    assert.equal(providersFromConfig(loadConfig({})).email.name, 'file');
  });
});
