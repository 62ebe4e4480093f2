import { z } from 'zod';
import { SESSION_COOKIE } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, sendPage } from '../../web/index.ts';
import { browserSession, selfUserId } from './browser-session.ts';
import { mySessions, revokeMyOtherSessions, revokeMySession } from './my-sessions.service.ts';
import { SessionsPage } from './sessions.page.tsx';

const AUTHENTICATED = { access: 'authenticated' } as const;

const NOTICES = { revoked: 'That browser is signed out.', others: 'You are signed out everywhere else.' } as const;
const sessionsQuery = z.object({ done: z.enum(['revoked', 'others']).optional().catch(undefined) });

/** "Where you are signed in": the user's browser sessions, each revocable, and "sign out everywhere else". */
export function sessionPages(app: AppInstance): void {
  app.get('/account/sessions', { config: AUTHENTICATED, schema: { hide: true, querystring: sessionsQuery } }, async (request, reply) => {
    const sessions = await mySessions(app.db, selfUserId(request), request.auth?.sessionId);
    const notice = request.query.done ? NOTICES[request.query.done] : undefined;
    return sendPage(reply, SessionsPage({ sessions, notice, chrome: chrome(request, reply) }));
  });

  app.post(
    '/account/sessions/:id/revoke',
    { config: AUTHENTICATED, schema: { hide: true, params: z.object({ id: z.uuid() }) } },
    async (request, reply) => {
      await revokeMySession(app.db, selfUserId(request), request.params.id);
      if (request.params.id !== request.auth?.sessionId) return reply.redirect('/account/sessions?done=revoked', 303);
      // This browser's own session: that is signing out.
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/sign-in', 303);
    },
  );

  app.post('/account/sessions/revoke-others', { config: AUTHENTICATED, schema: { hide: true } }, async (request, reply) => {
    const session = browserSession(request);
    await revokeMyOtherSessions(app.db, session.userId, session.sessionId);
    return reply.redirect('/account/sessions?done=others', 303);
  });
}
