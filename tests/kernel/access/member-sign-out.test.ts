import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createUser } from '../../../src/kernel/identity/index.ts';
import { startTestApp, type TestApp, type TestUser } from '../../support/app.ts';
import { ownerQuery } from '../../support/catalog.ts';
import { addMember, browserOf, sessionWorks, tokensOf, tokenVersionOf } from './support.ts';

const signOutUrl = (userId: string) => `/v1/access/members/${userId}/sign-out`;

async function auditRows(t: TestApp, tenantId: string, userId: string) {
  const { rows } = await ownerQuery<{ actor: string; target_type: string; data: unknown }>(
    t,
    "SELECT actor, target_type, data FROM audit_event WHERE tenant_id = $1 AND action = 'access.member.signed_out' AND target_id = $2",
    [tenantId, userId],
  );
  return rows;
}

describe('POST /v1/access/members/:userId/sign-out', () => {
  let t: TestApp;
  let owner: TestUser;
  let ownerHeaders: Record<string, string>;
  before(async () => {
    t = await startTestApp();
    owner = await t.ownerOf('tenant-a');
    ownerHeaders = await t.headersFor('tenant-a');
  });
  after(() => t.close());

  const signOut = (userId: string, headers = ownerHeaders) => t.app.inject({ method: 'POST', url: signOutUrl(userId), headers });

  test('204: every session, refresh token and access token of the member dies, with one audit row', async () => {
    const clerk = await addMember(t, t.tenantA, ['cashier'], 'Clerk');
    const browsers = [await browserOf(t, clerk.id, t.tenantA), await browserOf(t, clerk.id, t.tenantA)];
    const tokens = await tokensOf(t, clerk.id, t.tenantA);
    const before = await tokenVersionOf(t, clerk.id);

    const response = await signOut(clerk.id);
    assert.equal(response.statusCode, 204, response.body);
    assert.equal(response.body, '');

    for (const browser of browsers) assert.equal(await sessionWorks(t, browser.session), false);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/catalog/products', headers: tokens.headers })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'POST', url: '/v1/auth/token/refresh', payload: { refreshToken: tokens.refreshToken } })).statusCode, 401);
    assert.equal(await tokenVersionOf(t, clerk.id), before + 1);
    const { rows: families } = await ownerQuery<{ revoked_reason: string | null }>(t, 'SELECT revoked_reason FROM identity_token_family WHERE user_id = $1', [clerk.id]);
    assert.deepEqual(families, [{ revoked_reason: 'admin_sign_out' }]);
    assert.deepEqual(await auditRows(t, t.tenantA.id, clerk.id), [{ actor: `api:${owner.userId}`, target_type: 'access.member', data: { memberStatus: 'active' } }]);
    // The member stays a member with the same roles: they can sign in again.
    const { rows } = await ownerQuery(t, 'SELECT status FROM tenant_member WHERE tenant_id = $1 AND user_id = $2', [t.tenantA.id, clerk.id]);
    assert.deepEqual(rows, [{ status: 'active' }]);
  });

  test('a suspended member can be signed out too', async () => {
    const clerk = await addMember(t, t.tenantA, ['cashier'], 'Clerk');
    await ownerQuery(t, "UPDATE tenant_member SET status = 'suspended' WHERE tenant_id = $1 AND user_id = $2", [t.tenantA.id, clerk.id]);
    assert.equal((await signOut(clerk.id)).statusCode, 204);
  });

  test('a user who is not a member here, a member of tenant B and an unknown id all get the same 404 NOT_FOUND and nothing happens', async () => {
    const stranger = await createUser(t.database.db, { email: `stranger-${randomUUID()}@example.test`, displayName: 'Stranger' });
    const outsider = await addMember(t, t.tenantB, ['owner'], 'Outsider');
    const outsiderBrowser = await browserOf(t, outsider.id, t.tenantB);
    const outsiderVersion = await tokenVersionOf(t, outsider.id);
    const bodies = [];
    for (const userId of [stranger.id, outsider.id, randomUUID()]) {
      const response = await signOut(userId);
      assert.equal(response.statusCode, 404, response.body);
      const { error } = response.json() as { error: { code: string; message: string; details: unknown } };
      bodies.push(error);
    }
    assert.deepEqual(bodies[0], { code: 'NOT_FOUND', message: 'Member was not found.', details: { reason: 'ACCESS_MEMBER_NOT_FOUND' } });
    assert.deepEqual(bodies[1], bodies[0], 'a member elsewhere looks like an unknown id');
    assert.deepEqual(bodies[2], bodies[0]);
    assert.ok(await sessionWorks(t, outsiderBrowser.session), "B's member is still signed in");
    assert.equal(await tokenVersionOf(t, outsider.id), outsiderVersion);
    assert.deepEqual(await auditRows(t, t.tenantA.id, outsider.id), []);
  });

  test('a malformed id is 400 VALIDATION', async () => {
    const response = await signOut('not-a-uuid');
    assert.equal(response.statusCode, 400);
    assert.equal((response.json() as { error: { code: string } }).error.code, 'VALIDATION');
  });

  test('without access.member.manage it is 403 AUTHZ; without credentials 401', async () => {
    const manager = await addMember(t, t.tenantA, ['manager'], 'Manager');
    const { headers } = await tokensOf(t, manager.id, t.tenantA);
    const denied = await signOut(owner.userId, headers);
    assert.equal(denied.statusCode, 403, denied.body);
    assert.equal((denied.json() as { error: { code: string } }).error.code, 'AUTHZ');
    assert.equal((await signOut(owner.userId, {})).statusCode, 401);
    assert.ok(await sessionWorks(t, (await t.browserFor('tenant-a')).cookie), "the owner's session survived");
  });

  test('from a browser session it needs the CSRF token', async () => {
    const clerk = await addMember(t, t.tenantA, ['cashier'], 'Clerk');
    const clerkBrowser = await browserOf(t, clerk.id, t.tenantA);
    const ownerBrowser = await t.browserFor('tenant-a');
    const refused = await signOut(clerk.id, { cookie: ownerBrowser.cookie });
    assert.equal(refused.statusCode, 403);
    assert.ok(await sessionWorks(t, clerkBrowser.session));
    const allowed = await signOut(clerk.id, { cookie: ownerBrowser.cookie, 'x-csrf-token': ownerBrowser.csrfToken });
    assert.equal(allowed.statusCode, 204, allowed.body);
    assert.equal(await sessionWorks(t, clerkBrowser.session), false);
  });
});
