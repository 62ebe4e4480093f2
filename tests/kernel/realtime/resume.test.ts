/**
 * Resuming on another node: two app instances on one database (and, for the Redis variant, one
 * Redis). A client that saw an event on node A reconnects to node B with that event's id and gets
 * exactly what it missed, in order; once that is beyond what is kept, it is told to resync.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseEventId, type ServerMessage } from '../../../src/kernel/realtime/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { TEST_CHANNEL, type TestClient } from './support/client.ts';
import { openClient, startPeer, subscribe, type Peer } from './support/peer.ts';
import { REDIS_URL, redisOrSkip } from './support/redis.ts';

const REPLAY = 5;
type EventMessage = Extract<ServerMessage, { type: 'event' }>;

let t: TestApp;
const clients: TestClient[] = [];
const peers: Peer[] = [];

const channel = () => `tenant:${t.tenantA.id}:${TEST_CHANNEL.name}`;
const step = (message: EventMessage) => (message.event as { step?: string }).step;
const eventsOf = (client: TestClient) => client.received.filter((message): message is EventMessage => message.type === 'event');

async function resumeOnAnotherNode(env: Record<string, string>): Promise<void> {
  const settings = { ...env, REALTIME_REPLAY_EVENTS: String(REPLAY) };
  const [a, b] = await Promise.all([startPeer(t, settings), startPeer(t, settings)]);
  peers.push(a, b);
  const owner = await t.headersFor('tenant-a');
  const publish = (node: Peer, event: Record<string, unknown>) => node.app.realtime.publish(t.tenantA.id, TEST_CHANNEL.name, event);

  const onA = await openClient(a.url, owner, clients);
  const watcherOnB = await openClient(b.url, owner, clients);
  await subscribe(onA, channel());
  await subscribe(watcherOnB, channel());
  await publish(a, { step: 'seen' });
  const seen = await onA.next('event', (message) => step(message) === 'seen', 10_000);
  // The same event has the same id on every node: ids come from the shared sequencer.
  assert.equal((await watcherOnB.next('event', (message) => step(message) === 'seen', 10_000)).id, seen.id);
  await onA.close();

  // Missed while away: published on both nodes.
  await publish(b, { step: 'missed-1' });
  await publish(a, { step: 'missed-2' });
  await publish(b, { step: 'missed-3' });
  await watcherOnB.next('event', (message) => step(message) === 'missed-3', 10_000);

  const onB = await openClient(b.url, owner, clients);
  await subscribe(onB, channel(), seen.id);
  await publish(a, { step: 'after' });
  await onB.next('event', (message) => step(message) === 'after', 10_000);
  const received = eventsOf(onB);
  assert.deepEqual(received.map(step), ['missed-1', 'missed-2', 'missed-3', 'after'], 'exactly the missed events, in order, then live ones');
  const sequences = received.map((message) => parseEventId(message.id)?.sequence ?? -1n);
  const seenSequence = parseEventId(seen.id)?.sequence ?? -1n;
  assert.ok(sequences.every((sequence, index) => sequence > (index === 0 ? seenSequence : (sequences[index - 1] as bigint))), `ids grow: ${seen.id} then ${received.map((message) => message.id).join(', ')}`);
  assert.equal(onB.received.filter((message) => message.type === 'resync').length, 0);

  // Beyond what is kept: more events than the replay window since the client's last id.
  for (let n = 0; n <= REPLAY; n++) await publish(a, { step: `filler-${n}` });
  await watcherOnB.next('event', (message) => step(message) === `filler-${REPLAY}`, 10_000);
  const late = await openClient(b.url, owner, clients);
  await subscribe(late, channel(), seen.id);
  assert.equal((await late.next('resync')).reason, 'TOO_OLD');
  assert.equal(eventsOf(late).length, 0, 'no partial replay: the client reloads instead');

  // A node started after the client's last event cannot vouch for what came between: resync too.
  const c = await startPeer(t, settings);
  peers.push(c);
  const onC = await openClient(c.url, owner, clients);
  await subscribe(onC, channel(), received.at(-1)?.id);
  assert.equal((await onC.next('resync')).reason, 'TOO_OLD');
}

before(async () => {
  t = await startTestApp();
});

after(async () => {
  for (const client of clients) client.socket.terminate();
  for (const peer of peers) await peer.close();
  await t.close();
});

describe('realtime resume across nodes', () => {
  test('PostgreSQL: a client resumes on another node from its last event id, or is told to resync', () => resumeOnAnotherNode({ REALTIME_ADAPTER: 'postgres' }));

  test('Redis: a client resumes on another node from its last event id, or is told to resync', async (context) => {
    if (!(await redisOrSkip(context))) return;
    await resumeOnAnotherNode({ REALTIME_ADAPTER: 'redis', REDIS_URL });
  });
});
