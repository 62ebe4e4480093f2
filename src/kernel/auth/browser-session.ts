import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Tx } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { SESSION_COOKIE } from '../http/index.ts';
import { rotateSession, type IssuedSession, type SessionPolicy } from '../identity/index.ts';

export const browserSessionErrors = {
  sessionRequired: () =>
    new AppError('AUTHZ', 'This can only be done from a signed-in browser; API tokens keep the business and security they were issued with.', {
      reason: 'AUTH_SESSION_REQUIRED',
    }),
  sessionEnded: () => new AppError('AUTHN', 'Your session has ended; sign in again.', { reason: 'AUTH_SESSION_ENDED' }),
  personRequired: () => new AppError('AUTHZ', 'Only a signed-in person can do this.', { reason: 'AUTH_PERSON_REQUIRED' }),
};

/** The person a request acts for about themselves: a signed-in browser or a user's API token, not a device terminal. */
export function selfUserId(request: FastifyRequest): string {
  const actor = request.auth?.actor;
  if (actor?.kind !== 'user' && actor?.kind !== 'api') throw browserSessionErrors.personRequired();
  return actor.userId;
}

/** The browser session a request rides on: its id, its user and the cookie's token (needed to rotate it). */
export interface BrowserSession {
  sessionId: string;
  userId: string;
  token: string;
}

/** The request's browser session; bearer-token requests are refused (their privileges are fixed at issue). */
export function browserSession(request: FastifyRequest): BrowserSession {
  const auth = request.auth;
  const token = request.cookies[SESSION_COOKIE];
  if (auth?.via !== 'session' || !auth.sessionId || !auth.userId || !token) throw browserSessionErrors.sessionRequired();
  return { sessionId: auth.sessionId, userId: auth.userId, token };
}

/** Rotates the session inside the caller's transaction; the change rolls back when the session is no longer live. */
export async function rotateOrFail(db: Db | Tx, session: BrowserSession, policy: SessionPolicy): Promise<IssuedSession> {
  const issued = await rotateSession(db, session.token, { policy });
  if (!issued) throw browserSessionErrors.sessionEnded();
  return issued;
}

/**
 * After a privilege change committed: the browser gets the new session's cookie, and the rest of
 * this request runs as the new session, so forms rendered now carry a CSRF token that fits it.
 */
export function adoptSession(request: FastifyRequest, reply: FastifyReply, issued: IssuedSession, policy: SessionPolicy): void {
  setSessionCookie(request, reply, issued.token, policy);
  const { session } = issued;
  request.auth = {
    actor: { kind: 'user', userId: session.userId, sessionId: session.id },
    userId: session.userId,
    tenantId: session.activeTenantId,
    via: 'session',
    sessionId: session.id,
  };
}

/** Sets the browser-session cookie: httpOnly, SameSite=Lax, Secure over HTTPS, living as long as the session may. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, policy: SessionPolicy): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: policy.absoluteSeconds,
  });
}
