import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Db, Tx } from '../db/index.ts';
import { randomToken, sha256, type IdentityKeys } from './crypto.ts';
import { identityErrors } from './errors.ts';
import { isUuid } from './ids.ts';
import { announceCredentialChange } from './sign-out.ts';
import { identityRefreshToken, identityTokenFamily } from './token.table.ts';
import { addSeconds, nowOf, type At } from './time.ts';
import { appUser } from './user.table.ts';
import { tenantStateColumns, tenantStateOf, type TenantAccessState } from './tenant-state.ts';
import { tenantTable } from '../tenancy/tenant.table.ts';

export interface TokenPolicy {
  /** Lifetime of an access token. Default 15 minutes. */
  accessTtlSeconds: number;
  /** Lifetime of each refresh token; every refresh issues a new one. Default 30 days. */
  refreshTtlSeconds: number;
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = { accessTtlSeconds: 15 * 60, refreshTtlSeconds: 30 * 24 * 60 * 60 };

export interface TokenOptions extends At {
  policy?: TokenPolicy;
}

/**
 * Whether a family's user may still work in its tenant: null when they may, else why not (e.g.
 * `member_suspended`). Runs in the refresh's transaction; access supplies it (identity knows no
 * memberships).
 */
export type RefreshAdmission = (tx: Tx, family: { userId: string; tenantId: string }) => Promise<string | null>;

export interface RefreshOptions extends TokenOptions {
  admit?: RefreshAdmission;
}

export interface TokenPair {
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
  familyId: string;
}

/** What a verified access token says. */
export interface AccessClaims {
  userId: string;
  tenantId: string | null;
  /** The terminal the user signed in at with a PIN; null for API clients. */
  deviceId: string | null;
  /** The token's tenant as the database has it now (null without a tenant): lets the guard trust its cached permissions. */
  tenantState: TenantAccessState | null;
  tokenVersion: number;
  familyId: string;
  tokenId: string;
  expiresAt: Date;
}

export type AccessTokenOutcome = { ok: true; claims: AccessClaims } | { ok: false; reason: 'invalid' | 'expired' | 'revoked' };

/**
 * `reuse` means an already used refresh token came back: someone holds a copy. The whole family
 * is revoked by then; the caller records a token_reuse security event for `userId`.
 * `refused` means the user may no longer have tokens (`refusal`: `user_disabled`, or what the
 * admission said); the family is revoked by then too, with the refusal as its reason.
 */
export type RefreshOutcome =
  | { ok: true; tokens: TokenPair }
  | { ok: false; reason: 'invalid' | 'expired' | 'revoked' }
  | { ok: false; reason: 'reuse'; reuse: true; userId: string; familyId: string }
  | { ok: false; reason: 'refused'; refusal: string; userId: string; tenantId: string | null; familyId: string };

// Issuer, audience and the RFC 9068 type pin these tokens to this one use: no other JWT signed
// with a key from the same root secret passes verification as an access token.
const ISSUER = 'plinth';
const AUDIENCE = 'plinth:api';
const TYPE = 'at+jwt';

interface Subject {
  userId: string;
  tenantId: string | null;
  tokenVersion: number;
  familyId: string;
}

// jose imports raw key bytes into WebCrypto on every sign and verify; importing once per key
// takes that off every authenticated request.
const importedKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();
function jwtKey(raw: Uint8Array): Promise<CryptoKey> {
  let key = importedKeys.get(raw);
  if (!key) {
    key = crypto.subtle.importKey('raw', new Uint8Array(raw), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    importedKeys.set(raw, key);
  }
  return key;
}

/**
 * Payloads of access tokens whose signature and claims verified, per key, by the token's exact
 * text. A client sends the same token with every request for its lifetime, and an HMAC check
 * through WebCrypto costs more than the rest of the guard's own work. A hit is the very string
 * that verified under this key; expiry is still checked on every use, and revocation is still
 * read from the database on every request.
 */
const verifiedTokens = new WeakMap<Uint8Array, LRUCache<string, Record<string, unknown>>>();
const VERIFIED_TOKENS_MAX = 10_000;

async function verifiedPayload(key: Uint8Array, token: string, now: Date): Promise<Record<string, unknown> | 'expired' | 'invalid'> {
  let cache = verifiedTokens.get(key);
  if (!cache) {
    cache = new LRUCache({ max: VERIFIED_TOKENS_MAX });
    verifiedTokens.set(key, cache);
  }
  const cached = cache.get(token);
  // As jose checks it: expired once `exp` is not after the current whole second.
  if (cached) return (cached.exp as number) <= Math.floor(now.getTime() / 1000) ? 'expired' : cached;
  try {
    const { payload } = await jwtVerify(token, await jwtKey(key), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: TYPE,
      currentDate: now,
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
    });
    cache.set(token, payload);
    return payload;
  } catch (error) {
    return error instanceof errors.JWTExpired ? 'expired' : 'invalid';
  }
}

async function signAccessToken(keys: Pick<IdentityKeys, 'jwt'>, subject: Subject, policy: TokenPolicy, now: Date) {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + policy.accessTtlSeconds;
  const token = await new SignJWT({ tid: subject.tenantId, tv: subject.tokenVersion, fam: subject.familyId })
    .setProtectedHeader({ alg: 'HS256', typ: TYPE })
    .setSubject(subject.userId)
    .setJti(randomUUID())
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(await jwtKey(keys.jwt));
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

async function mintRefreshToken(tx: Tx, familyId: string, parentId: string | null, policy: TokenPolicy, now: Date) {
  const token = randomToken();
  const expiresAt = addSeconds(now, policy.refreshTtlSeconds);
  await tx.insert(identityRefreshToken).values({ familyId, parentId, tokenHash: sha256(token), createdAt: now, expiresAt });
  return { token, expiresAt };
}

async function pairFor(tx: Tx, keys: Pick<IdentityKeys, 'jwt'>, subject: Subject, parentId: string | null, policy: TokenPolicy, now: Date): Promise<TokenPair> {
  const refresh = await mintRefreshToken(tx, subject.familyId, parentId, policy, now);
  const access = await signAccessToken(keys, subject, policy, now);
  return { accessToken: access.token, accessExpiresAt: access.expiresAt, refreshToken: refresh.token, refreshExpiresAt: refresh.expiresAt, familyId: subject.familyId };
}

/**
 * Starts a token family for an API client or device after it signed in: an access token for
 * `tenantId` (null: no tenant yet) and the family's first refresh token.
 */
export function issueTokenPair(
  db: Db | Tx,
  keys: Pick<IdentityKeys, 'jwt'>,
  input: { userId: string; tenantId: string | null; deviceId?: string | null },
  options: TokenOptions = {},
): Promise<TokenPair> {
  const now = nowOf(options);
  const policy = options.policy ?? DEFAULT_TOKEN_POLICY;
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ status: appUser.status, tokenVersion: appUser.tokenVersion }).from(appUser).where(eq(appUser.id, input.userId));
    if (!user) throw identityErrors.userNotFound();
    if (user.status !== 'active') throw identityErrors.userNotActive();
    const [family] = await tx
      .insert(identityTokenFamily)
      .values({ userId: input.userId, activeTenantId: input.tenantId, deviceId: input.deviceId ?? null, createdAt: now })
      .returning({ id: identityTokenFamily.id });
    if (!family) throw new Error('insert into identity_token_family returned no row');
    return pairFor(tx, keys, { userId: input.userId, tenantId: input.tenantId, tokenVersion: user.tokenVersion, familyId: family.id }, null, policy, now);
  });
}

