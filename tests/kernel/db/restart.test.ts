import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import { APP_ROLE, createDatabase, startEmbeddedPostgres, type Database, type EmbeddedDatabase } from '../../../src/kernel/db/index.ts';
import type { AppInstance } from '../../../src/kernel/module/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { buildPlinthApp, planEditions } from '../../../src/editions/compose.ts';
import { migrate } from '../../../src/main.ts';
import { TEST_ROOT_SECRET, TEST_STRIPE_WEBHOOK_SECRET, testConfig } from '../../support/app.ts';
import { until } from '../../support/wait.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const webhook = (id: string) => {
  const payload = JSON.stringify({ id, object: 'event', type: 'invoice.paid', data: { object: {} } });
  return { payload, headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_STRIPE_WEBHOOK_SECRET }) } };
};

/** PostgreSQL goes away under a running app and comes back on the same address. */
describe('the app across a PostgreSQL restart', () => {
  const log = createLogger('silent');
  const plan = planEditions({ editions: undefined });
  let dataDir: string;
  let port: number;
  let server: EmbeddedDatabase | undefined;
  let database: Database;
  let app: AppInstance;
  const post = (event: ReturnType<typeof webhook>) => app.inject({ method: 'POST', url: '/v1/webhooks/stripe', headers: event.headers, payload: event.payload });
  const ready = async () => (await app.inject({ url: '/ready' })).statusCode;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-restart-'));
    port = await freePort();
    server = await startEmbeddedPostgres(dataDir, log, { port });
    await migrate(server.url, plan, log);
    database = createDatabase(server.url, { poolMax: 4, log, role: APP_ROLE });
    app = await buildPlinthApp({ config: testConfig(), database, logger: log, rootSecret: TEST_ROOT_SECRET, plan });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await database?.close();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('/ready turns 503 while it is down and 200 by itself after; no webhook is acknowledged unless stored', async () => {
    assert.equal(await ready(), 200);
    const before_ = webhook('evt_before');
    assert.equal((await post(before_)).statusCode, 200);

    await server?.stop();
    server = undefined;
    assert.equal(await ready(), 503);
    const during = webhook('evt_during');
    const refused = await post(during);
    assert.ok(refused.statusCode >= 500, `a webhook that could not be stored must not be acknowledged (got ${refused.statusCode})`);

    server = await startEmbeddedPostgres(dataDir, log, { port });
    await until('the app to be ready again', async () => (await ready()) === 200, 30_000);
    // The provider retries what was not acknowledged; what was acknowledged is still there.
    const retried = await post(during);
    assert.equal(retried.statusCode, 200);
    assert.deepEqual(retried.json(), { received: true, duplicate: false });
    assert.deepEqual((await post(before_)).json(), { received: true, duplicate: true });
  });
});
