/**
 * publishAfterCommit: an event published inside a use case's transaction reaches subscribers only
 * if that transaction commits (once), never if it rolls back — through PostgreSQL (a NOTIFY in the
 * transaction) and through Redis (relayed after the commit).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import type { ServerMessage } from '../../../src/kernel/realtime/index.ts';
import { withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { TEST_CHANNEL, type TestClient } from './support/client.ts';
import { openClient, startPeer, subscribe, type Peer } from './support/peer.ts';
import { REDIS_URL, redisOrSkip } from './support/redis.ts';

type EventMessage = Extract<ServerMessage, { type: 'event' }>;
let t: TestApp;
const clients: TestClient[] = [];
const peers: Peer[] = [];

const step = (message: EventMessage) => (message.event as { step?: string }).step;

async function commitBound(env: Record<string, string>): Promise<void> {
  // Publisher and subscriber on different nodes: delivery goes through the bus, not a shortcut.
  const [publisher, subscriber] = await Promise.all([startPeer(t, env), startPeer(t, env)]);
  peers.push(publisher, subscriber);
  const client = await openClient(subscriber.url, await t.headersFor('tenant-a'), clients);
  await subscribe(client, `tenant:${t.tenantA.id}:${TEST_CHANNEL.name}`);
  const ctx = { db: publisher.app.db, tenantId: t.tenantA.id, actor: { kind: 'system', process: 'test' } as const, requestId: 'test', log: createLogger('silent') };
  const { realtime } = publisher.app;

  await assert.rejects(
    withTenantTx(ctx, async (uow) => {
      await realtime.publishAfterCommit(uow, TEST_CHANNEL.name, { step: 'rolled-back' });
      throw new Error('the use case fails after publishing');
    }),
    /the use case fails/,
  );
  await withTenantTx(ctx, async (uow) => {
    await realtime.publishAfterCommit(uow, TEST_CHANNEL.name, { step: 'committed-1' });
    await realtime.publishAfterCommit(uow, TEST_CHANNEL.name, { step: 'committed-2' });
  });
  // With Redis the relay runs after the commit, so a direct publish could overtake it: wait for the
  // committed events, then for a marker behind them, so a late duplicate would be seen before it.
  await client.next('event', (message) => step(message) === 'committed-2', 10_000);
  await realtime.publish(t.tenantA.id, TEST_CHANNEL.name, { step: 'marker' });
  await client.next('event', (message) => step(message) === 'marker', 10_000);

  const received = client.received.filter((message): message is EventMessage => message.type === 'event').map(step);
  assert.deepEqual(received, ['committed-1', 'committed-2', 'marker'], 'the committed events once each, in order; nothing of the rolled-back one');
}

before(async () => {
  t = await startTestApp();
});

after(async () => {
  for (const client of clients) client.socket.terminate();
  for (const peer of peers) await peer.close();
  await t.close();
});

describe('realtime publishAfterCommit', () => {
  test('PostgreSQL: rollback delivers nothing, commit delivers once', () => commitBound({ REALTIME_ADAPTER: 'postgres' }));

  test('Redis: rollback delivers nothing, commit delivers once (relayed by every node, published by one)', async (context) => {
    if (!(await redisOrSkip(context))) return;
    await commitBound({ REALTIME_ADAPTER: 'redis', REDIS_URL });
  });
});
