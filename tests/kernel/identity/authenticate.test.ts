import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import {
  authenticatePassword,
  DEFAULT_ACCOUNT_LOCKOUT,
  DEFAULT_IP_LOCKOUT,
  lockSeconds,
  setUserStatus,
  type LockoutPolicy,
} from '../../../src/kernel/identity/index.ts';
import { A_PASSWORD, later, newUser, overlapping, startIdentityFixture, T0, type IdentityFixture } from '../../support/identity.ts';

let f: IdentityFixture;
before(async () => {
  f = await startIdentityFixture();
});
after(() => f.close());

const policy: LockoutPolicy = DEFAULT_ACCOUNT_LOCKOUT;

describe('lockSeconds (back-off)', () => {
  test('nothing below the threshold, then 30 s doubling per failure, capped at an hour', () => {
    assert.deepEqual(
      [1, 4, 5, 6, 7, 8, 12, 13, 50].map((failures) => lockSeconds(failures, policy)),
      [0, 0, 30, 60, 120, 240, 3600, 3600, 3600],
    );
  });

  test('the IP policy is looser than the account policy', () => {
    assert.ok(DEFAULT_IP_LOCKOUT.threshold > DEFAULT_ACCOUNT_LOCKOUT.threshold);
  });
});

describe('authenticatePassword', () => {
  test('the right password signs in and returns the user', async () => {
    const user = await newUser(f.db);
    const outcome = await authenticatePassword(f.db, { email: user.email.toUpperCase(), password: A_PASSWORD, ip: '192.0.2.1' }, { now: T0 });
    assert.equal(outcome.ok, true);
    assert.equal(outcome.ok && outcome.user.id, user.id);
  });

  test('an unknown address and a wrong password give the same answer', async () => {
    const user = await newUser(f.db);
    const wrong = await authenticatePassword(f.db, { email: user.email, password: 'not-the-password', ip: null }, { now: T0 });
    const unknown = await authenticatePassword(f.db, { email: 'no-such-person@example.test', password: 'not-the-password', ip: null }, { now: T0 });
    const noPassword = await authenticatePassword(f.db, { email: (await newUser(f.db, { password: null })).email, password: 'x', ip: null }, { now: T0 });
    assert.deepEqual(wrong, { ok: false, reason: 'invalid' });
    assert.deepEqual(unknown, wrong);
    assert.deepEqual(noPassword, wrong);
  });

  test('an unknown address locks exactly like a real account, so locks reveal nothing either', async () => {
    const user = await newUser(f.db);
    const attempt = (email: string) => authenticatePassword(f.db, { email, password: 'not-the-password', ip: null }, { now: T0 });
    const real = [];
    const unknown = [];
    for (let index = 0; index < 6; index++) {
      real.push(await attempt(user.email));
      unknown.push(await attempt('ghost@example.test'));
    }
    assert.deepEqual(unknown, real);
    assert.deepEqual(real.at(-1), { ok: false, reason: 'locked', retryAfterSeconds: 30 });
  });

  test('locks after 5 failures, refuses even the right password while locked, and the lock ends by the clock', async () => {
    const user = await newUser(f.db);
    const attempt = (password: string, now: Date) => authenticatePassword(f.db, { email: user.email, password, ip: null }, { now });
    for (let index = 0; index < 4; index++) assert.deepEqual(await attempt('wrong-password', T0), { ok: false, reason: 'invalid' });
    assert.deepEqual(await attempt('wrong-password', T0), { ok: false, reason: 'invalid', retryAfterSeconds: 30 }, 'the fifth failure starts the lock');
    assert.deepEqual(await attempt(A_PASSWORD, later(10)), { ok: false, reason: 'locked', retryAfterSeconds: 20 });
    assert.deepEqual(await attempt(A_PASSWORD, later(29)), { ok: false, reason: 'locked', retryAfterSeconds: 1 });
    assert.equal((await attempt(A_PASSWORD, later(30))).ok, true, 'the lock has ended');
  });

  test('each failure after the lock doubles it; success clears the account key', async () => {
    const user = await newUser(f.db);
    const attempt = (password: string, now: Date) => authenticatePassword(f.db, { email: user.email, password, ip: null }, { now });
    for (let index = 0; index < 5; index++) await attempt('wrong-password', T0);
    assert.deepEqual(await attempt('wrong-password', later(30)), { ok: false, reason: 'invalid', retryAfterSeconds: 60 });
    assert.deepEqual(await attempt('wrong-password', later(90)), { ok: false, reason: 'invalid', retryAfterSeconds: 120 });
    assert.deepEqual(await attempt(A_PASSWORD, later(100)), { ok: false, reason: 'locked', retryAfterSeconds: 110 });
    assert.equal((await attempt(A_PASSWORD, later(210))).ok, true);

    const keys = await f.owner.db.execute(sql`SELECT 1 FROM identity_lockout WHERE key = ${`user:${user.id}`}`);
    assert.equal(keys.rows.length, 0, 'success removed the account key');
    assert.deepEqual(await attempt('wrong-password', later(211)), { ok: false, reason: 'invalid' }, 'counting starts again');
  });

  test('failures older than forgetAfterSeconds are forgiven', async () => {
    const user = await newUser(f.db);
    const attempt = (now: Date) => authenticatePassword(f.db, { email: user.email, password: 'wrong-password', ip: null }, { now });
    for (let index = 0; index < 4; index++) await attempt(T0);
    assert.deepEqual(await attempt(later(policy.forgetAfterSeconds + 1)), { ok: false, reason: 'invalid' }, 'a fresh first failure, not a fifth');
  });

  test('failures from one IP across many accounts lock that IP, not other IPs', async () => {
    const ipLockout: LockoutPolicy = { ...DEFAULT_IP_LOCKOUT, threshold: 3 };
    const victim = await newUser(f.db);
    for (let index = 0; index < 3; index++) {
      const other = await newUser(f.db);
      await authenticatePassword(f.db, { email: other.email, password: 'wrong-password', ip: '198.51.100.7' }, { now: T0, ipLockout });
    }
    const fromAttacker = await authenticatePassword(f.db, { email: victim.email, password: A_PASSWORD, ip: '198.51.100.7' }, { now: later(1), ipLockout });
    assert.deepEqual(fromAttacker, { ok: false, reason: 'locked', retryAfterSeconds: 29 });
    const fromElsewhere = await authenticatePassword(f.db, { email: victim.email, password: A_PASSWORD, ip: '203.0.113.9' }, { now: later(1), ipLockout });
    assert.equal(fromElsewhere.ok, true);
  });

  test('a disabled account says so only after the right password', async () => {
    const user = await newUser(f.db);
    await setUserStatus(f.db, user.id, 'disabled');
    assert.deepEqual(await authenticatePassword(f.db, { email: user.email, password: 'wrong-password', ip: null }, { now: T0 }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await authenticatePassword(f.db, { email: user.email, password: A_PASSWORD, ip: null }, { now: T0 }), { ok: false, reason: 'disabled' });
  });

  test('parallel guesses cannot all slip in before the lock is counted', async () => {
    const user = await newUser(f.db);
    const guess = () => authenticatePassword(f.db, { email: user.email, password: 'wrong-password', ip: null }, { now: T0 });
    for (let index = 0; index < 4; index++) await guess();
    // Four guesses at once with one failure left before the lock: only the first may be checked.
    const outcomes = await overlapping(f, 'SELECT 1 FROM identity_lockout WHERE key = $1 FOR UPDATE', [`user:${user.id}`], 4, () =>
      Array.from({ length: 4 }, guess),
    );
    assert.deepEqual(outcomes.map((outcome) => !outcome.ok && outcome.reason).sort(), ['invalid', 'locked', 'locked', 'locked']);
  });
});
