import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createUser, deriveIdentityKeys, issueTokenPair, type User } from '../../../src/kernel/identity/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { ownerQuery } from '../../support/catalog.ts';
import { addMember, tokensOf } from '../access/support.ts';

type ErrorBody = { error: { code: string; details?: { reason?: string } } };

describe('POST /v1/auth/token/refresh for someone who may no longer work here', () => {
  let t: TestApp;
  let ownerHeaders: Record<string, string>;
  before(async () => {
    t = await startTestApp();
    ownerHeaders = await t.headersFor('tenant-a');
  });
  after(() => t.close());

  const refresh = (refreshToken: string) => t.app.inject({ method: 'POST', url: '/v1/auth/token/refresh', payload: { refreshToken } });

  /** A clerk with a fresh API sign-in that refreshes once (the family is live and has a child). */
  async function signedInClerk(): Promise<{ clerk: User; refreshToken: string; headers: Record<string, string> }> {
    const clerk = await addMember(t, t.tenantA, ['cashier'], 'Clerk');
    const first = await tokensOf(t, clerk.id, t.tenantA);
    const response = await refresh(first.refreshToken);
    assert.equal(response.statusCode, 200, response.body);
    const { data } = response.json() as { data: { accessToken: string; refreshToken: string } };
    return { clerk, refreshToken: data.refreshToken, headers: { authorization: `Bearer ${data.accessToken}` } };
  }

  async function familiesOf(userId: string) {
    const { rows } = await ownerQuery<{ revoked: boolean; revoked_reason: string | null }>(
      t,
      'SELECT revoked_at IS NOT NULL AS revoked, revoked_reason FROM identity_token_family WHERE user_id = $1',
      [userId],
    );
    return rows;
  }

  async function refusalEvents(userId: string) {
    const { rows } = await ownerQuery<{ tenant_id: string; severity: string; reason: string }>(
      t,
      `SELECT tenant_id, severity, details->>'reason' AS reason FROM security_event
        WHERE kind = 'authn_failed' AND actor = $1 AND details->>'via' = 'refresh_token'`,
      [`user:${userId}`],
    );
    return rows;
  }

  const cases: { name: string; refusal: string; end: (clerk: User) => Promise<void> }[] = [
    {
      name: 'suspended by the owner',
      refusal: 'member_suspended',
      end: async (clerk) => {
        const response = await t.app.inject({ method: 'PUT', url: `/v1/access/members/${clerk.id}/status`, headers: ownerHeaders, payload: { status: 'suspended' } });
        assert.equal(response.statusCode, 204, response.body);
      },
    },
    {
      name: 'removed from the business',
      refusal: 'member_removed',
      end: async (clerk) => {
        await ownerQuery(t, 'DELETE FROM tenant_member WHERE tenant_id = $1 AND user_id = $2', [t.tenantA.id, clerk.id]);
      },
    },
    {
      // Not through setUserStatus, which ends the families itself: the refresh must not rely on it.
      name: 'disabled as a user',
      refusal: 'user_disabled',
      end: async (clerk) => {
        await ownerQuery(t, "UPDATE app_user SET status = 'disabled' WHERE id = $1", [clerk.id]);
      },
    },
  ];

  for (const { name, refusal, end } of cases) {
    test(`${name}: 401 AUTHN, the whole family ends, and a security event records it`, async () => {
      const { clerk, refreshToken, headers } = await signedInClerk();
      await end(clerk);

      const refused = await refresh(refreshToken);
      assert.equal(refused.statusCode, 401, refused.body);
      const { error } = refused.json() as ErrorBody;
      assert.equal(error.code, 'AUTHN');
      assert.equal(error.details?.reason, refusal.toUpperCase());

      assert.deepEqual(await familiesOf(clerk.id), [{ revoked: true, revoked_reason: refusal }]);
      assert.deepEqual(await refusalEvents(clerk.id), [{ tenant_id: t.tenantA.id, severity: 'warning', reason: refusal }]);
      // The family is dead: its newest access token and, once reinstated, its refresh token stay refused.
      assert.equal((await t.app.inject({ method: 'GET', url: '/v1/me/permissions', headers })).statusCode, 401);
      await ownerQuery(t, "UPDATE app_user SET status = 'active' WHERE id = $1", [clerk.id]);
      await ownerQuery(
        t,
        "INSERT INTO tenant_member (tenant_id, user_id, status) VALUES ($1, $2, 'active') ON CONFLICT (tenant_id, user_id) DO UPDATE SET status = 'active'",
        [t.tenantA.id, clerk.id],
      );
      const again = await refresh(refreshToken);
      assert.equal(again.statusCode, 401, again.body);
      assert.equal((again.json() as ErrorBody).error.details?.reason, 'REVOKED');
    });
  }

  test('an active member still refreshes; a sign-in without a business is not asked about memberships', async () => {
    const { clerk, refreshToken } = await signedInClerk();
    assert.equal((await refresh(refreshToken)).statusCode, 200);
    assert.deepEqual(await familiesOf(clerk.id), [{ revoked: false, revoked_reason: null }]);

    const loner = await createUser(t.database.db, { email: `loner-${randomUUID()}@example.test`, displayName: 'Loner' });
    const pair = await issueTokenPair(t.database.db, deriveIdentityKeys(t.rootSecret), { userId: loner.id, tenantId: null });
    assert.equal((await refresh(pair.refreshToken)).statusCode, 200);
  });
});
