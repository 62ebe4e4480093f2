import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { APP_ROLE, createDatabase } from '../../../src/kernel/db/index.ts';
import { deliverEvent, type HandlerJobData } from '../../../src/kernel/jobs/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { addMemberDirectly, CREDENTIAL_TRUSTED } from '../../../src/modules/community/index.ts';
import { requestsModule } from '../../../src/modules/requests/index.ts';
import { createUser } from '../../../src/kernel/identity/index.ts';
import { startTestApp } from '../../support/app.ts';
import { connect } from '../../kernel/realtime/support/client.ts';
import { approveAll, newCommunity, systemCtx, unique, type Community } from '../community/support.ts';
import { trustCredential } from '../community/trust.ts';

const t = await startTestApp();
await t.app.listen({ host: '127.0.0.1', port: 0 });
const address = t.app.server.address();
const wsUrl = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/realtime`;
const log = createLogger('silent');
const jobsDatabase = createDatabase(t.database.url, { poolMax: 2, log, role: APP_ROLE });
after(async () => {
  await jobsDatabase.close();
  await t.close();
});

type Headers = Record<string, string>;

/** A member of the community with these roles, with a bearer token (verified unless `verified: false`). */
async function member(community: Community, roleKeys: readonly string[], options: { verified?: boolean } = {}): Promise<{ userId: string; username: string; headers: Headers }> {
  const username = `m_${unique()}`;
  const user = await createUser(t.app.db, { email: `${username}@members.example`, displayName: username });
  await addMemberDirectly(systemCtx(t, community.tenant.id), { userId: user.id, username, roleKeys });
  const headers = await t.headersAs(user.id, community.tenant.id);
  if (options.verified !== false) await trustCredential(t, community.tenant.id, user.id, headers);
  return { userId: user.id, username, headers };
}

async function call<T = unknown>(headers: Headers, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object): Promise<{ status: number; body: { data: T; error?: { code: string; details?: { reason?: string } } } }> {
  const response = await t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: response.json() };
}

interface Detail {
  id: string;
  status: string;
  syncScope: string;
  author: string;
  completedBy: string | null;
  comments: { id: string; author: string; body: string; removed: boolean }[];
}

const community = await newCommunity(t);
const ana = await member(community, ['member']);
const ben = await member(community, ['member']);
const mod = await member(community, ['moderator']);

describe('requests API', () => {
  test('create, comment, complete, reopen; names, never ids', async () => {
    const created = await call<Detail>(ana.headers, 'POST', '/v1/requests', { title: 'Pharmacy pick-up', body: 'Prescription ready at noon.' });
    assert.equal(created.status, 201);
    assert.equal(created.body.data.status, 'open');
    assert.equal(created.body.data.syncScope, 'private', 'private by default');
    assert.equal(created.body.data.author, ana.username);
    const id = created.body.data.id;
    const commented = await call<Detail>(ben.headers, 'POST', `/v1/requests/${id}/comments`, { body: 'I will be in town.' });
    assert.equal(commented.status, 201);
    assert.equal(commented.body.data.comments[0]?.author, ben.username);
    const listed = await call<{ id: string; commentCount: number }[]>(ben.headers, 'GET', '/v1/requests?pageSize=100');
    assert.equal(listed.body.data.find((request) => request.id === id)?.commentCount, 1, 'the feed counts comments');
    const completed = await call<Detail>(ben.headers, 'POST', `/v1/requests/${id}/complete`);
    assert.equal(completed.body.data.status, 'completed');
    assert.equal(completed.body.data.completedBy, ben.username);
    assert.equal((await call(ben.headers, 'POST', `/v1/requests/${id}/complete`)).status, 409);
    assert.equal((await call<Detail>(ana.headers, 'POST', `/v1/requests/${id}/reopen`)).body.data.status, 'open');
  });

  test('the list filters by status, scope and author, and pages', async () => {
    const mine = await member(community, ['member']);
    for (let index = 0; index < 3; index++) await call(mine.headers, 'POST', '/v1/requests', { title: `Item ${index}`, body: 'x', syncScope: index === 0 ? 'public' : 'private' });
    const page1 = await call<{ id: string }[]>(mine.headers, 'GET', '/v1/requests?mine=true&pageSize=2');
    assert.equal(page1.body.data.length, 2);
    assert.deepEqual((page1.body as unknown as { pagination: object }).pagination, { page: 1, pageSize: 2, total: 3, totalPages: 2 });
    const page2 = await call<{ id: string }[]>(mine.headers, 'GET', '/v1/requests?mine=true&pageSize=2&page=2');
    assert.equal(page2.body.data.length, 1);
    const publicOnes = await call<{ syncScope: string }[]>(mine.headers, 'GET', '/v1/requests?mine=true&scope=public');
    assert.deepEqual(publicOnes.body.data.map((request) => request.syncScope), ['public']);
    const completed = await call<{ status: string }[]>(mine.headers, 'GET', '/v1/requests?status=completed&mine=true');
    assert.equal(completed.body.data.length, 0);
    assert.equal((await call(mine.headers, 'GET', '/v1/requests?status=lost')).status, 400);
  });

  test('the scope is changed by the author or a moderator only', async () => {
    const { body } = await call<Detail>(ana.headers, 'POST', '/v1/requests', { title: 'Scope', body: 'x' });
    const id = body.data.id;
    const refused = await call(ben.headers, 'PUT', `/v1/requests/${id}/scope`, { syncScope: 'public' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error?.details?.reason, 'REQUESTS_NOT_AUTHOR');
    assert.equal((await call<Detail>(ana.headers, 'PUT', `/v1/requests/${id}/scope`, { syncScope: 'public' })).body.data.syncScope, 'public');
    assert.equal((await call<Detail>(mod.headers, 'PUT', `/v1/requests/${id}/scope`, { syncScope: 'private' })).body.data.syncScope, 'private');
  });

  test('moderators remove a comment: hidden, kept, audited', async () => {
    const { body } = await call<Detail>(ana.headers, 'POST', '/v1/requests', { title: 'Moderation', body: 'x' });
    const id = body.data.id;
    const commented = await call<Detail>(ben.headers, 'POST', `/v1/requests/${id}/comments`, { body: 'Something rude' });
    const commentId = commented.body.data.comments[0]?.id as string;
    assert.equal((await call(ben.headers, 'POST', `/v1/requests/${id}/comments/${commentId}/remove`, { reason: 'mine' })).status, 403);
    const removed = await call<Detail>(mod.headers, 'POST', `/v1/requests/${id}/comments/${commentId}/remove`, { reason: 'Rude' });
    assert.deepEqual(removed.body.data.comments.map(({ body: text, removed: gone }) => ({ text, gone })), [{ text: '', gone: true }]);
    const { rows } = await t.database.pool.query("SELECT actor, data FROM audit_event WHERE tenant_id = $1 AND action = 'requests.comment.removed' AND target_id = $2", [community.tenant.id, commentId]);
    assert.equal(rows[0].actor, `api:${mod.userId}`);
    assert.equal(rows[0].data.reason, 'Rude');
    assert.equal(rows[0].data.body, 'Something rude');
  });

  test('a half-authenticated author drafts pending requests, opened when a sign-in of theirs is trusted', async () => {
    const newcomer = await member(community, ['member'], { verified: false });
    const drafted = await call<Detail>(newcomer.headers, 'POST', '/v1/requests', { title: 'Draft', body: 'x' });
    assert.equal(drafted.body.data.status, 'pending');
    const id = drafted.body.data.id;
    assert.equal((await call(ben.headers, 'GET', `/v1/requests/${id}`)).status, 404, 'others do not see a pending request');
    assert.equal((await call(ben.headers, 'POST', `/v1/requests/${id}/comments`, { body: 'x' })).status, 404);
    const refused = await call(newcomer.headers, 'POST', `/v1/requests/${id}/comments`, { body: 'x' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error?.details?.reason, 'COMMUNITY_SIGN_IN_UNVERIFIED');
    await approveAll(t, community.tenant.id, newcomer.userId);
    const handler = (requestsModule.eventHandlers ?? []).find((candidate) => candidate.events.includes(CREDENTIAL_TRUSTED));
    assert.ok(handler);
    const { rows } = await t.database.pool.query("SELECT id, payload, occurred_at FROM jobs_outbox WHERE tenant_id = $1 AND type = $2 AND payload->>'userId' = $3", [community.tenant.id, CREDENTIAL_TRUSTED, newcomer.userId]);
    assert.equal(rows.length, 1);
    const job: HandlerJobData = { id: rows[0].id, type: CREDENTIAL_TRUSTED, tenantId: community.tenant.id, payload: rows[0].payload, occurredAt: rows[0].occurred_at.toISOString(), handler: `requests.${handler.name}` };
    await deliverEvent(jobsDatabase, log, { name: `requests.${handler.name}`, definition: handler }, job);
    assert.equal((await call<Detail>(ben.headers, 'GET', `/v1/requests/${id}`)).body.data.status, 'open');
  });

  test("another community's requests are not there", async () => {
    const other = await newCommunity(t);
    const stranger = await member(other, ['member']);
    const { body } = await call<Detail>(ana.headers, 'POST', '/v1/requests', { title: 'Ours', body: 'x' });
    const missing = await call(stranger.headers, 'GET', `/v1/requests/${randomUUID()}`);
    const foreign = await call(stranger.headers, 'GET', `/v1/requests/${body.data.id}`);
    assert.equal(foreign.status, 404);
    assert.deepEqual(foreign.body, missing.body);
    assert.equal((await call(stranger.headers, 'POST', `/v1/requests/${body.data.id}/comments`, { body: 'x' })).status, 404);
    const list = await call<{ id: string }[]>(stranger.headers, 'GET', '/v1/requests');
    assert.equal(list.body.data.some((request) => request.id === body.data.id), false);
  });

  test('comments and completions reach subscribers of the requests channel', async () => {
    const { body } = await call<Detail>(ana.headers, 'POST', '/v1/requests', { title: 'Live', body: 'x' });
    const client = await connect(wsUrl, ana.headers);
    try {
      await client.next('welcome');
      client.send({ type: 'subscribe', channel: `tenant:${community.tenant.id}:requests.activity`, ref: 'r1' });
      await client.next('subscribed');
      await call(ben.headers, 'POST', `/v1/requests/${body.data.id}/comments`, { body: 'Coming!' });
      const event = await client.next('event');
      assert.deepEqual(event.event, { requestId: body.data.id, kind: 'comment' });
      await call(ben.headers, 'POST', `/v1/requests/${body.data.id}/complete`);
      assert.deepEqual((await client.next('event')).event, { requestId: body.data.id, kind: 'status' });
    } finally {
      await client.close();
    }
  });
});
