import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { putMember } from '../../../src/kernel/access/index.ts';
import { createUser } from '../../../src/kernel/identity/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { parseEventId, type ServerMessage } from '../../../src/kernel/realtime/index.ts';
import { withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { until } from '../../support/wait.ts';
import { connect, refusedStatus, TEST_CHANNEL, type TestClient } from './support/client.ts';

const REPLAY = 5;
const HEARTBEAT_MS = 150;
let t: TestApp;
let base: string;
let url: string;
const clients: TestClient[] = [];
const apps: TestApp[] = [];

/** A test app listening on a free port, with the test channel; answers its host:port. */
async function listening(env: Record<string, string>): Promise<{ app: TestApp; base: string }> {
  const app = await startTestApp(env);
  apps.push(app);
  app.app.realtime.defineChannel(TEST_CHANNEL);
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.app.server.address();
  return { app, base: `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

async function open(headers: Record<string, string>, at = url): Promise<TestClient> {
  const client = await connect(at, headers);
  clients.push(client);
  await client.next('welcome');
  return client;
}

const owner = () => t.headersFor('tenant-a');
const channelA = () => `tenant:${t.tenantA.id}:${TEST_CHANNEL.name}`;

async function subscribed(client: TestClient, channel = channelA(), lastEventId?: string): Promise<void> {
  const ref = randomUUID().slice(0, 8);
  client.send({ type: 'subscribe', channel, ref, ...(lastEventId ? { lastEventId } : {}) });
  await client.next('subscribed', (message) => message.ref === ref);
}

before(async () => {
  // Heartbeats far apart here, so only back-pressure can drop a paused client; the heartbeat test has its own app.
  ({ app: t, base } = await listening({ REALTIME_HEARTBEAT_MS: '60000', REALTIME_REPLAY_EVENTS: String(REPLAY), REALTIME_MAX_BUFFERED_BYTES: '65536' }));
  url = `ws://${base}/v1/realtime`;
});

after(async () => {
  for (const client of clients) client.socket.terminate();
  for (const app of apps) await app.close();
});

describe('realtime handshake', () => {
  test('without credentials the guard refuses the upgrade (401)', async () => {
    assert.equal(await refusedStatus(url), 401);
    assert.equal(await refusedStatus(url, { authorization: 'Bearer not-a-token' }), 401);
  });

  test('a browser handshake from another origin is refused (403) and recorded', async () => {
    const browser = await t.browserFor('tenant-a');
    assert.equal(await refusedStatus(url, { cookie: browser.cookie, origin: 'https://evil.example' }), 403);
    assert.equal(await refusedStatus(url, { cookie: browser.cookie, origin: 'null' }), 403);
    const { rows } = await t.database.pool.query<{ details: { origin?: string } }>("SELECT details FROM security_event WHERE kind = 'csrf_rejected'");
    assert.ok(rows.some((row) => row.details.origin === 'https://evil.example'), JSON.stringify(rows));
    // The same browser from this site's own origin gets in.
    const client = await open({ cookie: browser.cookie, origin: `http://${base}` });
    await subscribed(client);
  });

  test('a bearer client (no Origin) is accepted; a plain GET is told to upgrade', async () => {
    await open(await owner());
    const plain = await t.app.inject({ method: 'GET', url: '/v1/realtime', headers: await owner() });
    assert.equal(plain.statusCode, 426);
    assert.equal((plain.json() as { error: { details: { reason: string } } }).error.details.reason, 'UPGRADE_REQUIRED');
  });
});

describe('realtime protocol', () => {
  test('messages failing validation get an error frame, and the connection carries on', async () => {
    const client = await open(await owner());
    client.send('not json');
    assert.equal((await client.next('error')).code, 'VALIDATION');
    client.send({ type: 'shout', ref: 'r1' } as never);
    const unknown = await client.next('error');
    assert.equal(unknown.code, 'VALIDATION');
    assert.equal(unknown.ref, 'r1');
    client.send(JSON.stringify({ type: 'subscribe', channel: channelA(), extra: true }));
    assert.equal((await client.next('error')).code, 'VALIDATION');
    client.send(JSON.stringify({ type: 'subscribe', channel: 42 }));
    assert.equal((await client.next('error')).code, 'VALIDATION');
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal((await client.next('error')).code, 'VALIDATION');
    client.send(JSON.stringify(null));
    assert.equal((await client.next('error')).code, 'VALIDATION');
    client.send({ type: 'ping', ref: 'still-here' });
    assert.equal((await client.next('pong')).ref, 'still-here');
  });

  test("another tenant's channel is refused exactly like a channel that does not exist", async () => {
    const client = await open(await owner());
    const answer = async (channel: string) => {
      client.send({ type: 'subscribe', channel, ref: 'x' });
      const { code, message, ref } = await client.next('error');
      return { code, message, ref };
    };
    const foreign = await answer(`tenant:${t.tenantB.id}:${TEST_CHANNEL.name}`);
    const missing = await answer(`tenant:${randomUUID()}:${TEST_CHANNEL.name}`);
    const undefinedName = await answer(`tenant:${t.tenantA.id}:no.such.channel`);
    assert.equal(foreign.code, 'NOT_FOUND');
    assert.deepEqual(missing, foreign);
    assert.deepEqual(undefinedName, foreign);
    // Tenant B's owner does get tenant B's channel.
    const other = await open(await t.headersFor('tenant-b'));
    await subscribed(other, `tenant:${t.tenantB.id}:${TEST_CHANNEL.name}`);
  });

  test('a channel of a module the business may not use is refused exactly like one that does not exist', async () => {
    const client = await open(await owner());
    const answer = async (channel: string) => {
      client.send({ type: 'subscribe', channel, ref: 'y' });
      const { code, message, ref } = await client.next('error', (error) => error.ref === 'y');
      return { code, message, ref };
    };
    await t.database.pool.query("INSERT INTO tenant_module_toggle (tenant_id, module_id, enabled) VALUES ($1, 'catalog', false)", [t.tenantA.id]);
    try {
      assert.deepEqual(await answer(channelA()), await answer(`tenant:${t.tenantA.id}:no.such.channel`));
      assert.equal((await answer(channelA())).code, 'NOT_FOUND');
    } finally {
      await t.database.pool.query("DELETE FROM tenant_module_toggle WHERE tenant_id = $1 AND module_id = 'catalog'", [t.tenantA.id]);
    }
    await subscribed(client);
  });

  test("a member without the channel's permission is refused", async () => {
    const tag = randomBytes(4).toString('hex');
    const user = await createUser(t.app.db, { email: `rt-${tag}@tenant-a.example`, displayName: `Realtime ${tag}` });
    const ctx = { db: t.app.db, tenantId: t.tenantA.id, actor: { kind: 'system', process: 'test' } as const, requestId: 'test', log: createLogger('silent') };
    await withTenantTx(ctx, (uow) => putMember(uow.tx, t.tenantA.id, user.id, []));
    const client = await open(await t.headersAs(user.id, t.tenantA.id));
    client.send({ type: 'subscribe', channel: channelA() });
    const denied = await client.next('error');
    assert.equal(denied.code, 'AUTHZ');
    assert.deepEqual(denied.details, { reason: 'PERMISSION_REQUIRED', permission: TEST_CHANNEL.permission });
  });

  test('published events reach subscribers of that channel only, with growing ids', async () => {
    const a = await open(await owner());
    const b = await open(await t.headersFor('tenant-b'));
    await subscribed(a);
    await subscribed(b, `tenant:${t.tenantB.id}:${TEST_CHANNEL.name}`);
    for (const n of [1, 2, 3]) await t.app.realtime.publish(t.tenantA.id, TEST_CHANNEL.name, { n });
    // Then one event on b's channel: events reach a node in the order published, so had any of
    // tenant A's been sent to b, b would hold it before this marker.
    await t.app.realtime.publish(t.tenantB.id, TEST_CHANNEL.name, { marker: true });
    const events: Extract<ServerMessage, { type: 'event' }>[] = [];
    for (const n of [1, 2, 3]) events.push(await a.next('event', (event) => (event.event as { n: number }).n === n));
    const sequences = events.map((event) => parseEventId(event.id)?.sequence ?? 0n);
    assert.deepEqual([...sequences].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)), sequences);
    assert.equal(new Set(sequences).size, 3);
    await b.next('event', (event) => (event.event as { marker?: boolean }).marker === true);
    assert.deepEqual(
      b.received.filter((message) => message.type === 'event').map((message) => message.event),
      [{ marker: true }],
    );
    await assert.rejects(t.app.realtime.publish(t.tenantA.id, 'no.such.channel', {}), /not defined/);
  });

  test('a reconnecting client resumes from its last event id, or is told to resync', async () => {
    const first = await open(await owner());
    await subscribed(first);
    await t.app.realtime.publish(t.tenantA.id, TEST_CHANNEL.name, { step: 'seen' });
    const seen = await first.next('event', (event) => (event.event as { step?: string }).step === 'seen');
    await first.close();
    await t.app.realtime.publish(t.tenantA.id, TEST_CHANNEL.name, { step: 'missed-1' });
    await t.app.realtime.publish(t.tenantA.id, TEST_CHANNEL.name, { step: 'missed-2' });
    // Let this process receive both from the bus before the client comes back.
    const watcher = await open(await owner());
    await subscribed(watcher);
    await t.app.realtime.publish(t.tenantA.id, TEST_CHANNEL.name, { step: 'marker' });
    await watcher.next('event', (event) => (event.event as { step?: string }).step === 'marker');

    const again = await open(await owner());
    await subscribed(again, channelA(), seen.id);
    const replayed = [];
    for (const step of ['missed-1', 'missed-2', 'marker']) replayed.push(await again.next('event', (event) => (event.event as { step?: string }).step === step));
    const seenSequence = parseEventId(seen.id)?.sequence;
    assert.ok(seenSequence !== undefined && replayed.every((event) => (parseEventId(event.id)?.sequence ?? 0n) > seenSequence));
    assert.equal(again.received.filter((message) => message.type === 'event' && (message.event as { step?: string }).step === 'seen').length, 0);

    // More events than the replay buffer holds: the old id can no longer be served.
    for (let n = 0; n <= REPLAY; n++) await t.app.realtime.publish(t.tenantA.id, TEST_CHANNEL.name, { filler: n });
    await watcher.next('event', (event) => (event.event as { filler?: number }).filler === REPLAY);
    const late = await open(await owner());
    await subscribed(late, channelA(), seen.id);
    assert.equal((await late.next('resync')).reason, 'TOO_OLD');
    // An id of another sequencer (another adapter, or a Redis that lost its data) cannot be resumed either.
    const elsewhere = await open(await owner());
    await subscribed(elsewhere, channelA(), 'abcdef012345-7');
    assert.equal((await elsewhere.next('resync')).reason, 'UNKNOWN_STREAM');
  });

  test('when the LISTEN connection drops, subscribers are told to resync and delivery resumes', async () => {
    const client = await open(await owner());
    await subscribed(client);
    const { rowCount } = await t.database.pool.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'plinth-realtime' AND datname = current_database()");
    assert.equal(rowCount, 1);
    assert.equal((await client.next('resync', undefined, 10_000)).reason, 'MISSED');
    await t.app.realtime.publish(t.tenantA.id, TEST_CHANNEL.name, { after: 'reconnect' });
    await client.next('event', (event) => (event.event as { after?: string }).after === 'reconnect');
  });

  test('a slow consumer is dropped instead of buffered for', async () => {
    const slow = await open(await owner());
    await subscribed(slow);
    const before = t.app.realtime.stats();
    // The client stops reading: the kernel buffers fill, then the server's send buffer grows.
    slow.socket.pause();
    const big = 'x'.repeat(6000);
    for (let n = 0; n < 2000 && t.app.realtime.stats().slowConsumersDropped === before.slowConsumersDropped; n++)
      await t.app.realtime.publish(t.tenantA.id, TEST_CHANNEL.name, { n, big });
    await until('the slow consumer to be dropped', () => t.app.realtime.stats().slowConsumersDropped === before.slowConsumersDropped + 1);
    // The connection leaves the count when its close completes, a moment after the drop is counted.
    await until('the dropped connection to leave the count', () => t.app.realtime.stats().connections === before.connections - 1);
    slow.socket.resume();
    await until('the client to see its socket closed', () => slow.socket.readyState === slow.socket.CLOSED);
  });

  test('a socket that stops answering pings is dropped', async () => {
    const { app: quick, base: quickBase } = await listening({ REALTIME_HEARTBEAT_MS: String(HEARTBEAT_MS) });
    const live = await open(await quick.headersFor('tenant-a'), `ws://${quickBase}/v1/realtime`);
    const silent = await open(await quick.headersFor('tenant-a'), `ws://${quickBase}/v1/realtime`);
    // A paused client reads nothing, so it never answers the server's pings.
    silent.socket.pause();
    await until('the dead socket to be dropped', () => quick.app.realtime.stats().deadSocketsDropped === 1, HEARTBEAT_MS * 20);
    // A client that answers pings stays, several heartbeats on (each heartbeat pings it).
    let pings = 0;
    live.socket.on('ping', () => pings++);
    await until('four more heartbeats', () => pings >= 4, HEARTBEAT_MS * 40);
    assert.equal(quick.app.realtime.stats().deadSocketsDropped, 1);
    assert.equal(quick.app.realtime.stats().connections, 1);
    live.send({ type: 'ping', ref: 'alive' });
    assert.equal((await live.next('pong')).ref, 'alive');
  });
});
