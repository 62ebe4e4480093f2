import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sessionPolicyOf, setSessionCookie } from '../../kernel/auth/index.ts';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance, ModuleServices } from '../../kernel/module/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { approveSignIn, denySignIn, listPendingSignIns, sendSignInCode, verificationStatus, verifySignInCode } from './credentials.service.ts';
import { inviteInput, registrationInput } from './domain/invite.ts';
import { createInvite, listInvites, previewInvite, registerFromInvite } from './invites.service.ts';
import { EMPTY_INVITE, InvitesPage, type InviteFormValues } from './pages/invites.page.tsx';
import { JoinPage, type JoinFormValues } from './pages/join.page.tsx';
import { SessionsPage } from './pages/sessions.page.tsx';
import { VerifyPage } from './pages/verify.page.tsx';

export const INVITE_WRITE = { access: { permission: 'community.invite.write' } } as const;
export const INVITE_MANAGE = 'community.invite.manage';
export const SESSION_APPROVE = { access: { permission: 'community.session.approve' } } as const;
const SIGNED_IN = { access: 'authenticated' } as const;

const hidden = { hide: true };
const joinParams = z.object({ community: z.string().max(63), code: z.string().max(100) });
const idParams = z.object({ id: z.uuid() });

const noticeOf = (request: FastifyRequest) => {
  const { notice } = (request.query ?? {}) as Record<string, unknown>;
  return typeof notice === 'string' ? notice.slice(0, 200) : undefined;
};
const withNotice = (path: string, text: string) => `${path}?notice=${encodeURIComponent(text)}`;

function issuesByField(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[String(issue.path[0])] ??= issue.message;
  return errors;
}

