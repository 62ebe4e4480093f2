import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import {
  bumpTokenVersion,
  DEFAULT_TOKEN_POLICY,
  deriveIdentityKeys,
  issueTokenPair,
  refreshTokens,
  revokeFamily,
  setUserStatus,
  verifyAccessToken,
  type TokenPair,
} from '../../../src/kernel/identity/index.ts';
import { AppError } from '../../../src/kernel/errors.ts';
import { later, newUser, overlapping, startIdentityFixture, T0, type IdentityFixture } from '../../support/identity.ts';

let f: IdentityFixture;
before(async () => {
  f = await startIdentityFixture();
});
after(() => f.close());

const ACCESS_TTL = DEFAULT_TOKEN_POLICY.accessTtlSeconds;

async function pairFor(tenantId: string | null = null): Promise<{ userId: string; pair: TokenPair }> {
  const user = await newUser(f.db, { password: null });
  return { userId: user.id, pair: await issueTokenPair(f.db, f.keys, { userId: user.id, tenantId }, { now: T0 }) };
}

function refreshed(outcome: Awaited<ReturnType<typeof refreshTokens>>): TokenPair {
  if (!outcome.ok) throw new Error(`refresh failed: ${outcome.reason}`);
  return outcome.tokens;
}

describe('access tokens', () => {
  test('an HS256 at+jwt of 15 minutes with sub, tid, tv, fam and jti that verifies', async () => {
    const { userId, pair } = await pairFor(f.tenantA.id);
    assert.deepEqual(decodeProtectedHeader(pair.accessToken), { alg: 'HS256', typ: 'at+jwt' });
    const claims = decodeJwt(pair.accessToken);
    assert.equal(claims.sub, userId);
    assert.equal(claims.tid, f.tenantA.id);
    assert.equal(claims.tv, 0);
    assert.equal(claims.fam, pair.familyId);
    assert.equal(typeof claims.jti, 'string');
    assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 900);
    assert.deepEqual(pair.accessExpiresAt, later(ACCESS_TTL));

    const outcome = await verifyAccessToken(f.db, f.keys, pair.accessToken, { now: later(60) });
    assert.deepEqual(outcome, {
      ok: true,
      claims: { userId, tenantId: f.tenantA.id, deviceId: null, tenantState: { status: 'active', accessVersion: 0 }, tokenVersion: 0, familyId: pair.familyId, tokenId: claims.jti, expiresAt: later(ACCESS_TTL) },
    });
  });

  test('a token without a tenant carries tid null', async () => {
    const { pair } = await pairFor(null);
    const outcome = await verifyAccessToken(f.db, f.keys, pair.accessToken, { now: T0 });
    assert.equal(outcome.ok && outcome.claims.tenantId, null);
  });

  test('expired after 15 minutes', async () => {
    const { pair } = await pairFor();
    assert.equal((await verifyAccessToken(f.db, f.keys, pair.accessToken, { now: later(ACCESS_TTL - 1) })).ok, true);
    assert.deepEqual(await verifyAccessToken(f.db, f.keys, pair.accessToken, { now: later(ACCESS_TTL) }), { ok: false, reason: 'expired' });
  });

  test('a tampered payload, a tampered signature, another key or another type is invalid', async () => {
    const { pair } = await pairFor();
    const [header, payload, signature] = pair.accessToken.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ ...decodeJwt(pair.accessToken), tv: 7 })).toString('base64url');
    const middle = Math.floor(signature.length / 2);
    const flipped = signature.slice(0, middle) + (signature[middle] === 'A' ? 'B' : 'A') + signature.slice(middle + 1);
    const otherKey = deriveIdentityKeys(randomBytes(48));
    const fromOtherKey = await issueTokenPair(f.db, otherKey, { userId: decodeJwt(pair.accessToken).sub ?? '', tenantId: null }, { now: T0 });
    const idToken = await new SignJWT(decodeJwt(pair.accessToken)).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(f.keys.jwt);

    for (const token of [`${header}.${forgedPayload}.${signature}`, `${header}.${payload}.${flipped}`, fromOtherKey.accessToken, idToken, 'garbage'])
      assert.deepEqual(await verifyAccessToken(f.db, f.keys, token, { now: T0 }), { ok: false, reason: 'invalid' }, token);
    // A token verified (and remembered) under its own key is still refused under another one.
    assert.equal((await verifyAccessToken(f.db, otherKey, fromOtherKey.accessToken, { now: T0 })).ok, true);
    assert.deepEqual(await verifyAccessToken(f.db, f.keys, fromOtherKey.accessToken, { now: T0 }), { ok: false, reason: 'invalid' });
  });

  test('bumping token_version kills a live access token at once', async () => {
    const { userId, pair } = await pairFor();
    assert.equal((await verifyAccessToken(f.db, f.keys, pair.accessToken, { now: T0 })).ok, true);
    await bumpTokenVersion(f.db, userId);
    assert.deepEqual(await verifyAccessToken(f.db, f.keys, pair.accessToken, { now: T0 }), { ok: false, reason: 'revoked' });
    const next = refreshed(await refreshTokens(f.db, f.keys, pair.refreshToken, { now: later(1) }));
    assert.equal(decodeJwt(next.accessToken).tv, 1, 'a refresh picks up the new version');
    assert.equal((await verifyAccessToken(f.db, f.keys, next.accessToken, { now: later(1) })).ok, true);
  });

  test('a disabled user cannot get tokens', async () => {
    const user = await newUser(f.db, { password: null });
    await setUserStatus(f.db, user.id, 'disabled');
    await assert.rejects(issueTokenPair(f.db, f.keys, { userId: user.id, tenantId: null }), (error) => error instanceof AppError && error.code === 'AUTHN');
  });
});

