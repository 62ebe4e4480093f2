import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from './guard/credentials.ts';

const carriesCredentials = (request: FastifyRequest) => request.headers.authorization !== undefined || Boolean(request.cookies?.[SESSION_COOKIE]);

/**
 * Answers to requests that carry credentials (a bearer token or the session cookie) are one
 * person's data: `Cache-Control: no-store` keeps them out of browser, proxy and shared caches.
 * A route that sets its own policy keeps it (static assets stay cacheable when a signed-in
 * browser fetches them).
 */
export function installNoStoreForCredentials(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    if (!reply.hasHeader('cache-control') && carriesCredentials(request)) reply.header('cache-control', 'no-store');
  });
}
