import type { FastifyRequest } from 'fastify';
import type { Authenticated, Authenticator } from './types.ts';

export const SESSION_COOKIE = 'plinth_session';

/** `Authorization: Bearer <token>`; undefined when the header is absent or of another scheme. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header);
  return match?.[1];
}

/**
 * Reads the request's credentials: a bearer token wins over the session cookie (API clients and
 * terminals never carry ambient browser credentials). Bad credentials are simply no credentials;
 * the route's policy decides whether that is a denial.
 */
export async function authenticate(request: FastifyRequest, authenticator: Authenticator): Promise<Authenticated | null> {
  const bearer = bearerToken(request);
  if (bearer) return authenticator.fromBearer(bearer);
  const cookie = request.cookies[SESSION_COOKIE];
  if (cookie) return authenticator.fromSessionCookie(cookie, { ip: request.ip, userAgent: request.headers['user-agent'] });
  return null;
}
