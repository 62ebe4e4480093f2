import type { FastifyReply, FastifyRequest } from 'fastify';
import '../kernel/http/context.ts';

export interface Chrome {
  signedIn: boolean;
  /** Goes into every form as `_csrf`; bound to the browser session. */
  csrfToken: string;
}

const tokens = new WeakMap<FastifyRequest, string>();

/**
 * The request's CSRF token, made once: without a secret cookie yet, each generateCsrf call makes a
 * new secret, so a second call (the shell's sign-out form) would void the page's own forms' token.
 */
export function csrfTokenOf(request: FastifyRequest, reply: FastifyReply): string {
  let token = tokens.get(request);
  if (token === undefined) {
    token = reply.generateCsrf({ userInfo: request.auth?.sessionId ?? 'anonymous' });
    tokens.set(request, token);
  }
  return token;
}

/** What a page's own forms need of the request; the app shell around the page comes from sendPage. */
export function chrome(request: FastifyRequest, reply: FastifyReply): Chrome {
  return {
    signedIn: request.auth !== null,
    csrfToken: csrfTokenOf(request, reply),
  };
}
