import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import {
  authenticateDevice,
  checkPin,
  listDevices,
  registerDevice,
  revokeDevice,
  setStaffPin,
  setUserStatus,
  verifyStaffPin,
  type TenantScope,
} from '../../../src/kernel/identity/index.ts';
import { later, newUser, startIdentityFixture, T0, type IdentityFixture } from '../../support/identity.ts';

let f: IdentityFixture;
let inA: TenantScope;
let inB: TenantScope;
before(async () => {
  f = await startIdentityFixture();
  inA = { db: f.db, tenantId: f.tenantA.id };
  inB = { db: f.db, tenantId: f.tenantB.id };
});
after(() => f.close());

describe('checkPin', () => {
  test('4 to 8 digits only', () => {
    for (const pin of ['123', '123456789', '12a4', ' 4821', '']) assert.deepEqual(checkPin(pin), ['Use 4 to 8 digits.'], pin);
    for (const pin of ['4821', '70394', '90817263']) assert.deepEqual(checkPin(pin), [], pin);
  });

  test('repeated digits, repeated pairs and runs are refused as trivial', () => {
    for (const pin of ['0000', '1111', '999999', '1212', '676767', '1234', '0123', '456789', '9876', '43210'])
      assert.equal(checkPin(pin).length, 1, pin);
    for (const pin of ['1235', '1122', '2468', '5173']) assert.deepEqual(checkPin(pin), [], pin);
  });
});

describe('registered devices', () => {
  test('register, authenticate, list and revoke a terminal', async () => {
    const { deviceId, deviceSecret } = await registerDevice(inA, '  Front till ', { now: T0 });
    assert.equal(Buffer.from(deviceSecret, 'base64url').length, 32);
    const device = await authenticateDevice(inA, { deviceId, deviceSecret }, { now: later(5) });
    assert.deepEqual(device, { id: deviceId, name: 'Front till', createdAt: T0, lastSeenAt: later(5), revokedAt: null });
    assert.equal(await authenticateDevice(inA, { deviceId, deviceSecret: `${deviceSecret}x` }), null);
    assert.equal(await authenticateDevice(inA, { deviceId: 'not-a-uuid', deviceSecret }), null);

    const { rows } = await f.owner.db.execute<{ secret_hash: string }>(sql`SELECT secret_hash FROM identity_device WHERE id = ${deviceId}`);
    assert.ok(rows[0] && rows[0].secret_hash !== deviceSecret && /^[0-9a-f]{64}$/.test(rows[0].secret_hash));

    assert.ok((await listDevices(inA)).some((listed) => listed.id === deviceId));
    assert.equal(await revokeDevice(inA, deviceId, { now: later(10) }), true);
    assert.equal(await revokeDevice(inA, deviceId), false);
    assert.equal(await authenticateDevice(inA, { deviceId, deviceSecret }, { now: later(11) }), null);
    assert.deepEqual((await listDevices(inA)).find((listed) => listed.id === deviceId)?.revokedAt, later(10));
  });

  test('a blank or over-long name is a VALIDATION error', async () => {
    await assert.rejects(registerDevice(inA, '   '), { code: 'VALIDATION' });
    await assert.rejects(registerDevice(inA, 'x'.repeat(101)), { code: 'VALIDATION' });
  });

  test("one tenant never sees, authenticates or revokes another tenant's device", async () => {
    const { deviceId, deviceSecret } = await registerDevice(inA, 'Kitchen screen');
    assert.equal(await authenticateDevice(inB, { deviceId, deviceSecret }), null);
    assert.equal(await revokeDevice(inB, deviceId), false);
    assert.ok(!(await listDevices(inB)).some((listed) => listed.id === deviceId));
    assert.notEqual(await authenticateDevice(inA, { deviceId, deviceSecret }), null, 'untouched in its own tenant');
  });

  test('row-level security hides devices and PINs from the app role outside a tenant transaction', async () => {
    await registerDevice(inA, 'Back office');
    const user = await newUser(f.db, { password: null });
    await setStaffPin(inA, user.id, '4821');
    const visible = async (table: string) => (await f.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`)).rows[0]?.n;
    assert.equal(await visible('identity_device'), 0);
    assert.equal(await visible('identity_staff_pin'), 0);
    const owned = await f.owner.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM identity_device`);
    assert.ok((owned.rows[0]?.n ?? 0) > 0);
  });
});

