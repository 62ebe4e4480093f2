import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { memberWithRoles } from '../../support/members.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('terminals and staff PIN sign-in', () => {
  let t: TestApp;
  let owner: Record<string, string>;
  let terminal: { id: string; deviceSecret: string };
  let cashier: { userId: string; headers: Record<string, string> };
  let manager: { userId: string; headers: Record<string, string> };

  const pinSignIn = (body: Json) => t.app.inject({ method: 'POST', url: '/v1/auth/terminal/pin', payload: { tenant: 'tenant-a', deviceId: terminal.id, deviceSecret: terminal.deviceSecret, ...body } });
  const bearer = (response: { json(): unknown }) => ({ authorization: `Bearer ${(response.json() as Json).data.tokens.accessToken}` });
  const count = async (sql: string, params: unknown[] = []) => Number((await t.database.pool.query(sql, params)).rows[0].count);

  before(async () => {
    t = await startTestApp();
    owner = await t.headersFor('tenant-a');
    const registered = await t.app.inject({ method: 'POST', url: '/v1/terminals', headers: owner, payload: { name: 'Front till' } });
    assert.equal(registered.statusCode, 201, registered.body);
    terminal = (registered.json() as Json).data;
    cashier = await memberWithRoles(t, t.tenantA, ['cashier']);
    manager = await memberWithRoles(t, t.tenantA, ['manager']);
    for (const [member, pin] of [[cashier, '4827'], [manager, '7391']] as const) {
      const set = await t.app.inject({ method: 'PUT', url: '/v1/me/pin', headers: member.headers, payload: { pin } });
      assert.equal(set.statusCode, 204, set.body);
    }
  });
  after(() => t.close());

  test('registering shows the secret once; the list and the audit log show the terminal, never the secret', async () => {
    assert.equal(typeof terminal.deviceSecret, 'string');
    const list = (await t.app.inject({ url: '/v1/terminals', headers: owner })).json() as Json;
    const listed = list.data.find((item: Json) => item.id === terminal.id);
    assert.equal(listed.name, 'Front till');
    assert.ok(!('deviceSecret' in listed));
    assert.equal(await count("SELECT count(*) FROM audit_event WHERE action = 'auth.terminal.registered' AND target_id = $1", [terminal.id]), 1);
    assert.equal(await count('SELECT count(*) FROM audit_event WHERE data::text LIKE $1', [`%${terminal.deviceSecret}%`]), 0);
  });

  test('an easy PIN is refused', async () => {
    const response = await t.app.inject({ method: 'PUT', url: '/v1/me/pin', headers: cashier.headers, payload: { pin: '1234' } });
    assert.equal(response.statusCode, 400);
    assert.match((response.json() as Json).error.message, /too easy/);
  });

  test("the staff member's own permissions apply at the terminal, so switching cashier switches what the till may do", async () => {
    const asCashier = await pinSignIn({ userId: cashier.userId, pin: '4827' });
    assert.equal(asCashier.statusCode, 200, asCashier.body);
    assert.equal((asCashier.json() as Json).data.staff.userId, cashier.userId);
    const product = { name: 'Scone', sku: 'SCONE-1', priceMinor: 300, currency: 'EUR' };
    const refused = await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: bearer(asCashier), payload: product });
    assert.equal(refused.statusCode, 403);

    const asManager = await pinSignIn({ userId: manager.userId, pin: '7391' });
    assert.equal(asManager.statusCode, 200, asManager.body);
    const created = await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: bearer(asManager), payload: product });
    assert.equal(created.statusCode, 201, created.body);
    const actor = (await t.database.pool.query("SELECT actor FROM audit_event WHERE action = 'catalog.product.created' ORDER BY seq DESC LIMIT 1")).rows[0].actor;
    assert.equal(actor, `device:${terminal.id}/staff:${manager.userId}`);
  });

  test('a wrong PIN is 401 and recorded; repeated wrong PINs lock that person', async () => {
    const before_ = await count("SELECT count(*) FROM security_event WHERE kind = 'login_failed'");
    const wrong = await pinSignIn({ userId: cashier.userId, pin: '9999' });
    assert.equal(wrong.statusCode, 401);
    assert.equal((wrong.json() as Json).error.code, 'AUTHN');
    assert.equal(await count("SELECT count(*) FROM security_event WHERE kind = 'login_failed'"), before_ + 1);
    const locker = await memberWithRoles(t, t.tenantA, ['cashier']);
    await t.app.inject({ method: 'PUT', url: '/v1/me/pin', headers: locker.headers, payload: { pin: '5062' } });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) statuses.push((await pinSignIn({ userId: locker.userId, pin: '9999' })).statusCode);
    assert.equal(statuses.at(-1), 429, statuses.join(','));
    const lockedEvenWithTheRightPin = await pinSignIn({ userId: locker.userId, pin: '5062' });
    assert.equal(lockedEvenWithTheRightPin.statusCode, 429);
    assert.equal((await pinSignIn({ userId: cashier.userId, pin: '4827' })).statusCode, 200, 'only that person is locked');
  });

  test('a wrong terminal secret, another business or a non-member is refused', async () => {
    const badSecret = await pinSignIn({ userId: cashier.userId, pin: '4827', deviceSecret: 'not-the-secret' });
    assert.equal(badSecret.statusCode, 401);
    assert.equal((badSecret.json() as Json).error.details.reason, 'TERMINAL_UNKNOWN');
    assert.equal((await pinSignIn({ userId: cashier.userId, pin: '4827', tenant: 'tenant-b' })).statusCode, 401);
    const outsider = await memberWithRoles(t, t.tenantB, ['owner']);
    assert.equal((await pinSignIn({ userId: outsider.userId, pin: '4827' })).statusCode, 401);
  });

  test('revoking the terminal ends every sign-in made at it, on the next request', async () => {
    const signedIn = await pinSignIn({ userId: cashier.userId, pin: '4827' });
    const headers = bearer(signedIn);
    assert.equal((await t.app.inject({ url: '/v1/catalog/products', headers })).statusCode, 200);
    const revoked = await t.app.inject({ method: 'POST', url: `/v1/terminals/${terminal.id}/revoke`, headers: owner });
    assert.equal(revoked.statusCode, 204);
    assert.equal((await t.app.inject({ url: '/v1/catalog/products', headers })).statusCode, 401);
    const refresh = await t.app.inject({ method: 'POST', url: '/v1/auth/token/refresh', payload: { refreshToken: (signedIn.json() as Json).data.tokens.refreshToken } });
    assert.equal(refresh.statusCode, 401);
    assert.equal((await pinSignIn({ userId: cashier.userId, pin: '4827' })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'POST', url: `/v1/terminals/${terminal.id}/revoke`, headers: owner })).statusCode, 404);
  });

  test("another business's terminal id is not found", async () => {
    const ownerB = await t.headersFor('tenant-b');
    const other = (await t.app.inject({ method: 'POST', url: '/v1/terminals', headers: ownerB, payload: { name: 'B till' } })).json() as Json;
    const response = await t.app.inject({ method: 'POST', url: `/v1/terminals/${other.data.id}/revoke`, headers: owner });
    assert.equal(response.statusCode, 404);
    assert.equal(await count('SELECT count(*) FROM identity_device WHERE id = $1 AND revoked_at IS NULL', [other.data.id]), 1);
  });
});
