import type { FastifyRequest } from 'fastify';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)/i;

/**
 * Browser writes need a CSRF token: anything riding on the session cookie, and any form-shaped
 * body (the content types a cross-site form can send), signed in or not (login CSRF). Bearer
 * requests carry no ambient credentials and are exempt. A request that matches no route changes
 * nothing: it gets the 404 whatever its token, as does a route of a module the business may not
 * use (refused before the body is read), so the two cannot be told apart.
 */
export function needsCsrfCheck(request: FastifyRequest): boolean {
  if (SAFE.has(request.method) || request.is404) return false;
  if (request.routeOptions.config.csrf === false && request.routeOptions.config.access === 'public') return false;
  if (request.auth?.via === 'bearer') return false;
  if (request.auth?.via === 'session') return true;
  return FORM_TYPES.test(request.headers['content-type'] ?? '');
}

/** A present Origin must be this server's (PUBLIC_URL's when set, else the Host the request came to). */
export function isAllowedOrigin(request: FastifyRequest, publicUrl: string | undefined): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  if (origin === 'null') return false;
  const expected = publicUrl ? new URL(publicUrl).origin : `${request.protocol}://${request.host}`;
  return origin === expected;
}

/**
 * A WebSocket handshake: a GET a browser sends with its cookies even across sites, and without
 * CORS — so, like a browser write, it must come from this server's origin.
 */
export const isWebSocketUpgrade = (request: FastifyRequest): boolean => request.headers.upgrade?.toLowerCase() === 'websocket';
