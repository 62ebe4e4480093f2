import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sessionPolicyOf, setSessionCookie } from '../../kernel/auth/index.ts';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance, ModuleServices } from '../../kernel/module/index.ts';
import { actionRoute, chrome, firstError, formFields, formRejection, formRoute, formText, noticeOf, parseWith, sendPage, withNotice, type FieldErrors, type FormState } from '../../web/index.ts';
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
    const parsed = parseWith(inviteInput, values);
    if (!('input' in parsed)) return sendInvites(request, reply, values, parsed.errors, {}, 422);
    const created = await createInvite(serviceContext(request), request.tenant?.slug ?? '', parsed.input);
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
    const parsed = parseWith(registrationInput, { ...values, password: formText(fields.password) });
    if (!('input' in parsed)) return sendJoin(request, reply, values, parsed.errors, undefined, 422);
    try {
      const registration = await registerFromInvite(
        app.db,
        sessionPolicy,
        { slug: request.params.community, code: request.params.code, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id },
        parsed.input,
      );
      setSessionCookie(request, reply, registration.sessionToken, sessionPolicy);
      return reply.redirect(registration.trusted ? withNotice('/requests', 'Welcome! You are a member now.') : withNotice('/verify', 'Welcome! An administrator approves your membership soon.'), 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendJoin(request, reply, values, rejection.errors, rejection.formError, rejection.status);
    }
  });

  const verifyPage = async (form: FormState<{ code: string }>, request: FastifyRequest, reply: FastifyReply) =>
    VerifyPage({ status: await verificationStatus(serviceContext(request)), notice: noticeOf(request), errors: form.errors, formError: form.formError, chrome: chrome(request, reply) });

  formRoute(app, {
    path: '/verify',
    config: { ...SIGNED_IN, rateClass: 'auth' },
    show: { path: '/verify', config: SIGNED_IN, values: () => ({ code: '' }) },
    values: (form) => ({ code: form.text('code') }),
    parse: (values) => ({ input: values.code }),
    submit: async (code, request) => {
      await verifySignInCode(serviceContext(request), codeKey, code, request.ip);
      return withNotice('/verify', 'Thank you, your sign-in is verified.');
    },
    render: verifyPage,
  });

  actionRoute(app, {
    path: '/verify/code',
    config: { ...SIGNED_IN, rateClass: 'auth' },
    submit: async (_input, request) => {
      await sendSignInCode(serviceContext(request), codeKey, request.ip);
      return withNotice('/verify', 'We emailed you a code.');
    },
    render: (form, request, reply) => verifyPage({ values: { code: '' }, errors: {}, formError: firstError(form) }, request, reply),
  });

  const sessionsPage = async (error: string | undefined, request: FastifyRequest, reply: FastifyReply) =>
    SessionsPage({ pending: await listPendingSignIns(serviceContext(request)), notice: noticeOf(request), error, chrome: chrome(request, reply) });

  app.get('/admin/sessions', { config: SESSION_APPROVE, schema: hidden }, async (request, reply) => sendPage(reply, await sessionsPage(undefined, request, reply)));

  for (const decision of ['approve', 'deny'] as const) {
    actionRoute(app, {
      path: `/admin/sessions/:id/${decision}`,
      config: SESSION_APPROVE,
      params: idParams,
      submit: async (_input, request) => {
        const decide = decision === 'approve' ? approveSignIn : denySignIn;
        await decide(serviceContext(request), request.params.id, { via: 'admin', from: request.ip });
        return withNotice('/admin/sessions', decision === 'approve' ? 'Sign-in approved.' : 'Sign-in denied and ended.');
      },
      render: (form, request, reply) => sessionsPage(firstError(form), request, reply),
    });
  }
}