/** The community's pages: invites, joining from an invite, verifying a sign-in, and approving sign-ins. */
export function communityPageRoutes(app: AppInstance, services: ModuleServices): void {
  const codeKey = createHmac('sha256', services.rootSecret).update('community.sign-in-codes').digest();
  const sessionPolicy = sessionPolicyOf(services.config);
  const origin = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

  const sendInvites = async (request: FastifyRequest, reply: FastifyReply, values: InviteFormValues, errors: FieldErrors, extra: { createdLink?: string; formError?: string } = {}, status = 200) => {
    const seesAll = request.permissions.has(INVITE_MANAGE);
    const invites = await listInvites(serviceContext(request), !seesAll);
    return sendPage(reply, InvitesPage({ invites, values, errors, seesAll, ...extra, chrome: chrome(request, reply) }), status);
  };

  app.get('/invites', { config: INVITE_WRITE, schema: hidden }, (request, reply) => sendInvites(request, reply, EMPTY_INVITE, {}));

  app.post('/invites', { config: INVITE_WRITE, schema: hidden }, async (request, reply) => {
    const fields = formFields(request.body);
    const values: InviteFormValues = {
      mode: formText(fields.mode),
      maxUses: formText(fields.maxUses),
      expiresInDays: formText(fields.expiresInDays),
      note: formText(fields.note),
      suggestedUsername: formText(fields.suggestedUsername),
    };
    const parsed = inviteInput.safeParse(values);
    if (!parsed.success) return sendInvites(request, reply, values, issuesByField(parsed.error), {}, 422);
    const created = await createInvite(serviceContext(request), request.tenant?.slug ?? '', parsed.data);
    // The code is shown once, on this answer; a redirect would put it in a URL (and in logs).
    return sendInvites(request, reply, EMPTY_INVITE, {}, { createdLink: `${origin(request)}${created.path}` }, 201);
  });

  const sendJoin = async (request: FastifyRequest<{ Params: z.infer<typeof joinParams> }>, reply: FastifyReply, values: JoinFormValues, errors: FieldErrors, formError?: string, status = 200) => {
    const { community, code } = request.params;
    const action = `/join/${community}/${code}`;
    try {
      const preview = await previewInvite(app.db, community, code);
      return sendPage(reply, JoinPage({ action, preview, values, errors, formError, chrome: chrome(request, reply) }), status);
    } catch (error) {
      const rejection = formRejection(error);
      return sendPage(reply, JoinPage({ action, preview: undefined, refusal: rejection.formError, values, errors: {}, chrome: chrome(request, reply) }), rejection.status);
    }
  };

  app.get('/join/:community/:code', { config: { access: 'public' }, schema: { ...hidden, params: joinParams } }, async (request, reply) => {
    const preview = await previewInvite(app.db, request.params.community, request.params.code).catch(() => undefined);
    return sendJoin(request, reply, { displayName: '', username: preview?.suggestedUsername ?? '', email: '' }, {});
  });

  app.post('/join/:community/:code', { config: { access: 'public', rateClass: 'auth' }, schema: { ...hidden, params: joinParams } }, async (request, reply) => {
    const fields = formFields(request.body);
    const values: JoinFormValues = { displayName: formText(fields.displayName), username: formText(fields.username), email: formText(fields.email) };
    const parsed = registrationInput.safeParse({ ...values, password: formText(fields.password) });
    if (!parsed.success) return sendJoin(request, reply, values, issuesByField(parsed.error), undefined, 422);
    try {
      const registration = await registerFromInvite(
        app.db,
        sessionPolicy,
        { slug: request.params.community, code: request.params.code, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id },
        parsed.data,
      );
      setSessionCookie(request, reply, registration.sessionToken, sessionPolicy);
      return reply.redirect(registration.trusted ? withNotice('/requests', 'Welcome! You are a member now.') : withNotice('/verify', 'Welcome! An administrator approves your membership soon.'), 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendJoin(request, reply, values, rejection.errors, rejection.formError, rejection.status);
    }
  });

  const sendVerify = async (request: FastifyRequest, reply: FastifyReply, errors: FieldErrors = {}, formError?: string, status = 200) => {
    const verification = await verificationStatus(serviceContext(request));
    return sendPage(reply, VerifyPage({ status: verification, notice: noticeOf(request), errors, formError, chrome: chrome(request, reply) }), status);
  };

  app.get('/verify', { config: SIGNED_IN, schema: hidden }, (request, reply) => sendVerify(request, reply));

  app.post('/verify/code', { config: { ...SIGNED_IN, rateClass: 'auth' }, schema: hidden }, async (request, reply) => {
    try {
      await sendSignInCode(serviceContext(request), codeKey, request.ip);
      return reply.redirect(withNotice('/verify', 'We emailed you a code.'), 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendVerify(request, reply, rejection.errors, rejection.formError, rejection.status);
    }
  });

  app.post('/verify', { config: { ...SIGNED_IN, rateClass: 'auth' }, schema: hidden }, async (request, reply) => {
    const code = formText(formFields(request.body).code);
    try {
      await verifySignInCode(serviceContext(request), codeKey, code, request.ip);
      return reply.redirect(withNotice('/verify', 'Thank you, your sign-in is verified.'), 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendVerify(request, reply, rejection.errors, rejection.formError, rejection.status);
    }
  });

  const sendSessions = async (request: FastifyRequest, reply: FastifyReply, error?: string, status = 200) => {
    const pending = await listPendingSignIns(serviceContext(request));
    return sendPage(reply, SessionsPage({ pending, notice: noticeOf(request), error, chrome: chrome(request, reply) }), status);
  };

  app.get('/admin/sessions', { config: SESSION_APPROVE, schema: hidden }, (request, reply) => sendSessions(request, reply));

  for (const decision of ['approve', 'deny'] as const) {
    app.post(`/admin/sessions/:id/${decision}`, { config: SESSION_APPROVE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
      try {
        const decide = decision === 'approve' ? approveSignIn : denySignIn;
        await decide(serviceContext(request), request.params.id, { via: 'admin', from: request.ip });
        return reply.redirect(withNotice('/admin/sessions', decision === 'approve' ? 'Sign-in approved.' : 'Sign-in denied and ended.'), 303);
      } catch (error) {
        const rejection = formRejection(error);
        return sendSessions(request, reply, rejection.formError, rejection.status);
      }
    });
  }
}
