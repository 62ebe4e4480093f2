import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { generate } from 'otplib';
import { AppError } from '../../../src/kernel/errors.ts';
import {
  beginTotpEnrolment,
  confirmTotpEnrolment,
  disableTotp,
  isTotpEnabled,
  useRecoveryCode,
  verifyTotp,
  type User,
} from '../../../src/kernel/identity/index.ts';
import { later, newUser, startIdentityFixture, T0, type IdentityFixture } from '../../support/identity.ts';

let f: IdentityFixture;
before(async () => {
  f = await startIdentityFixture();
});
after(() => f.close());

/** The code an authenticator app shows for `secret` at `at`. */
const codeAt = (secret: string, at: Date) => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

/** A user with TOTP on (confirmed at T0) and their secret and recovery codes. */
async function enrolled(): Promise<{ user: User; secret: string; recoveryCodes: string[] }> {
  const user = await newUser(f.db, { password: null });
  const { secret } = await beginTotpEnrolment(f.db, f.keys, { userId: user.id, issuer: 'Plinth' }, { now: T0 });
  const confirmed = await confirmTotpEnrolment(f.db, f.keys, user.id, await codeAt(secret, T0), { now: T0 });
  if (!confirmed.ok) throw new Error(`enrolment failed: ${confirmed.reason}`);
  return { user, secret, recoveryCodes: confirmed.recoveryCodes };
}

describe('TOTP enrolment', () => {
  test('begin gives a secret and an otpauth URL; the secret is stored encrypted and not yet enabled', async () => {
    const user = await newUser(f.db, { email: 'totp.person@example.test', password: null });
    const enrolment = await beginTotpEnrolment(f.db, f.keys, { userId: user.id, issuer: 'Plinth Café' }, { now: T0 });
    assert.match(enrolment.secret, /^[A-Z2-7]{32}$/);
    const url = new URL(enrolment.otpauthUrl);
    assert.equal(url.protocol, 'otpauth:');
    assert.equal(url.searchParams.get('secret'), enrolment.secret);
    assert.equal(url.searchParams.get('issuer'), 'Plinth Café');
    assert.match(decodeURIComponent(url.pathname), /totp\.person@example\.test/);

    const { rows } = await f.owner.db.execute<{ secret_encrypted: string; enabled_at: Date | null }>(
      sql`SELECT secret_encrypted, enabled_at FROM identity_totp WHERE user_id = ${user.id}`,
    );
    assert.equal(rows[0]?.enabled_at, null);
    assert.ok(rows[0] && !rows[0].secret_encrypted.includes(enrolment.secret));
    assert.equal(await isTotpEnabled(f.db, user.id), false);
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, await codeAt(enrolment.secret, T0), { now: T0 }), { ok: false, reason: 'not_enabled' });
  });

  test('a wrong first code does not enable it; the right one does and returns 10 distinct recovery codes', async () => {
    const user = await newUser(f.db, { password: null });
    const { secret } = await beginTotpEnrolment(f.db, f.keys, { userId: user.id, issuer: 'Plinth' }, { now: T0 });
    const wrong = (await codeAt(secret, T0)) === '000000' ? '111111' : '000000';
    assert.deepEqual(await confirmTotpEnrolment(f.db, f.keys, user.id, wrong, { now: T0 }), { ok: false, reason: 'invalid' });
    assert.equal(await isTotpEnabled(f.db, user.id), false);

    const confirmed = await confirmTotpEnrolment(f.db, f.keys, user.id, await codeAt(secret, T0), { now: T0 });
    assert.equal(confirmed.ok, true);
    const codes = confirmed.ok ? confirmed.recoveryCodes : [];
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    assert.equal(await isTotpEnabled(f.db, user.id), true);

    const { rows } = await f.owner.db.execute<{ code_hash: string }>(sql`SELECT code_hash FROM identity_recovery_code WHERE user_id = ${user.id}`);
    assert.equal(rows.length, 10);
    assert.ok(rows.every((row) => /^[0-9a-f]{64}$/.test(row.code_hash)), 'only hashes are stored');
  });

  test('starting over is refused while TOTP is on', async () => {
    const { user } = await enrolled();
    await assert.rejects(
      beginTotpEnrolment(f.db, f.keys, { userId: user.id, issuer: 'Plinth' }),
      (error) => error instanceof AppError && error.code === 'CONFLICT',
    );
  });

  test('a stored secret does not decrypt for another user (it is bound to its row)', async () => {
    const first = await enrolled();
    const second = await enrolled();
    await f.owner.db.execute(sql`UPDATE identity_totp SET secret_encrypted = (SELECT secret_encrypted FROM identity_totp WHERE user_id = ${first.user.id}) WHERE user_id = ${second.user.id}`);
    await assert.rejects(verifyTotp(f.db, f.keys, second.user.id, await codeAt(first.secret, later(60)), { now: later(60) }));
  });
});

