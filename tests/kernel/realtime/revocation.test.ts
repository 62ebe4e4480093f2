/**
 * Revocation closes open sockets: two app instances on one database. A revoked sign-in (refresh
 * token reuse, sign-out of a session, a revoked terminal, sign out everywhere) closes that sign-in's sockets on both
 * nodes at once, through the commit-bound notice, while the user's other sign-ins stay connected.
 * The periodic re-check closes a socket whose revocation sent no notice, and one whose member
 * lost the permission of a channel it holds.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { putMember } from '../../../src/kernel/access/index.ts';
import { createUser, deriveIdentityKeys, issueTokenPair, refreshTokens, registerDevice, revokeDevice, revokeSession, signOutEverywhere } from '../../../src/kernel/identity/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { CLOSE_CODES } from '../../../src/kernel/realtime/index.ts';
import { withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, TEST_ROOT_SECRET, type TestApp } from '../../support/app.ts';
import { TEST_CHANNEL, type TestClient } from './support/client.ts';
import { openClient, startPeer, subscribe, type Peer } from './support/peer.ts';
import { REDIS_URL, redisOrSkip } from './support/redis.ts';

/** How soon a notice must close the sockets it concerns, on every node. */
const PROMPT_MS = 3000;
let t: TestApp;
const clients: TestClient[] = [];
const peers: Peer[] = [];
const keys = deriveIdentityKeys(TEST_ROOT_SECRET);

const channel = () => `tenant:${t.tenantA.id}:${TEST_CHANNEL.name}`;
const systemCtx = () => ({ db: t.app.db, tenantId: t.tenantA.id, actor: { kind: 'system', process: 'test' } as const, requestId: 'test', log: createLogger('silent') });

/** A fresh member of tenant A holding `roleKeys` (cashiers may read products, so subscribe to the test channel). */
async function member(roleKeys: string[]): Promise<string> {
  const tag = randomBytes(4).toString('hex');
  const user = await createUser(t.app.db, { email: `rt-revoke-${tag}@tenant-a.example`, displayName: `Revoked ${tag}` });
  await withTenantTx(systemCtx(), (uow) => putMember(uow.tx, t.tenantA.id, user.id, roleKeys));
  return user.id;
}

/** Opens a socket on `node` with the headers and subscribes it to the test channel. */
async function subscribedClient(node: Peer, headers: Record<string, string>): Promise<TestClient> {
  const client = await openClient(node.url, headers, clients);
  await subscribe(client, channel());
  return client;
}

async function closedWith(client: TestClient, code: number, timeoutMs = PROMPT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([client.closed, new Promise<'open'>((resolve) => (timer = setTimeout(() => resolve('open'), timeoutMs)))]);
  clearTimeout(timer);
  assert.notEqual(outcome, 'open', `the socket was still open after ${timeoutMs} ms`);
  assert.equal((outcome as { code: number }).code, code);
}

/** Still connected and served: answers a ping. */
async function stillOpen(client: TestClient): Promise<void> {
  const ref = randomBytes(4).toString('hex');
  client.send({ type: 'ping', ref });
  await client.next('pong', (message) => message.ref === ref);
}

before(async () => {
  t = await startTestApp();
});

after(async () => {
  for (const client of clients) client.socket.terminate();
  for (const peer of peers) await peer.close();
  await t.close();
});

/**
 * Notices travel by PostgreSQL NOTIFY whatever the adapter (they come from identity's transactions),
 * so the Redis variant checks that a Redis node listens for them too.
 */
