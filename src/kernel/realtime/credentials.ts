import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { decodeJwt } from 'jose';
import type { Db } from '../db/index.ts';
import { bearerToken, type Authenticated } from '../http/index.ts';
import { identitySession } from '../identity/session.table.ts';
import { identityTokenFamily } from '../identity/token.table.ts';
import { appUser } from '../identity/user.table.ts';

/**
 * What an open socket was authenticated with, to check later that it still holds: a browser
 * session, or the token family (and token version) of a bearer access token — an API client's
 * or a terminal's. The guard verified the token at the handshake, so reading its claims again
 * here needs no signature check.
 */
export type SocketCredential =
  | { kind: 'session'; sessionId: string; userId: string }
  | { kind: 'token'; familyId: string; userId: string; tokenVersion: number; deviceId: string | null };

/** The credential behind an accepted handshake; undefined when there is none to re-check (a benchmark's fixed actor). */
export function credentialOf(request: FastifyRequest, auth: Authenticated): SocketCredential | undefined {
  if (auth.via === 'session') return auth.sessionId && auth.userId ? { kind: 'session', sessionId: auth.sessionId, userId: auth.userId } : undefined;
  const token = bearerToken(request);
  if (!token) return undefined;
  const { fam, sub, tv } = decodeJwt(token);
  if (typeof fam !== 'string' || typeof sub !== 'string' || typeof tv !== 'number') return undefined;
  return { kind: 'token', familyId: fam, userId: sub, tokenVersion: tv, deviceId: auth.actor.kind === 'device' ? auth.actor.deviceId : null };
}

/**
 * The credentials that still hold, read in two queries whatever their number: a session must be
 * unrevoked, within its absolute lifetime and its user active (its idle expiry is not applied: an
 * open socket is activity); a token's family must be unrevoked, its user active and still at the
 * token's token_version (sign-out everywhere moves it on). Terminals: revoking one revokes its families.
 */
export async function liveCredentials(db: Db, credentials: readonly SocketCredential[]): Promise<Set<SocketCredential>> {
  const sessionIds = [...new Set(credentials.flatMap((credential) => (credential.kind === 'session' ? [credential.sessionId] : [])))];
  const familyIds = [...new Set(credentials.flatMap((credential) => (credential.kind === 'token' ? [credential.familyId] : [])))];
  const [sessions, families] = await Promise.all([
    sessionIds.length === 0
      ? []
      : db
          .select({ id: identitySession.id })
          .from(identitySession)
          .innerJoin(appUser, eq(appUser.id, identitySession.userId))
          .where(and(inArray(identitySession.id, sessionIds), isNull(identitySession.revokedAt), gt(identitySession.absoluteExpiresAt, new Date()), eq(appUser.status, 'active'))),
    familyIds.length === 0
      ? []
      : db
          .select({ id: identityTokenFamily.id, tokenVersion: appUser.tokenVersion })
          .from(identityTokenFamily)
          .innerJoin(appUser, eq(appUser.id, identityTokenFamily.userId))
          .where(and(inArray(identityTokenFamily.id, familyIds), isNull(identityTokenFamily.revokedAt), eq(appUser.status, 'active'))),
  ]);
  const liveSessions = new Set(sessions.map((row) => row.id));
  const familyVersions = new Map(families.map((row) => [row.id, row.tokenVersion]));
  return new Set(
    credentials.filter((credential) =>
      credential.kind === 'session' ? liveSessions.has(credential.sessionId) : familyVersions.get(credential.familyId) === credential.tokenVersion,
    ),
  );
}
