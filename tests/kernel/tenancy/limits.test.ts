import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTenantLimit } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { memberWithRoles } from '../../support/members.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('plan limits', () => {
  let t: TestApp;
  let owner: Record<string, string>;
  before(async () => {
    t = await startTestApp();
    owner = await t.headersFor('tenant-a');
  });
  after(() => t.close());

  test('terminals: registering past the limit is a CONFLICT naming the limit; revoking frees a place; no row means no limit', async () => {
    const register = () => t.app.inject({ method: 'POST', url: '/v1/terminals', headers: owner, payload: { name: 'Till' } });
    await setTenantLimit(t.database.db, t.tenantA.id, 'terminals', 2);
    const first = await register();
    assert.equal(first.statusCode, 201);
    assert.equal((await register()).statusCode, 201);
    const third = await register();
    assert.equal(third.statusCode, 409);
    assert.deepEqual((third.json() as Json).error.details, { reason: 'PLAN_LIMIT_REACHED', limit: 'terminals', max: 2 });
    assert.match((third.json() as Json).error.message, /allows 2 terminals/);
    await t.app.inject({ method: 'POST', url: `/v1/terminals/${(first.json() as Json).data.id}/revoke`, headers: owner });
    assert.equal((await register()).statusCode, 201);
    await setTenantLimit(t.database.db, t.tenantA.id, 'terminals', null);
    assert.equal((await register()).statusCode, 201);
  });

  test('members: parallel invitation acceptances never exceed the limit', async () => {
    const members = async () => Number((await t.database.pool.query("SELECT count(*) FROM tenant_member WHERE tenant_id = $1 AND status = 'active'", [t.tenantA.id])).rows[0].count);
    await setTenantLimit(t.database.db, t.tenantA.id, 'members', (await members()) + 1);
    const invitation = (await t.app.inject({ method: 'POST', url: '/v1/access/invitations', headers: owner, payload: { roles: ['cashier'], maxUses: 5 } })).json() as Json;
    const token = new URL(invitation.data.link).pathname.split('/').at(-1);
    const people = await Promise.all([1, 2, 3].map(() => memberWithRoles(t, t.tenantB, ['cashier'])));
    const answers = await Promise.all(
      people.map(async (person) => t.app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: await t.headersAs(person.userId, null), payload: { token } })),
    );
    assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [200, 409, 409], answers.map((answer) => answer.body).join('\n'));
    await setTenantLimit(t.database.db, t.tenantA.id, 'members', null);
  });
});
