import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { userMemberships } from '../access/index.ts';
import { withTx } from '../db/index.ts';
import { getUser, isTotpEnabled, setActiveTenant, type SessionPolicy } from '../identity/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, sendPage } from '../../web/index.ts';
import { AccountPage } from './account.page.tsx';
import { adoptSession, browserSession, browserSessionErrors, rotateOrFail, selfUserId } from './browser-session.ts';
import { signInErrors } from './sign-in.service.ts';

const AUTHENTICATED = { access: 'authenticated' } as const;

/** What a redirect back to /account reports; a fixed set, so no one can put words on the page through a link. */
const accountQuery = z.object({ done: z.enum(['tenant', 'verification-sent', 'verified']).optional().catch(undefined) });

const NOTICES = {
  'verification-sent': 'We sent you an email with a link that confirms your address. It works once, for two days.',
  verified: 'Your email address is already confirmed.',
} as const;

export async function renderAccount(request: FastifyRequest, reply: FastifyReply, message: { notice?: string; error?: string }, status = 200) {
  const db = request.server.db;
  const userId = selfUserId(request);
  const user = await getUser(db, userId);
  if (!user) throw browserSessionErrors.sessionEnded();
  const memberships = await userMemberships(db, userId);
  const account = {
    displayName: user.displayName,
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    totpEnabled: await isTotpEnabled(db, userId),
    memberships,
    activeSlug: memberships.find((membership) => membership.tenantId === request.tenant?.id)?.slug,
  };
  return sendPage(reply, AccountPage({ account, ...message, chrome: chrome(request, reply) }), status);
}

/**
 * The account overview and the "work in" switch. Switching is a privilege change: the session
 * is rotated (new cookie, the old one dies). Bearer tokens cannot switch: their tenant is fixed
 * when they are issued (`tenant` on POST /v1/auth/token), so there is no API twin.
 */
export function accountPages(app: AppInstance, policy: SessionPolicy): void {
  app.get('/account', { config: AUTHENTICATED, schema: { hide: true, querystring: accountQuery } }, async (request, reply) => {
    const { done } = request.query;
    const notice = done === 'tenant' ? (request.tenant ? `You now work in ${request.tenant.name}.` : undefined) : done ? NOTICES[done] : undefined;
    return renderAccount(request, reply, notice ? { notice } : {});
  });

  app.post(
    '/account/tenant',
    { config: AUTHENTICATED, schema: { hide: true, body: z.object({ tenant: z.string().trim().min(1).max(63) }) } },
    async (request, reply) => {
      const session = browserSession(request);
      const chosen = (await userMemberships(app.db, session.userId)).find((membership) => membership.slug === request.body.tenant);
      // The same answer for a business that does not exist as for one the user is not in.
      if (!chosen) return renderAccount(request, reply, { error: signInErrors.notMember().message }, 403);
      if (chosen.tenantId !== request.auth?.tenantId) {
        const issued = await withTx(app.db, async (tx) => {
          await setActiveTenant(tx, session.sessionId, chosen.tenantId);
          return rotateOrFail(tx, session, policy);
        });
        adoptSession(request, reply, issued, policy);
      }
      return reply.redirect('/account?done=tenant', 303);
    },
  );
}