async function revokedOnEveryNode(env: Record<string, string>): Promise<void> {
  // Re-checks far apart: only the notice can close the sockets in time.
  const settings = { ...env, REALTIME_RECHECK_MS: '600000' };
  const [a, b] = await Promise.all([startPeer(t, settings), startPeer(t, settings)]);
  peers.push(a, b);
  const userId = await member(['cashier']);
  const reused = await issueTokenPair(t.app.db, keys, { userId, tenantId: t.tenantA.id });
  const other = await issueTokenPair(t.app.db, keys, { userId, tenantId: t.tenantA.id });
  const browser = await t.browserAs({ userId, tenantId: t.tenantA.id });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const browserHeaders = (node: Peer) => ({ cookie: browser.cookie, origin: new URL(node.url).origin.replace('ws:', 'http:') });

  const reusedOnA = await subscribedClient(a, bearer(reused.accessToken));
  const reusedOnB = await subscribedClient(b, bearer(reused.accessToken));
  const sessionOnA = await subscribedClient(a, browserHeaders(a));
  const sessionOnB = await subscribedClient(b, browserHeaders(b));
  const otherOnA = await subscribedClient(a, bearer(other.accessToken));
  const otherOnB = await subscribedClient(b, bearer(other.accessToken));
  // The same member signed in at a terminal of the business.
  const { deviceId } = await registerDevice(systemCtx(), 'Front till');
  const terminal = await issueTokenPair(t.app.db, keys, { userId, tenantId: t.tenantA.id, deviceId });
  const terminalOnA = await subscribedClient(a, bearer(terminal.accessToken));
  const terminalOnB = await subscribedClient(b, bearer(terminal.accessToken));

  // Revoking the terminal.
  assert.equal(await revokeDevice(systemCtx(), deviceId), true);
  await Promise.all([closedWith(terminalOnA, CLOSE_CODES.credentialsRevoked), closedWith(terminalOnB, CLOSE_CODES.credentialsRevoked)]);
  await Promise.all([stillOpen(reusedOnA), stillOpen(reusedOnB)]);

  // A refresh token used twice revokes its whole family.
  assert.equal((await refreshTokens(t.app.db, keys, reused.refreshToken)).ok, true);
  const again = await refreshTokens(t.app.db, keys, reused.refreshToken);
  assert.ok(!again.ok && again.reason === 'reuse', JSON.stringify(again));
  await Promise.all([closedWith(reusedOnA, CLOSE_CODES.credentialsRevoked), closedWith(reusedOnB, CLOSE_CODES.credentialsRevoked)]);
  assert.equal(reusedOnA.received.find((message) => message.type === 'error')?.code, 'AUTHN');
  await Promise.all([stillOpen(sessionOnA), stillOpen(sessionOnB), stillOpen(otherOnA), stillOpen(otherOnB)]);

  // Signing out of the browser session.
  const { rows } = await t.database.pool.query<{ id: string }>('SELECT id FROM identity_session WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  assert.equal(rows.length, 1);
  assert.equal(await revokeSession(t.app.db, (rows[0] as { id: string }).id, { userId }), true);
  await Promise.all([closedWith(sessionOnA, CLOSE_CODES.credentialsRevoked), closedWith(sessionOnB, CLOSE_CODES.credentialsRevoked)]);
  await Promise.all([stillOpen(otherOnA), stillOpen(otherOnB)]);

  // "Sign out everywhere" (also what an admin's member sign-out and disabling a user do), in a transaction.
  await t.app.db.transaction((tx) => signOutEverywhere(tx, userId, 'test'));
  await Promise.all([closedWith(otherOnA, CLOSE_CODES.credentialsRevoked), closedWith(otherOnB, CLOSE_CODES.credentialsRevoked)]);
  const familyOf = (token: string) => decodeJwt(token).fam;
  assert.notEqual(familyOf(reused.accessToken), familyOf(other.accessToken));
}

describe('realtime revocation', () => {
  test('PostgreSQL: a revoked sign-in closes its sockets on every node at once; other sign-ins stay', () => revokedOnEveryNode({ REALTIME_ADAPTER: 'postgres' }));

  test('Redis: a revoked sign-in closes its sockets on every node at once; other sign-ins stay', async (context) => {
    if (!(await redisOrSkip(context))) return;
    await revokedOnEveryNode({ REALTIME_ADAPTER: 'redis', REDIS_URL });
  });

  test('the periodic re-check closes a socket whose revocation sent no notice', async () => {
    const node = await startPeer(t, { REALTIME_RECHECK_MS: '200' });
    peers.push(node);
    const userId = await member(['cashier']);
    const pair = await issueTokenPair(t.app.db, keys, { userId, tenantId: t.tenantA.id });
    const client = await subscribedClient(node, { authorization: `Bearer ${pair.accessToken}` });
    await stillOpen(client);
    // Behind identity's back: no NOTIFY, as if the notice had been lost.
    await t.database.pool.query('UPDATE identity_token_family SET revoked_at = now() WHERE id = $1', [decodeJwt(pair.accessToken).fam]);
    await closedWith(client, CLOSE_CODES.credentialsRevoked, 5000);
  });

  test('a member who loses the permission of a channel they hold is disconnected', async () => {
    const node = await startPeer(t, { REALTIME_RECHECK_MS: '200' });
    peers.push(node);
    const userId = await member(['cashier']);
    const headers = { authorization: `Bearer ${(await issueTokenPair(t.app.db, keys, { userId, tenantId: t.tenantA.id })).accessToken}` };
    const holding = await subscribedClient(node, headers);
    const idle = await openClient(node.url, headers, clients);
    await stillOpen(holding);
    // The member keeps their sign-in but no longer has a role that reads products.
    await withTenantTx(systemCtx(), (uow) => putMember(uow.tx, t.tenantA.id, userId, []));
    await closedWith(holding, CLOSE_CODES.accessWithdrawn, 5000);
    assert.equal(holding.received.find((message) => message.type === 'error')?.code, 'AUTHZ');
    // A socket of theirs that holds no channel is still welcome (it may subscribe to what they can read).
    await stillOpen(idle);
    idle.send({ type: 'subscribe', channel: channel(), ref: 'denied' });
    assert.equal((await idle.next('error', (message) => message.ref === 'denied')).code, 'AUTHZ');
  });
});
