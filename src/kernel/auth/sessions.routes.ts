import { z } from 'zod';
import { SESSION_COOKIE } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { selfUserId } from './browser-session.ts';
import { mySessions, revokeMySession, type MySession } from './my-sessions.service.ts';

const tags = ['auth'];
const AUTHENTICATED = { access: 'authenticated' } as const;

const sessionView = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  device: z.string(),
  current: z.boolean(),
});

const view = (session: MySession): z.infer<typeof sessionView> => ({
  ...session,
  createdAt: session.createdAt.toISOString(),
  lastSeenAt: session.lastSeenAt.toISOString(),
  expiresAt: session.expiresAt.toISOString(),
});

/** The caller's own browser sessions: list them, end one. Only one's own; someone else's id is NOT_FOUND. */
export function sessionRoutes(app: AppInstance): void {
  app.get(
    '/v1/me/sessions',
    {
      config: AUTHENTICATED,
      schema: {
        tags,
        summary: "The caller's live browser sessions (current: the one this request came with)",
        response: { 200: z.object({ data: z.array(sessionView) }) },
      },
    },
    async (request) => {
      const sessions = await mySessions(app.db, selfUserId(request), request.auth?.sessionId);
      return { data: sessions.map(view) };
    },
  );

  app.delete(
    '/v1/me/sessions/:id',
    {
      config: AUTHENTICATED,
      schema: {
        tags,
        summary: "End one of the caller's browser sessions (another user's session answers 404, like a missing one)",
        params: z.strictObject({ id: z.uuid() }),
        response: { 204: z.undefined() },
      },
    },
    async (request, reply) => {
      await revokeMySession(app.db, selfUserId(request), request.params.id);
      if (request.params.id === request.auth?.sessionId) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );
}
