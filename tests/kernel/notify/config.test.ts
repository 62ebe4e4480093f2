import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/kernel/config/index.ts';
import { providersFromConfig } from '../../../src/kernel/notify/index.ts';

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
    const config = loadConfig({ NOTIFY_EMAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtps://u:p@mail.example.test:465', NOTIFY_QUIET_HOURS: '22:30-07:15', NOTIFY_TIME_ZONE: 'Europe/Paris' });
    assert.deepEqual(config.notify, {
      emailTransport: 'smtp',
      smtpUrl: 'smtps://u:p@mail.example.test:465',
      from: 'Plinth <no-reply@localhost>',
      smsTransport: 'file',
      quietHours: '22:30-07:15',
      timeZone: 'Europe/Paris',
    });
    assert.deepEqual(problemsOf({ NOTIFY_QUIET_HOURS: '9pm-8am' }), ['NOTIFY_QUIET_HOURS']);
    assert.deepEqual(problemsOf({ NOTIFY_QUIET_HOURS: '08:00-08:00' }), ['NOTIFY_QUIET_HOURS']);
    assert.deepEqual(problemsOf({ NOTIFY_TIME_ZONE: 'Mars/Olympus' }), ['NOTIFY_TIME_ZONE']);
    assert.deepEqual(problemsOf({ SMTP_URL: 'https://mail.example.test' }), ['SMTP_URL']);
    assert.deepEqual(problemsOf({ NOTIFY_EMAIL_TRANSPORT: 'carrier-pigeon' }), ['NOTIFY_EMAIL_TRANSPORT']);
  });

  test('SMTP without SMTP_URL stops at start-up with a message naming both', () => {
    assert.throws(() => providersFromConfig(loadConfig({ NOTIFY_EMAIL_TRANSPORT: 'smtp' })), /NOTIFY_EMAIL_TRANSPORT=smtp needs SMTP_URL/);
    assert.equal(providersFromConfig(loadConfig({})).email.name, 'file');
  });
});
