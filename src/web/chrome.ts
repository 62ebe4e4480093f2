import type { FastifyReply, FastifyRequest } from 'fastify';
import '../kernel/http/context.ts';

export interface Chrome {
  signedIn: boolean;
  /** Goes into every form as `_csrf`; bound to the browser session. */
  csrfToken: string;
}

/** What a page's own forms need of the request; the app shell around the page comes from sendPage. */
export function chrome(request: FastifyRequest, reply: FastifyReply): Chrome {
  return {
    signedIn: request.auth !== null,
    csrfToken: reply.generateCsrf({ userInfo: request.auth?.sessionId ?? 'anonymous' }),
  };
}
