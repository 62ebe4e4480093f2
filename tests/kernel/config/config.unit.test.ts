import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../src/kernel/config/index.ts';
import { configSchema } from '../../../src/kernel/config/schema.ts';

const ENV_EXAMPLE = new URL('../../../.env.example', import.meta.url);

/** Runs loadConfig and returns the ConfigError it must throw. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  test('an empty environment gives the documented defaults', () => {
    assert.deepEqual(loadConfig({}), {
      env: 'development',
      host: '127.0.0.1',
      port: 3000,
      publicUrl: undefined,
      databaseUrl: undefined,
      secret: undefined,
      dbPoolMax: 10,
      dataDir: path.resolve('./data'),
      backupDir: path.resolve('./data/backups'),
      auditSigningKeyFile: path.resolve('./data/audit-signing-key.pem'),
      editions: undefined,
      mode: 'hosted',
      lan: false,
      demo: false,
      logLevel: 'info',
      trustedProxies: undefined,
      rateLimitPerMinute: { read: 600, write: 120, auth: 10 },
      responseValidation: true,
      session: { idleMinutes: 30, absoluteHours: 12, maxConcurrent: 0, limitAction: 'end_oldest' },
      passwordMinLength: 12,
      bodyLimitBytes: 1024 * 1024,
      checkEvents: false,
      attachments: { storage: 'disk', maxBytes: 10 * 1024 * 1024, s3: undefined },
      shutdownTimeoutMs: 10_000,
      metricsToken: undefined,
      webhooks: { toleranceSeconds: 300, stripe: undefined, square: undefined },
      tracing: { enabled: false, endpoint: undefined, serviceName: 'plinth' },
      notify: { emailTransport: 'file', smtpUrl: undefined, from: 'Plinth <no-reply@localhost>', smsTransport: 'file', twilio: undefined, quietHours: '21:00-08:00' },
      realtime: { adapter: 'postgres', redisUrl: undefined, heartbeatMs: 30_000, replayEvents: 100, maxBufferedBytes: 1024 * 1024, recheckMs: 60_000 },
    });
  });

  test('single mode serves the onprem edition on this machine only, unless the local network is opted into', () => {
    const single = loadConfig({ PLINTH_MODE: 'single' });
    assert.deepEqual([single.mode, single.host, single.lan, single.editions], ['single', '127.0.0.1', false, ['onprem']]);
    assert.match(configError({ PLINTH_MODE: 'single', HOST: '0.0.0.0' }).message, /HOST: 0\.0\.0\.0 is reachable from other machines; set PLINTH_LAN=true/);
    const lan = loadConfig({ PLINTH_MODE: 'single', PLINTH_LAN: 'true' });
    assert.deepEqual([lan.host, lan.lan], ['0.0.0.0', true]);
    assert.equal(loadConfig({ PLINTH_MODE: 'single', PLINTH_LAN: 'true', HOST: '192.168.1.10' }).host, '192.168.1.10');
    assert.match(configError({ PLINTH_MODE: 'single', PLINTH_EDITIONS: 'retail,onprem' }).message, /PLINTH_EDITIONS: PLINTH_MODE=single serves exactly one edition/);
    assert.match(configError({ PLINTH_LAN: 'true' }).message, /PLINTH_LAN: only applies when PLINTH_MODE=single/);
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).host, '0.0.0.0');
  });

  test('the concurrent-session limit is a whole number with an action past it', () => {
    assert.deepEqual(loadConfig({ SESSION_MAX_CONCURRENT: '2', SESSION_LIMIT_ACTION: 'refuse_new' }).session, { idleMinutes: 30, absoluteHours: 12, maxConcurrent: 2, limitAction: 'refuse_new' });
    assert.match(configError({ SESSION_LIMIT_ACTION: 'ask' }).message, /SESSION_LIMIT_ACTION/);
  });

  test('the Redis realtime adapter needs REDIS_URL', () => {
    assert.match(configError({ REALTIME_ADAPTER: 'redis' }).message, /REDIS_URL: required when REALTIME_ADAPTER=redis/);
    assert.match(configError({ REDIS_URL: 'http://cache:6379' }).message, /REDIS_URL: expected a redis:\/\/ or rediss:\/\/ connection URL/);
    assert.equal(loadConfig({ REALTIME_ADAPTER: 'redis', REDIS_URL: 'redis://cache:6379' }).realtime.redisUrl, 'redis://cache:6379');
  });

  test('the audit signing key lives in the data folder unless AUDIT_SIGNING_KEY_FILE names another file', () => {
    assert.equal(loadConfig({ PLINTH_DATA_DIR: '/var/lib/plinth' }).auditSigningKeyFile, '/var/lib/plinth/audit-signing-key.pem');
    assert.equal(loadConfig({ PLINTH_DATA_DIR: '/var/lib/plinth', AUDIT_SIGNING_KEY_FILE: '/etc/plinth/audit.pem' }).auditSigningKeyFile, '/etc/plinth/audit.pem');
  });

  test('set values are parsed into their types', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      DATABASE_URL: 'postgresql://u:p@db:5432/plinth',
      PLINTH_EDITIONS: 'retail, cafe,retail',
      PLINTH_DEMO: 'yes',
      PLINTH_DATA_DIR: '/var/lib/plinth',
      LOG_LEVEL: 'debug',
    });
    assert.equal(config.env, 'production');
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, 'postgresql://u:p@db:5432/plinth');
    assert.deepEqual(config.editions, ['retail', 'cafe']);
    assert.equal(config.demo, true);
    assert.equal(config.dataDir, '/var/lib/plinth');
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.responseValidation, false, 'production writes responses unchecked unless RESPONSE_VALIDATION says otherwise');
    assert.equal(loadConfig({ NODE_ENV: 'production', RESPONSE_VALIDATION: 'true' }).responseValidation, true);
    assert.equal(loadConfig({ RESPONSE_VALIDATION: 'false' }).responseValidation, false);
  });

  const wrongValues: { variable: string; value: string; expected: RegExp }[] = [
    { variable: 'PORT', value: 'abc', expected: /expected a whole number/ },
    { variable: 'PORT', value: '70000', expected: /expected a port between 0 and 65535/ },
    { variable: 'DATABASE_URL', value: 'mysql://x', expected: /expected a postgres:\/\/ or postgresql:\/\/ connection URL/ },
    { variable: 'PLINTH_DEMO', value: 'maybe', expected: /expected one of true, false/ },
    { variable: 'LOG_LEVEL', value: 'loud', expected: /expected one of .*"info"/ },
    { variable: 'PLINTH_EDITIONS', value: 'Retail!', expected: /expected a comma-separated list of edition names/ },
  ];
  for (const { variable, value, expected } of wrongValues) {
    test(`${variable}=${value} is rejected with a message naming the variable and what it expects`, () => {
      const error = configError({ [variable]: value });
      assert.deepEqual(
        error.problems.map((problem) => problem.variable),
        [variable],
      );
      const line = error.message.split('\n').find((text) => text.trim().startsWith(`${variable}:`));
      assert.ok(line, `no line for ${variable} in:\n${error.message}`);
      assert.match(line, expected);
      assert.ok(line.includes(JSON.stringify(value)), `the line should quote the wrong value: ${line}`);
    });
  }

  test('PORT accepts plain digits only: blank, exponent and hex forms are errors', () => {
    for (const value of [' ', '1e3', '0x50', '80.5']) {
      assert.match(configError({ PORT: value }).message, /PORT: expected a whole number/, value);
    }
  });

  test('PUBLIC_URL must be an http(s) URL, as its message says', () => {
    for (const value of ['ftp://example.com', 'javascript:alert(1)']) {
      const error = configError({ PUBLIC_URL: value });
      assert.match(error.message, /PUBLIC_URL: expected an absolute http\(s\) URL/);
    }
  });

  test('an empty string counts as unset', () => {
    const blank = Object.fromEntries(Object.keys(configSchema.shape).map((key) => [key, '']));
    assert.deepEqual(loadConfig(blank), loadConfig({}));
  });

  test('every problem is reported at once', () => {
    const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud', PLINTH_DEMO: 'maybe' });
    assert.deepEqual(error.problems.map((problem) => problem.variable).sort(), ['LOG_LEVEL', 'PLINTH_DEMO', 'PORT']);
    for (const variable of ['PORT', 'LOG_LEVEL', 'PLINTH_DEMO']) assert.match(error.message, new RegExp(`^  ${variable}: `, 'm'));
  });

  test('variables Plinth does not know are ignored', () => {
    assert.deepEqual(loadConfig({ PATH: '/usr/bin', PLINTH_UNKNOWN: 'x' }), loadConfig({}));
  });
});

describe('.env.example', () => {
  const documented = async () => {
    const text = await readFile(ENV_EXAMPLE, 'utf8');
    return [...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => ({ name: match[1] as string, value: match[2] as string }));
  };

  test('documents exactly the variables of the config schema, each once', async () => {
    const names = (await documented()).map((entry) => entry.name);
    assert.equal(new Set(names).size, names.length, `a variable is listed twice: ${names.join(', ')}`);
    assert.deepEqual([...names].sort(), Object.keys(configSchema.shape).sort());
  });

  test('is itself a valid configuration', async () => {
    const env = Object.fromEntries((await documented()).map((entry) => [entry.name, entry.value]));
    assert.doesNotThrow(() => loadConfig(env));
  });
});
