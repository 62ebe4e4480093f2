import { APP_ROLE, createDatabase } from '../../../../src/kernel/db/index.ts';
import type { AppInstance } from '../../../../src/kernel/module/index.ts';
import { createLogger } from '../../../../src/kernel/observability/logger.ts';
import { buildPlinthApp, planEditions } from '../../../../src/editions/compose.ts';
import { TEST_ROOT_SECRET, testConfig, type TestApp } from '../../../support/app.ts';
import { connect, TEST_CHANNEL, type TestClient } from './client.ts';

/** Another app process's worth of app: the full app over the same database as `t`, listening on its own port. */
export interface Peer {
  app: AppInstance;
  url: string;
  close(): Promise<void>;
}

/** Starts a second node in this process, sharing `t`'s database (and so its LISTEN/NOTIFY, or the given Redis). */
export async function startPeer(t: TestApp, env: Record<string, string> = {}): Promise<Peer> {
  const config = testConfig({ ...env, DATABASE_URL: t.database.url });
  const database = createDatabase(t.database.url, { poolMax: 3, log: createLogger('silent'), role: APP_ROLE });
  const app = await buildPlinthApp({ config, database, logger: createLogger(config.logLevel), rootSecret: TEST_ROOT_SECRET, plan: planEditions({ editions: undefined }) });
  app.realtime.defineChannel(TEST_CHANNEL);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return {
    app,
    url: `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/realtime`,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Opens a socket and waits for its welcome. */
export async function openClient(url: string, headers: Record<string, string>, opened: TestClient[]): Promise<TestClient> {
  const client = await connect(url, headers);
  opened.push(client);
  await client.next('welcome');
  return client;
}

/** Subscribes and waits for the answer (`subscribed`, then any replay or resync follows it). */
export async function subscribe(client: TestClient, channel: string, lastEventId?: string): Promise<void> {
  const ref = Math.random().toString(36).slice(2, 10);
  client.send({ type: 'subscribe', channel, ref, ...(lastEventId ? { lastEventId } : {}) });
  await client.next('subscribed', (message) => message.ref === ref);
}