function claimsOf(payload: Record<string, unknown>): (Omit<AccessClaims, 'expiresAt' | 'deviceId' | 'tenantState'> & { exp: number }) | undefined {
  const { sub, tid, tv, fam, jti, exp } = payload;
  if (typeof sub !== 'string' || !isUuid(sub) || typeof fam !== 'string' || !isUuid(fam)) return undefined;
  if (!(tid === null || (typeof tid === 'string' && isUuid(tid)))) return undefined;
  if (typeof tv !== 'number' || !Number.isInteger(tv) || typeof jti !== 'string' || typeof exp !== 'number') return undefined;
  return { userId: sub, tenantId: tid, tokenVersion: tv, familyId: fam, tokenId: jti, exp };
}

/** The state an access token is checked against (and its tenant's, for the guard). */
const familyCheckQuery = (db: Db | Tx) =>
  db
    .select({
      status: appUser.status,
      tokenVersion: appUser.tokenVersion,
      familyRevokedAt: identityTokenFamily.revokedAt,
      deviceId: identityTokenFamily.deviceId,
      ...tenantStateColumns,
    })
    .from(identityTokenFamily)
    .innerJoin(appUser, eq(appUser.id, identityTokenFamily.userId))
    .leftJoin(tenantTable, eq(tenantTable.id, identityTokenFamily.activeTenantId))
    .where(and(eq(identityTokenFamily.id, sql.placeholder('familyId')), eq(identityTokenFamily.userId, sql.placeholder('userId'))))
    .limit(1);

// It runs on every bearer request: built once per database handle and prepared by name, so
// PostgreSQL plans it once per connection.
const preparedChecks = new WeakMap<Db | Tx, ReturnType<ReturnType<typeof familyCheckQuery>['prepare']>>();
function familyCheck(db: Db | Tx) {
  let prepared = preparedChecks.get(db);
  if (!prepared) {
    prepared = familyCheckQuery(db).prepare('identity_verify_access_token');
    preparedChecks.set(db, prepared);
  }
  return prepared;
}

