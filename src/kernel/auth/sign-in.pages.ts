import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { SESSION_COOKIE } from '../http/index.ts';
import { confirmTotpEnrolment, createSession, revokeSession, type IdentityKeys, type PasswordPolicy, type SessionPolicy, type TotpEnrolment } from '../identity/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, formRoute, sendPage } from '../../web/index.ts';
import { setSessionCookie } from './browser-session.ts';
import { PENDING_SIGN_IN_COOKIE, PENDING_SIGN_IN_SECONDS, PendingSignIns } from './pending-sign-in.ts';
import { RecoveryCodesPage, TotpEnrolPage } from './security.page.tsx';
import { codeForm, refusal } from './security.pages.ts';
import { SignInPage } from './sign-in.page.tsx';
import { enrollingUser, signIn } from './sign-in.service.ts';

/** Only same-site paths may be redirect targets, never another origin. */
export const safeNext = (value: unknown, fallback = '/'): string =>
  typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && value.length <= 512 ? value : fallback;

/** The key to enrol, when a refused sign-in waits only for two-step enrolment (a temporary password is changed on the form first). */
function enrolmentOnly(error: unknown): TotpEnrolment | undefined {
  if (!(error instanceof AppError) || error.details?.['reason'] !== 'SIGN_IN_STEPS_REQUIRED' || error.details['newPassword'] === true) return undefined;
  return error.details['enrolment'] as TotpEnrolment | undefined;
}

const TWO_STEP_PATH = '/sign-in/two-step';

const DONE_NOTICES = {
  reset: 'Your password is changed and you are signed out everywhere. Sign in with the new password.',
  setup: 'The installation is set up. Sign in as its administrator.',
} as const;

/** Browser sign-in and sign-out; the session id is fresh at every sign-in (no fixation). */
export function signInPages(app: AppInstance, keys: IdentityKeys, policy: SessionPolicy, passwordPolicy: PasswordPolicy): void {
  const pending = new PendingSignIns();
  /** A fresh session for who just signed in, ending the one this browser had. */
  const startSession = async (request: FastifyRequest, reply: FastifyReply, userId: string, tenantId: string | null) => {
    if (request.auth?.sessionId) await revokeSession(app.db, request.auth.sessionId, { userId: request.auth.userId ?? userId, admin: true });
    const { token } = await createSession(app.db, { userId, activeTenantId: tenantId, ip: request.ip, userAgent: request.headers['user-agent'] ?? null }, { policy });
    setSessionCookie(request, reply, token, policy);
  };
  const pendingCookie = (request: FastifyRequest) => request.cookies[PENDING_SIGN_IN_COOKIE];

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
      try {
        const { user, tenantId } = await signIn(
          app.db,
          keys,
          { email, password, totpCode: totpCode || undefined, newPassword: newPassword || undefined, ip: request.ip, requestId: request.id },
          request.log,
          passwordPolicy,
        );
        await startSession(request, reply, user.id, tenantId);
        return next;
      } catch (error) {
        const enrolment = enrolmentOnly(error);
        if (!enrolment) throw error;
        // The password was right: the sign-in waits server-side while the person enrols.
        const { userId, tenantId } = await enrollingUser(app.db, email);
        const token = pending.hold({ userId, tenantId, next, enrolment });
        reply.setCookie(PENDING_SIGN_IN_COOKIE, token, { path: TWO_STEP_PATH, httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', maxAge: PENDING_SIGN_IN_SECONDS });
        return TWO_STEP_PATH;
      }
    },
    // The authenticator code is asked for once the password was right (the refusal names that field).
    render: ({ values, errors, formError }, request, reply) => {
      const { email: emailError, totpCode, newPassword, totpEnrolmentCode, ...others } = errors;
      const error = formError ?? totpCode ?? newPassword ?? totpEnrolmentCode ?? (Object.keys(others).length > 0 ? 'Check what you typed and try again.' : undefined);
      return SignInPage({ email: values.email, emailError, next: values.next, error, askTotp: totpCode !== undefined, askNewPassword: newPassword !== undefined, chrome: chrome(request, reply) });
    },
  });

  // Enrolment while the sign-in waits: the key (text and QR code), then a first code turns two-step on and completes the sign-in.
  app.get(TWO_STEP_PATH, { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const held = pending.find(pendingCookie(request));
    if (!held) return reply.redirect('/sign-in', 303);
    return sendPage(reply, TotpEnrolPage({ enrolment: held.enrolment, action: TWO_STEP_PATH, chrome: chrome(request, reply) }));
  });

  app.post(TWO_STEP_PATH, { config: { access: 'public', rateClass: 'auth' }, schema: { hide: true, body: codeForm } }, async (request, reply) => {
    const token = pendingCookie(request);
    const held = pending.find(token);
    if (!token || !held) return reply.redirect('/sign-in', 303);
    const confirmed = await confirmTotpEnrolment(app.db, keys, held.userId, request.body.code.trim());
    if (!confirmed.ok) {
      const { error, status } = refusal(confirmed, 'This sign-in has no set-up in progress; sign in again.');
      return sendPage(reply, TotpEnrolPage({ enrolment: held.enrolment, error, action: TWO_STEP_PATH, chrome: chrome(request, reply) }), status);
    }
    pending.drop(token);
    reply.clearCookie(PENDING_SIGN_IN_COOKIE, { path: TWO_STEP_PATH });
    await startSession(request, reply, held.userId, held.tenantId);
    return sendPage(reply, RecoveryCodesPage({ codes: confirmed.recoveryCodes, next: held.next, chrome: chrome(request, reply) }));
  });

  app.post('/sign-out', { config: { access: 'authenticated' }, schema: { hide: true } }, async (request, reply) => {
    const auth = request.auth;
    if (auth?.sessionId && auth.userId) await revokeSession(app.db, auth.sessionId, { userId: auth.userId });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in', 303);
  });
}