describe('staff PINs', () => {
  test('set and verify a PIN; a wrong PIN and a user without a PIN are both invalid', async () => {
    const user = await newUser(f.db, { password: null });
    const other = await newUser(f.db, { password: null });
    assert.deepEqual(await setStaffPin(inA, user.id, '4821', { now: T0 }), { ok: true });
    assert.deepEqual(await verifyStaffPin(inA, { userId: user.id, pin: '4821' }, { now: later(1) }), { ok: true, rotationDue: false });
    assert.deepEqual(await verifyStaffPin(inA, { userId: user.id, pin: '4822' }, { now: later(2) }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await verifyStaffPin(inA, { userId: other.id, pin: '4821' }, { now: later(3) }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await verifyStaffPin(inA, { userId: 'nobody', pin: '4821' }), { ok: false, reason: 'invalid' });

    const { rows } = await f.owner.db.execute<{ pin_hash: string }>(sql`SELECT pin_hash FROM identity_staff_pin WHERE user_id = ${user.id}`);
    assert.match(rows[0]?.pin_hash ?? '', /^\$argon2id\$/);
  });

  test('trivial PINs are refused', async () => {
    const user = await newUser(f.db, { password: null });
    assert.deepEqual(await setStaffPin(inA, user.id, '1234'), { ok: false, problems: ['This PIN is too easy to guess; avoid repeated digits and runs like 1234.'] });
    assert.deepEqual(await setStaffPin(inA, user.id, '12'), { ok: false, problems: ['Use 4 to 8 digits.'] });
  });

  test('five wrong PINs lock that person on that tenant; the lock ends by the clock', async () => {
    const user = await newUser(f.db, { password: null });
    await setStaffPin(inA, user.id, '4821', { now: T0 });
    await setStaffPin(inB, user.id, '7305', { now: T0 });
    for (let index = 0; index < 4; index++) await verifyStaffPin(inA, { userId: user.id, pin: '0001' }, { now: T0 });
    assert.deepEqual(await verifyStaffPin(inA, { userId: user.id, pin: '0001' }, { now: T0 }), { ok: false, reason: 'invalid', retryAfterSeconds: 30 });
    assert.deepEqual(await verifyStaffPin(inA, { userId: user.id, pin: '4821' }, { now: later(10) }), { ok: false, reason: 'locked', retryAfterSeconds: 20 });
    assert.equal((await verifyStaffPin(inB, { userId: user.id, pin: '7305' }, { now: later(10) })).ok, true, 'the other tenant is not locked');
    assert.equal((await verifyStaffPin(inA, { userId: user.id, pin: '4821' }, { now: later(30) })).ok, true);

    const keys = await f.owner.db.execute<{ key: string }>(sql`SELECT key FROM identity_lockout WHERE key LIKE ${`pin:%:${user.id}`}`);
    assert.deepEqual(keys.rows, [], 'success cleared the PIN key');
  });

  test("a PIN set in one tenant does not work in another", async () => {
    const user = await newUser(f.db, { password: null });
    await setStaffPin(inA, user.id, '5938');
    assert.deepEqual(await verifyStaffPin(inB, { userId: user.id, pin: '5938' }), { ok: false, reason: 'invalid' });
  });

  test('rotation is due after 30 days (configurable); setting a new PIN resets it', async () => {
    const user = await newUser(f.db, { password: null });
    await setStaffPin(inA, user.id, '5938', { now: T0 });
    const day = 86_400;
    assert.deepEqual(await verifyStaffPin(inA, { userId: user.id, pin: '5938' }, { now: later(30 * day - 1) }), { ok: true, rotationDue: false });
    assert.deepEqual(await verifyStaffPin(inA, { userId: user.id, pin: '5938' }, { now: later(30 * day) }), { ok: true, rotationDue: true });
    assert.deepEqual(await verifyStaffPin(inA, { userId: user.id, pin: '5938' }, { now: later(30 * day), policy: { rotateAfterDays: 90 } }), {
      ok: true,
      rotationDue: false,
    });
    await setStaffPin(inA, user.id, '6049', { now: later(30 * day) });
    assert.deepEqual(await verifyStaffPin(inA, { userId: user.id, pin: '6049' }, { now: later(30 * day + 1) }), { ok: true, rotationDue: false });
  });

  test('a disabled staff member is refused, said only after the right PIN', async () => {
    const user = await newUser(f.db, { password: null });
    await setStaffPin(inA, user.id, '5938');
    await setUserStatus(f.db, user.id, 'disabled');
    assert.deepEqual(await verifyStaffPin(inA, { userId: user.id, pin: '5939' }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await verifyStaffPin(inA, { userId: user.id, pin: '5938' }), { ok: false, reason: 'disabled' });
  });
});