describe('refresh tokens', () => {
  test('a refresh gives a new pair in the same family; the old refresh token is spent', async () => {
    const { pair } = await pairFor(f.tenantB.id);
    const next = refreshed(await refreshTokens(f.db, f.keys, pair.refreshToken, { now: later(600) }));
    assert.equal(next.familyId, pair.familyId);
    assert.notEqual(next.refreshToken, pair.refreshToken);
    assert.equal(decodeJwt(next.accessToken).tid, f.tenantB.id);
    assert.deepEqual(next.accessExpiresAt, later(600 + ACCESS_TTL));
    assert.equal((await verifyAccessToken(f.db, f.keys, next.accessToken, { now: later(601) })).ok, true);
  });

  test('an unknown or expired refresh token is refused', async () => {
    const { pair } = await pairFor();
    assert.deepEqual(await refreshTokens(f.db, f.keys, 'no-such-token'), { ok: false, reason: 'invalid' });
    assert.deepEqual(await refreshTokens(f.db, f.keys, pair.refreshToken, { now: later(DEFAULT_TOKEN_POLICY.refreshTtlSeconds) }), {
      ok: false,
      reason: 'expired',
    });
  });

  test('reuse of a spent refresh token revokes the whole family, later children included', async () => {
    const { userId, pair } = await pairFor();
    const child = refreshed(await refreshTokens(f.db, f.keys, pair.refreshToken, { now: later(1) }));
    const grandchild = refreshed(await refreshTokens(f.db, f.keys, child.refreshToken, { now: later(2) }));

    const reuse = await refreshTokens(f.db, f.keys, pair.refreshToken, { now: later(3) });
    assert.deepEqual(reuse, { ok: false, reason: 'reuse', reuse: true, userId, familyId: pair.familyId });
    assert.deepEqual(await refreshTokens(f.db, f.keys, grandchild.refreshToken, { now: later(4) }), { ok: false, reason: 'revoked' });
    assert.deepEqual(await verifyAccessToken(f.db, f.keys, grandchild.accessToken, { now: later(4) }), { ok: false, reason: 'revoked' });
  });

  test('two concurrent refreshes of one token: exactly one succeeds, the other is reuse', async () => {
    const { pair } = await pairFor();
    const outcomes = await overlapping(f, 'SELECT 1 FROM identity_refresh_token WHERE family_id = $1 FOR UPDATE', [pair.familyId], 2, () => [
      refreshTokens(f.db, f.keys, pair.refreshToken, { now: later(1) }),
      refreshTokens(f.db, f.keys, pair.refreshToken, { now: later(1) }),
    ]);
    assert.equal(outcomes.filter((outcome) => outcome.ok).length, 1);
    assert.deepEqual(outcomes.filter((outcome) => !outcome.ok).map((outcome) => !outcome.ok && outcome.reason), ['reuse']);
    const children = await f.owner.pool.query('SELECT count(*)::int AS n FROM identity_refresh_token WHERE family_id = $1', [pair.familyId]);
    assert.equal(children.rows[0]?.n, 2, 'the first token and one child');
  });

  test('revokeFamily (sign-out) stops its refresh and access tokens, once', async () => {
    const { pair } = await pairFor();
    assert.equal(await revokeFamily(f.db, pair.familyId), true);
    assert.equal(await revokeFamily(f.db, pair.familyId), false);
    assert.deepEqual(await refreshTokens(f.db, f.keys, pair.refreshToken, { now: later(1) }), { ok: false, reason: 'revoked' });
    assert.deepEqual(await verifyAccessToken(f.db, f.keys, pair.accessToken, { now: later(1) }), { ok: false, reason: 'revoked' });
  });
});
