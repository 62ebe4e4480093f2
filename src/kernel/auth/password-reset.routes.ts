import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config/index.ts';
import { AppError } from '../errors.ts';
import { SESSION_COOKIE } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { ForgotPasswordPage, ResetPasswordPage } from './password-reset.page.tsx';
import { confirmPasswordReset, requestPasswordReset, resetLinkUsable, RESET_REQUESTED_MESSAGE, type RequestContext } from './password-reset.service.ts';

const tags = ['auth'];
/** Anything that mails someone or checks a secret is in the tight `auth` rate class (per client IP here). */
const PUBLIC_AUTH = { access: 'public', rateClass: 'auth' } as const;

/** No control characters (NUL above all): nothing legitimate has them, and PostgreSQL cannot store NUL. */
const noControl = (text: string) => ![...text].some((char) => (char.codePointAt(0) ?? 0) < 0x20 || char === '\u007f');
const emailInput = z.string().trim().max(254).pipe(z.email({ error: 'Enter a valid email address.' })).refine(noControl, { error: 'Enter a valid email address.' });
const passwordInput = z.string().min(1, { error: 'Enter a new password.' }).max(1024).refine(noControl, { error: 'A password cannot contain control characters.' });
const tokenInput = z.string().min(1).max(200);
const tokenParams = z.object({ token: tokenInput });
const forgotQuery = z.object({ done: z.enum(['sent']).optional().catch(undefined) });

const context = (request: FastifyRequest): RequestContext => ({ ip: request.ip, requestId: request.id, log: request.log });

/**
 * Password reset by email: the browser pages (/forgot-password, /reset-password/:token) and their
 * API twins. Requests answer the same for every address; a reset signs the user out everywhere.
 */
export function passwordResetRoutes(app: AppInstance, config: Config): void {
  app.post(
    '/v1/auth/password-reset',
    {
      config: PUBLIC_AUTH,
      schema: {
        tags,
        summary: 'Ask for a password reset link by email (the same answer whether or not the address has an account)',
        body: z.strictObject({ email: emailInput }),
        response: { 202: z.object({ data: z.object({ message: z.string() }) }) },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(app.db, config, request.body.email, context(request));
      return reply.code(202).send({ data: { message: RESET_REQUESTED_MESSAGE } });
    },
  );

  app.post(
    '/v1/auth/password-reset/confirm',
    {
      config: PUBLIC_AUTH,
      schema: {
        tags,
        summary: "Set a new password with a reset link's token; ends every session and refresh token of the user",
        body: z.strictObject({ token: tokenInput, password: passwordInput }),
        response: { 204: z.undefined() },
      },
    },
    async (request, reply) => {
      await confirmPasswordReset(app.db, config, request.body, context(request));
      return reply.code(204).send();
    },
  );

  const forgotPage = (request: FastifyRequest, reply: FastifyReply, state: { email?: string; notice?: string; error?: string | undefined; errors?: FieldErrors }, status = 200) =>
    sendPage(reply, ForgotPasswordPage({ email: state.email ?? '', notice: state.notice, error: state.error, errors: state.errors ?? {}, chrome: chrome(request, reply) }), status);

  app.get('/forgot-password', { config: { access: 'public' }, schema: { hide: true, querystring: forgotQuery } }, (request, reply) =>
    forgotPage(request, reply, request.query.done === 'sent' ? { notice: RESET_REQUESTED_MESSAGE } : {}),
  );

  app.post('/forgot-password', { config: PUBLIC_AUTH, schema: { hide: true } }, async (request, reply) => {
    const typed = formText(formFields(request.body).email);
    const email = emailInput.safeParse(typed);
    if (!email.success) return forgotPage(request, reply, { email: noControl(typed) ? typed : '', errors: { email: 'Enter a valid email address.' } }, 400);
    try {
      await requestPasswordReset(app.db, config, email.data, context(request));
    } catch (error) {
      const rejection = formRejection(error);
      return forgotPage(request, reply, { email: email.data, error: rejection.formError ?? Object.values(rejection.errors)[0] }, rejection.status);
    }
    // Post/redirect/get: reloading the answer page does not send another email.
    return reply.redirect('/forgot-password?done=sent', 303);
  });

  const resetPage = async (request: FastifyRequest, reply: FastifyReply, token: string, errors: FieldErrors = {}, status?: number) => {
    const usable = await resetLinkUsable(app.db, token);
    return sendPage(reply, ResetPasswordPage({ token, usable, errors, chrome: chrome(request, reply) }), status ?? (usable ? 200 : 404));
  };

  app.get('/reset-password/:token', { config: { access: 'public' }, schema: { hide: true, params: tokenParams } }, (request, reply) => resetPage(request, reply, request.params.token));

  app.post('/reset-password/:token', { config: PUBLIC_AUTH, schema: { hide: true, params: tokenParams } }, async (request, reply) => {
    const { token } = request.params;
    const password = passwordInput.safeParse(formText(formFields(request.body).password));
    if (!password.success) return resetPage(request, reply, token, { password: password.error.issues[0]?.message ?? 'Enter a new password.' }, 400);
    try {
      await confirmPasswordReset(app.db, config, { token, password: password.data }, context(request));
    } catch (error) {
      if (error instanceof AppError && error.details?.reason === 'PASSWORD_RESET_LINK_INVALID') return resetPage(request, reply, token, {}, 404);
      const rejection = formRejection(error);
      return resetPage(request, reply, token, rejection.errors, rejection.status);
    }
    // This browser's session (if any) was revoked with all the others.
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/sign-in?done=reset', 303);
  });
}
