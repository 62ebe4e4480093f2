import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SESSION_COOKIE } from '../http/index.ts';
import { createSession, revokeSession, type IdentityKeys, type PasswordPolicy, type SessionPolicy } from '../identity/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, formRoute, sendPage } from '../../web/index.ts';
import { SignInPage } from './sign-in.page.tsx';
import { signIn } from './sign-in.service.ts';

/** Only same-site paths may be redirect targets, never another origin. */
export const safeNext = (value: unknown, fallback = '/'): string =>
  typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && value.length <= 512 ? value : fallback;

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

const DONE_NOTICES = {
  reset: 'Your password is changed and you are signed out everywhere. Sign in with the new password.',
  setup: 'The installation is set up. Sign in as its administrator.',
} as const;

/** Browser sign-in and sign-out; the session id is fresh at every sign-in (no fixation). */
export function signInPages(app: AppInstance, keys: IdentityKeys, policy: SessionPolicy, passwordPolicy: PasswordPolicy): void {
  const signInQuery = z.object({ next: z.string().optional(), done: z.enum(['reset', 'setup']).optional().catch(undefined) });
  app.get('/sign-in', { config: { access: 'public' }, schema: { hide: true, querystring: signInQuery } }, async (request, reply) => {
    const notice = request.query.done ? DONE_NOTICES[request.query.done] : undefined;
    return sendPage(reply, SignInPage({ email: '', next: safeNext(request.query.next), notice, askTotp: false, chrome: chrome(request, reply) }));
  });

  formRoute(app, {
    path: '/sign-in',
    config: { access: 'public', rateClass: 'auth' },
    values: (form) => ({
      email: form.text('email'),
      password: form.text('password'),
      totpCode: form.text('totpCode'),
      newPassword: form.text('newPassword'),
      next: safeNext(form.text('next')),
    }),
    parse: (values) => (values.email.trim() === '' || values.password === '' ? { errors: {}, formError: 'Enter your email and password.' } : { input: values }),
    submit: async ({ email, password, totpCode, newPassword, next }, request, reply) => {
      const { user, tenantId } = await signIn(
        app.db,
        keys,
        { email, password, totpCode: totpCode || undefined, newPassword: newPassword || undefined, ip: request.ip, requestId: request.id },
        request.log,
        passwordPolicy,
      );
      if (request.auth?.sessionId) await revokeSession(app.db, request.auth.sessionId, { userId: request.auth.userId ?? user.id, admin: true });
      const { token } = await createSession(app.db, { userId: user.id, activeTenantId: tenantId, ip: request.ip, userAgent: request.headers['user-agent'] ?? null }, { policy });
      setSessionCookie(request, reply, token, policy);
      return next;
    },
    // The authenticator code is asked for once the password was right (the refusal names that field).
    render: ({ values, errors, formError }, request, reply) => {
      const { email: emailError, totpCode, newPassword, totpEnrolmentCode, ...others } = errors;
      const error = formError ?? totpCode ?? newPassword ?? totpEnrolmentCode ?? (Object.keys(others).length > 0 ? 'Check what you typed and try again.' : undefined);
      return SignInPage({ email: values.email, emailError, next: values.next, error, askTotp: totpCode !== undefined, askNewPassword: newPassword !== undefined, chrome: chrome(request, reply) });
    },
  });

  app.post('/sign-out', { config: { access: 'authenticated' }, schema: { hide: true } }, async (request, reply) => {
    const auth = request.auth;
    if (auth?.sessionId && auth.userId) await revokeSession(app.db, auth.sessionId, { userId: auth.userId });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in', 303);
  });
}