/**
 * Checks an access token's signature, type, issuer, audience and expiry, then, against the
 * database, that its user is active with the same token_version and its family is not revoked:
 * disabling a user or revoking a family stops live tokens on their next request.
 */
export async function verifyAccessToken(db: Db | Tx, keys: Pick<IdentityKeys, 'jwt'>, token: string, options: At = {}): Promise<AccessTokenOutcome> {
  const payload = await verifiedPayload(keys.jwt, token, nowOf(options));
  if (typeof payload === 'string') return { ok: false, reason: payload };
  const claims = claimsOf(payload);
  if (!claims) return { ok: false, reason: 'invalid' };

  const [current] = await familyCheck(db).execute({ familyId: claims.familyId, userId: claims.userId });
  if (!current || current.status !== 'active' || current.tokenVersion !== claims.tokenVersion || current.familyRevokedAt)
    return { ok: false, reason: 'revoked' };
  const { exp, ...rest } = claims;
  // The terminal comes from the family row, not the token: it cannot be claimed, only issued.
  const tenantState = tenantStateOf(current);
  return { ok: true, claims: { ...rest, deviceId: current.deviceId, tenantState, expiresAt: new Date(exp * 1000) } };
}

/**
 * Trades a refresh token for a new pair. Each refresh token works once: the row lock makes a
 * concurrent second use wait and then see it used, so one token never has two children. A used
 * token presented again revokes its whole family (later children included) and reports `reuse`.
 * A disabled user, or one `admit` turns away from the family's tenant, is `refused` and the
 * family ends: a new pair would only be refused request by request.
 */
export function refreshTokens(db: Db | Tx, keys: Pick<IdentityKeys, 'jwt'>, refreshToken: string, options: RefreshOptions = {}): Promise<RefreshOutcome> {
  const now = nowOf(options);
  const policy = options.policy ?? DEFAULT_TOKEN_POLICY;
  return db.transaction(async (tx): Promise<RefreshOutcome> => {
    const [presented] = await tx
      .select()
      .from(identityRefreshToken)
      .where(eq(identityRefreshToken.tokenHash, sha256(refreshToken)))
      .for('update')
      .limit(1);
    if (!presented) return { ok: false, reason: 'invalid' };
    const [family] = await tx.select().from(identityTokenFamily).where(eq(identityTokenFamily.id, presented.familyId)).limit(1);
    if (!family) return { ok: false, reason: 'invalid' };

    if (presented.usedAt) {
      await revokeFamily(tx, family.id, { reason: 'reuse', now });
      return { ok: false, reason: 'reuse', reuse: true, userId: family.userId, familyId: family.id };
    }
    if (family.revokedAt) return { ok: false, reason: 'revoked' };
    if (presented.expiresAt <= now) return { ok: false, reason: 'expired' };

    const [user] = await tx.select({ status: appUser.status, tokenVersion: appUser.tokenVersion }).from(appUser).where(eq(appUser.id, family.userId));
    const tenantId = family.activeTenantId;
    const refuse = async (refusal: string): Promise<RefreshOutcome> => {
      await revokeFamily(tx, family.id, { reason: refusal, now });
      return { ok: false, reason: 'refused', refusal, userId: family.userId, tenantId, familyId: family.id };
    };
    if (!user || user.status !== 'active') return refuse('user_disabled');
    const refusal = tenantId && options.admit ? await options.admit(tx, { userId: family.userId, tenantId }) : null;
    if (refusal) return refuse(refusal);

    await tx.update(identityRefreshToken).set({ usedAt: now }).where(eq(identityRefreshToken.id, presented.id));
    const subject = { userId: family.userId, tenantId: family.activeTenantId, tokenVersion: user.tokenVersion, familyId: family.id };
    return { ok: true, tokens: await pairFor(tx, keys, subject, presented.id, policy, now) };
  });
}

/**
 * Ends a token family (sign-out of a device or API client, or reuse): its refresh tokens stop
 * working and its access tokens fail verification. False when it was already revoked.
 */
export async function revokeFamily(db: Db | Tx, familyId: string, options: At & { reason?: string } = {}): Promise<boolean> {
  const revoked = await db
    .update(identityTokenFamily)
    .set({ revokedAt: nowOf(options), revokedReason: options.reason ?? 'signed_out' })
    .where(and(eq(identityTokenFamily.id, familyId), isNull(identityTokenFamily.revokedAt)))
    .returning({ id: identityTokenFamily.id, userId: identityTokenFamily.userId });
  if (revoked[0]) await announceCredentialChange(db, { userIds: [revoked[0].userId] });
  return revoked.length > 0;
}
