import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  authenticatePassword,
  consumeOneTimeToken,
  createSession,
  DEFAULT_ONE_TIME_TTL_SECONDS,
  DEFAULT_PASSWORD_POLICY,
  getUser,
  issueOneTimeToken,
  issueTokenPair,
  resetPassword,
  validateSession,
  verifyAccessToken,
  verifyEmail,
} from '../../../src/kernel/identity/index.ts';
import { A_PASSWORD, later, newUser, overlapping, startIdentityFixture, T0, type IdentityFixture } from '../../support/identity.ts';

let f: IdentityFixture;
before(async () => {
  f = await startIdentityFixture();
});
after(() => f.close());

describe('one-time tokens', () => {
  test('a token works once, for its purpose only', async () => {
    const user = await newUser(f.db, { password: null });
    const { token, expiresAt } = await issueOneTimeToken(f.db, { userId: user.id, purpose: 'password_reset' }, { now: T0 });
    assert.deepEqual(expiresAt, later(DEFAULT_ONE_TIME_TTL_SECONDS.password_reset));
    assert.equal(await consumeOneTimeToken(f.db, token, 'email_verification', { now: T0 }), null);
    assert.deepEqual(await consumeOneTimeToken(f.db, token, 'password_reset', { now: T0 }), { userId: user.id });
    assert.equal(await consumeOneTimeToken(f.db, token, 'password_reset', { now: T0 }), null);
    assert.equal(await consumeOneTimeToken(f.db, 'never-issued', 'password_reset', { now: T0 }), null);
  });

  test('an expired token is refused', async () => {
    const user = await newUser(f.db, { password: null });
    const { token } = await issueOneTimeToken(f.db, { userId: user.id, purpose: 'email_verification', ttlSeconds: 600 }, { now: T0 });
    assert.equal(await consumeOneTimeToken(f.db, token, 'email_verification', { now: later(600) }), null);
    assert.deepEqual(await consumeOneTimeToken(f.db, token, 'email_verification', { now: later(599) }), { userId: user.id });
  });

  test('a newer token of the same purpose replaces the older one', async () => {
    const user = await newUser(f.db, { password: null });
    const older = await issueOneTimeToken(f.db, { userId: user.id, purpose: 'password_reset' }, { now: T0 });
    const verification = await issueOneTimeToken(f.db, { userId: user.id, purpose: 'email_verification' }, { now: T0 });
    const newer = await issueOneTimeToken(f.db, { userId: user.id, purpose: 'password_reset' }, { now: later(1) });
    assert.equal(await consumeOneTimeToken(f.db, older.token, 'password_reset', { now: later(2) }), null);
    assert.deepEqual(await consumeOneTimeToken(f.db, newer.token, 'password_reset', { now: later(2) }), { userId: user.id });
    assert.deepEqual(await consumeOneTimeToken(f.db, verification.token, 'email_verification', { now: later(2) }), { userId: user.id });
  });

  test('two concurrent uses of one token: exactly one succeeds', async () => {
    const user = await newUser(f.db, { password: null });
    const { token } = await issueOneTimeToken(f.db, { userId: user.id, purpose: 'password_reset' }, { now: T0 });
    const results = await overlapping(f, 'SELECT 1 FROM identity_one_time_token WHERE user_id = $1 FOR UPDATE', [user.id], 2, () => [
      consumeOneTimeToken(f.db, token, 'password_reset', { now: later(1) }),
      consumeOneTimeToken(f.db, token, 'password_reset', { now: later(1) }),
    ]);
    assert.equal(results.filter((result) => result !== null).length, 1);
  });
});

describe('resetPassword and verifyEmail', () => {
  test('a reset sets the password, spends the link and signs the user out everywhere', async () => {
    const user = await newUser(f.db);
    const session = await createSession(f.db, { userId: user.id }, { now: T0 });
    const pair = await issueTokenPair(f.db, f.keys, { userId: user.id, tenantId: null }, { now: T0 });
    const { token } = await issueOneTimeToken(f.db, { userId: user.id, purpose: 'password_reset' }, { now: T0 });

    assert.deepEqual(await resetPassword(f.db, token, 'amber-glacier-orchid', DEFAULT_PASSWORD_POLICY, { now: later(60) }), { ok: true, userId: user.id });
    assert.equal(await validateSession(f.db, session.token, { now: later(61) }), null);
    assert.deepEqual(await verifyAccessToken(f.db, f.keys, pair.accessToken, { now: later(61) }), { ok: false, reason: 'revoked' });
    assert.equal((await getUser(f.db, user.id))?.tokenVersion, 1);
    assert.equal((await authenticatePassword(f.db, { email: user.email, password: 'amber-glacier-orchid', ip: null }, { now: later(62) })).ok, true);
    assert.deepEqual(await authenticatePassword(f.db, { email: user.email, password: A_PASSWORD, ip: null }, { now: later(63) }), { ok: false, reason: 'invalid' });
    assert.deepEqual(await resetPassword(f.db, token, 'another-fine-password', DEFAULT_PASSWORD_POLICY, { now: later(64) }), { ok: false, reason: 'invalid_token' });
  });

  test('a refused new password leaves the link usable for another try', async () => {
    const user = await newUser(f.db);
    const { token } = await issueOneTimeToken(f.db, { userId: user.id, purpose: 'password_reset' }, { now: T0 });
    assert.deepEqual(await resetPassword(f.db, token, 'password1234', DEFAULT_PASSWORD_POLICY, { now: later(1) }), {
      ok: false,
      reason: 'weak_password',
      problems: ['This password is too common: it appears in lists of leaked passwords.'],
    });
    assert.equal((await resetPassword(f.db, token, 'amber-glacier-orchid', DEFAULT_PASSWORD_POLICY, { now: later(2) })).ok, true);
  });

  test('a reset lifts an account lock; an expired link is refused', async () => {
    const user = await newUser(f.db);
    for (let index = 0; index < 5; index++) await authenticatePassword(f.db, { email: user.email, password: 'wrong-password', ip: null }, { now: T0 });
    const expired = await issueOneTimeToken(f.db, { userId: user.id, purpose: 'password_reset', ttlSeconds: 5 }, { now: T0 });
    assert.deepEqual(await resetPassword(f.db, expired.token, 'amber-glacier-orchid', DEFAULT_PASSWORD_POLICY, { now: later(5) }), { ok: false, reason: 'invalid_token' });

    const { token } = await issueOneTimeToken(f.db, { userId: user.id, purpose: 'password_reset' }, { now: later(6) });
    assert.equal((await resetPassword(f.db, token, 'amber-glacier-orchid', DEFAULT_PASSWORD_POLICY, { now: later(7) })).ok, true);
    assert.equal((await authenticatePassword(f.db, { email: user.email, password: 'amber-glacier-orchid', ip: null }, { now: later(8) })).ok, true);
  });

  test('verifyEmail marks the address verified once', async () => {
    const user = await newUser(f.db, { password: null });
    const { token } = await issueOneTimeToken(f.db, { userId: user.id, purpose: 'email_verification' }, { now: T0 });
    assert.equal(await verifyEmail(f.db, 'made-up', { now: later(1) }), null);
    assert.deepEqual(await verifyEmail(f.db, token, { now: later(1) }), { userId: user.id });
    assert.deepEqual((await getUser(f.db, user.id))?.emailVerifiedAt, later(1));
    assert.equal(await verifyEmail(f.db, token, { now: later(2) }), null);
  });
});
