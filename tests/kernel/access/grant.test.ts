import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { customRole, memberWithRoles } from '../../support/members.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Someone who may manage the team and roles but holds little else, as a custom role could make them. */
const DELEGATE = ['access.member.read', 'access.member.manage', 'access.role.read', 'access.role.manage', 'catalog.product.read'];

describe('no privilege escalation when granting', () => {
  let t: TestApp;
  let delegate: Record<string, string>;
  let ownerId: string;
  const rolesOf = async (userId: string) =>
    (await t.database.pool.query('SELECT r.key FROM tenant_member_role m JOIN access_role r ON r.id = m.role_id WHERE m.tenant_id = $1 AND m.user_id = $2 ORDER BY 1', [t.tenantA.id, userId])).rows.map((row) => row.key);

  before(async () => {
    t = await startTestApp();
    delegate = (await memberWithRoles(t, t.tenantA, [await customRole(t, 'tenant-a', DELEGATE)])).headers;
    ownerId = (await t.ownerOf('tenant-a')).userId;
  });
  after(() => t.close());

  test('a role, role change or invitation may only carry permissions the granter holds', async () => {
    const role = await t.app.inject({ method: 'POST', url: '/v1/access/roles', headers: delegate, payload: { key: 'sneaky', name: 'Sneaky', permissions: ['catalog.product.write'] } });
    assert.equal(role.statusCode, 403, role.body);
    assert.deepEqual((role.json() as Json).error.details, { reason: 'GRANT_EXCEEDS_OWN', permissions: ['catalog.product.write'] });
    const allowed = await t.app.inject({ method: 'POST', url: '/v1/access/roles', headers: delegate, payload: { key: 'reader', name: 'Reader', permissions: ['catalog.product.read'] } });
    assert.equal(allowed.statusCode, 201, allowed.body);
    const widen = await t.app.inject({ method: 'PATCH', url: `/v1/access/roles/${(allowed.json() as Json).data.id}`, headers: delegate, payload: { permissions: ['*'] } });
    assert.equal(widen.statusCode, 403);

    const colleague = await memberWithRoles(t, t.tenantA, ['reader']);
    const promote = await t.app.inject({ method: 'PUT', url: `/v1/access/members/${colleague.userId}/roles`, headers: delegate, payload: { roles: ['owner'] } });
    assert.equal(promote.statusCode, 403);
    assert.deepEqual(await rolesOf(colleague.userId), ['reader'], 'nothing changed');
    const invite = await t.app.inject({ method: 'POST', url: '/v1/access/invitations', headers: delegate, payload: { roles: ['manager'] } });
    assert.equal(invite.statusCode, 403);
    assert.equal((await t.app.inject({ method: 'POST', url: '/v1/access/invitations', headers: delegate, payload: { roles: ['reader'] } })).statusCode, 201);
  });

  test('nor may they change or suspend someone who holds more than they do', async () => {
    const demote = await t.app.inject({ method: 'PUT', url: `/v1/access/members/${ownerId}/roles`, headers: delegate, payload: { roles: ['cashier'] } });
    assert.equal(demote.statusCode, 403);
    const suspend = await t.app.inject({ method: 'PUT', url: `/v1/access/members/${ownerId}/status`, headers: delegate, payload: { status: 'suspended' } });
    assert.equal(suspend.statusCode, 403);
    assert.deepEqual(await rolesOf(ownerId), ['owner']);
    const status = await t.database.pool.query('SELECT status FROM tenant_member WHERE tenant_id = $1 AND user_id = $2', [t.tenantA.id, ownerId]);
    assert.equal(status.rows[0].status, 'active');
  });

  test('role and member changes are audited in the same transaction', async () => {
    const owner = await t.headersFor('tenant-a');
    const colleague = await memberWithRoles(t, t.tenantA, ['cashier']);
    assert.equal((await t.app.inject({ method: 'PUT', url: `/v1/access/members/${colleague.userId}/roles`, headers: owner, payload: { roles: ['manager'] } })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'PUT', url: `/v1/access/members/${colleague.userId}/status`, headers: owner, payload: { status: 'suspended' } })).statusCode, 204);
    const rows = await t.database.pool.query("SELECT action, data FROM audit_event WHERE tenant_id = $1 AND target_id = $2 ORDER BY seq", [t.tenantA.id, colleague.userId]);
    assert.deepEqual(rows.rows.map((row) => row.action), ['access.member.roles_changed', 'access.member.suspended']);
    assert.deepEqual(rows.rows[0].data, { roleKeys: { before: ['cashier'], after: ['manager'] } });
  });
});
