import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config/index.ts';
import type { Actor } from '../context.ts';
import { AppError } from '../errors.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, sendPage } from '../../web/index.ts';
import { renderAccount } from './account.pages.ts';
import { selfUserId } from './browser-session.ts';
import { confirmEmailVerification, sendVerificationEmail, verificationLinkAddress } from './email-verification.service.ts';
import { VerifyEmailPage } from './password-reset.page.tsx';

const tokenParams = z.object({ token: z.string().min(1).max(200) });
const actorOf = (request: FastifyRequest): Actor => request.auth?.actor ?? { kind: 'anonymous' };

/** "Send verification email" on /account, and the link's page: shows the address, a button spends the link. */
export function emailVerificationPages(app: AppInstance, config: Config): void {
  // Mails the signed-in person: the `auth` rate class per user, plus the per-user mail limit.
  app.post('/account/verify-email', { config: { access: 'authenticated', rateClass: 'auth' }, schema: { hide: true } }, async (request, reply) => {
    const userId = selfUserId(request);
    try {
      const outcome = await sendVerificationEmail(app.db, config, actorOf(request), userId, { ip: request.ip, requestId: request.id, log: request.log });
      return reply.redirect(`/account?done=${outcome === 'sent' ? 'verification-sent' : 'verified'}`, 303);
    } catch (error) {
      if (error instanceof AppError && error.code === 'RATE_LIMIT') return renderAccount(request, reply, { error: error.message }, error.status);
      throw error;
    }
  });

  app.get('/verify-email/:token', { config: { access: 'public' }, schema: { hide: true, params: tokenParams } }, async (request, reply) => {
    const { token } = request.params;
    const address = await verificationLinkAddress(app.db, token);
    return sendPage(reply, VerifyEmailPage({ token, address, chrome: chrome(request, reply) }), address ? 200 : 404);
  });

  app.post('/verify-email/:token', { config: { access: 'public', rateClass: 'auth' }, schema: { hide: true, params: tokenParams } }, async (request, reply) => {
    const { token } = request.params;
    const done = await confirmEmailVerification(app.db, actorOf(request), token, request.id);
    return sendPage(reply, VerifyEmailPage({ token, address: undefined, done, chrome: chrome(request, reply) }), done ? 200 : 404);
  });
}