describe('verifyTotp', () => {
  test('accepts the current code and one step either side, not two', async () => {
    const { user, secret } = await enrolled();
    const now = later(300);
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, await codeAt(secret, later(-30, now)), { now }), { ok: true });
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, await codeAt(secret, now), { now }), { ok: true });
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, await codeAt(secret, later(30, now)), { now }), { ok: true });
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, await codeAt(secret, later(120, now)), { now: later(60, now) }), { ok: false, reason: 'invalid' });
    const fresh = await enrolled();
    assert.deepEqual(await verifyTotp(f.db, f.keys, fresh.user.id, await codeAt(fresh.secret, later(240)), { now: later(300) }), {
      ok: false,
      reason: 'invalid',
    });
  });

  test('a code is refused the second time, and so is an older one after a newer one', async () => {
    const { user, secret } = await enrolled();
    const now = later(600);
    const code = await codeAt(secret, now);
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, code, { now }), { ok: true });
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, code, { now: later(5, now) }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, await codeAt(secret, later(-30, now)), { now: later(5, now) }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, await codeAt(secret, later(30, now)), { now: later(30, now) }), { ok: true });
  });

  test('the code that confirmed enrolment cannot be replayed', async () => {
    const user = await newUser(f.db, { password: null });
    const { secret } = await beginTotpEnrolment(f.db, f.keys, { userId: user.id, issuer: 'Plinth' }, { now: T0 });
    const code = await codeAt(secret, T0);
    await confirmTotpEnrolment(f.db, f.keys, user.id, code, { now: T0 });
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, code, { now: later(1) }), { ok: false, reason: 'invalid' });
  });

  test('malformed codes are invalid, and five wrong codes lock the second factor', async () => {
    const { user, secret } = await enrolled();
    const now = later(900);
    const right = await codeAt(secret, now);
    const wrong = right === '123456' ? '654321' : '123456';
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, 'abcdef', { now }), { ok: false, reason: 'invalid' });
    for (let index = 0; index < 3; index++) await verifyTotp(f.db, f.keys, user.id, wrong, { now });
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, wrong, { now }), { ok: false, reason: 'invalid', retryAfterSeconds: 30 });
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, right, { now }), { ok: false, reason: 'locked', retryAfterSeconds: 30 });
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, await codeAt(secret, later(30, now)), { now: later(30, now) }), { ok: true });
  });
});

describe('recovery codes and turning TOTP off', () => {
  test('each recovery code works once, typed in any case with or without dashes', async () => {
    const { user, recoveryCodes } = await enrolled();
    const [first = '', second = ''] = recoveryCodes;
    assert.deepEqual(await useRecoveryCode(f.db, user.id, first, { now: later(1) }), { ok: true });
    assert.deepEqual(await useRecoveryCode(f.db, user.id, first, { now: later(2) }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await useRecoveryCode(f.db, user.id, ` ${second.replaceAll('-', '').toUpperCase()} `, { now: later(3) }), { ok: true });
    assert.deepEqual(await useRecoveryCode(f.db, user.id, 'aaaa-bbbb-cccc-dddd', { now: later(4) }), { ok: false, reason: 'invalid' });
  });

  test("one user's recovery code does not work for another", async () => {
    const first = await enrolled();
    const second = await enrolled();
    assert.deepEqual(await useRecoveryCode(f.db, second.user.id, first.recoveryCodes[0] ?? '', { now: later(1) }), { ok: false, reason: 'invalid' });
  });

  test('disableTotp removes the secret and the recovery codes', async () => {
    const { user, secret, recoveryCodes } = await enrolled();
    assert.equal(await disableTotp(f.db, user.id), true);
    assert.equal(await isTotpEnabled(f.db, user.id), false);
    assert.deepEqual(await verifyTotp(f.db, f.keys, user.id, await codeAt(secret, later(60)), { now: later(60) }), { ok: false, reason: 'not_enabled' });
    assert.deepEqual(await useRecoveryCode(f.db, user.id, recoveryCodes[1] ?? '', { now: later(60) }), { ok: false, reason: 'not_enabled' });
    assert.equal(await disableTotp(f.db, user.id), false);
  });
});
