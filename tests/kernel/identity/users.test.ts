import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../../src/kernel/errors.ts';
import {
  bumpTokenVersion,
  createSession,
  createUser,
  findUserByEmail,
  getUser,
  issueTokenPair,
  listSessions,
  refreshTokens,
  setUserStatus,
  validateSession,
  verifyAccessToken,
} from '../../../src/kernel/identity/index.ts';
import { newUser, startIdentityFixture, type IdentityFixture } from '../../support/identity.ts';

let f: IdentityFixture;
before(async () => {
  f = await startIdentityFixture();
});
after(() => f.close());

const rejectsWith = (code: string, reason: string) => (error: unknown) =>
  error instanceof AppError && error.code === code && error.details?.reason === reason;

describe('users', () => {
  test('createUser normalises the address; find and get return the same user', async () => {
    const user = await createUser(f.db, { email: '  Ada.Byron@Example.TEST ', displayName: ' Ada Byron ' });
    assert.equal(user.email, 'ada.byron@example.test');
    assert.equal(user.displayName, 'Ada Byron');
    assert.equal(user.status, 'active');
    assert.equal(user.tokenVersion, 0);
    assert.equal(user.emailVerifiedAt, null);
    assert.deepEqual(await findUserByEmail(f.db, 'ADA.BYRON@example.test'), user);
    assert.deepEqual(await getUser(f.db, user.id), user);
    assert.equal(await findUserByEmail(f.db, 'nobody@example.test'), undefined);
  });

  test('a second account with the same address in another case is a CONFLICT', async () => {
    await createUser(f.db, { email: 'grace@example.test', displayName: 'Grace' });
    await assert.rejects(createUser(f.db, { email: 'GRACE@example.test', displayName: 'Grace again' }), rejectsWith('CONFLICT', 'IDENTITY_EMAIL_TAKEN'));
  });

  test('a malformed address is a VALIDATION error', async () => {
    await assert.rejects(createUser(f.db, { email: 'not an address', displayName: 'X' }), rejectsWith('VALIDATION', 'IDENTITY_EMAIL_INVALID'));
  });

  test('bumpTokenVersion adds one and returns the new version', async () => {
    const user = await newUser(f.db, { password: null });
    assert.equal(await bumpTokenVersion(f.db, user.id), 1);
    assert.equal(await bumpTokenVersion(f.db, user.id), 2);
    assert.equal((await getUser(f.db, user.id))?.tokenVersion, 2);
  });

  test('disabling a user revokes sessions and token families and bumps token_version, all at once', async () => {
    const user = await newUser(f.db, { password: null });
    const { token } = await createSession(f.db, { userId: user.id });
    const pair = await issueTokenPair(f.db, f.keys, { userId: user.id, tenantId: f.tenantA.id });
    assert.equal((await verifyAccessToken(f.db, f.keys, pair.accessToken)).ok, true);

    const disabled = await setUserStatus(f.db, user.id, 'disabled');
    assert.equal(disabled.status, 'disabled');
    assert.equal(disabled.tokenVersion, 1);
    assert.equal(await validateSession(f.db, token), null);
    assert.deepEqual(await listSessions(f.db, user.id), []);
    assert.deepEqual(await verifyAccessToken(f.db, f.keys, pair.accessToken), { ok: false, reason: 'revoked' });
    assert.deepEqual(await refreshTokens(f.db, f.keys, pair.refreshToken), { ok: false, reason: 'revoked' });

    // Enabling again does not bring the old credentials back.
    const enabled = await setUserStatus(f.db, user.id, 'active');
    assert.equal(enabled.status, 'active');
    assert.equal(await validateSession(f.db, token), null);
    assert.deepEqual(await verifyAccessToken(f.db, f.keys, pair.accessToken), { ok: false, reason: 'revoked' });
  });

  test('setUserStatus of an unknown user is NOT_FOUND', async () => {
    await assert.rejects(setUserStatus(f.db, '00000000-0000-4000-8000-000000000000', 'disabled'), rejectsWith('NOT_FOUND', 'IDENTITY_USER_NOT_FOUND'));
  });
});
