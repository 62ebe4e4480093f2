import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { invitationErrors, previewInvitation, type InvitationPreview } from '../access/index.ts';
import { AppError } from '../errors.ts';
import { getUser, type SessionPolicy } from '../identity/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, sendPage, type FieldErrors } from '../../web/index.ts';
import { formFields, formRejection, formText } from '../../web/form-body.ts';
import { adoptSession, browserSession } from './browser-session.ts';
import { InvitationPage, type SignUpValues } from './invitation.page.tsx';
import { joinWithInvitation, signUpWithInvitation } from './invitation.service.ts';

const tokenParams = z.object({ token: z.string().max(200) });

/** The preview, or undefined with the (uniform) reason when the link is not usable. */
async function previewOrReason(app: AppInstance, token: string): Promise<{ preview?: InvitationPreview; reason?: string }> {
  try {
    return { preview: await previewInvitation(app.db, token) };
  } catch (error) {
    if (error instanceof AppError && error.details?.reason === 'INVITATION_INVALID') return { reason: error.message };
    throw error;
  }
}

/** Opening and accepting an invitation link in a browser: sign up, or join as the signed-in person. */
export function invitationPages(app: AppInstance, policy: SessionPolicy): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values?: SignUpValues; errors?: FieldErrors; formError?: string | undefined; status?: number },
  ) => {
    const { token } = request.params as { token: string };
    const { preview, reason } = await previewOrReason(app, token);
    const signedInAs = request.auth?.via === 'session' && request.auth.userId ? (await getUser(app.db, request.auth.userId))?.email : undefined;
    const page = InvitationPage({
      token,
      preview,
      signedInAs,
      values: state.values ?? { displayName: '', email: '' },
      errors: state.errors ?? {},
      formError: state.formError ?? reason,
      chrome: chrome(request, reply),
    });
    return sendPage(reply, page, preview ? (state.status ?? 200) : 404);
  };

  app.get('/invite/:token', { config: { access: 'public' }, schema: { hide: true, params: tokenParams } }, (request, reply) => render(request, reply, {}));

  app.post('/invite/:token', { config: { access: 'public', rateClass: 'auth' }, schema: { hide: true, params: tokenParams } }, async (request, reply) => {
    const { token } = request.params;
    const fields = formFields(request.body);
    const values = { displayName: formText(fields.displayName), email: formText(fields.email) };
    try {
      if (request.auth && request.auth.via !== 'session') throw invitationErrors.invalid();
      const issued = request.auth
        ? await joinWithInvitation(app.db, browserSession(request), token, request.id, policy)
        : await signUpWithInvitation(
            app.db,
            { token, ...values, password: formText(fields.password), ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id },
            policy,
          );
      adoptSession(request, reply, issued, policy);
      return reply.redirect('/', 303);
    } catch (error) {
      const rejection = formRejection(error);
      return render(request, reply, { values, errors: rejection.errors, formError: rejection.formError, status: rejection.status });
    }
  });
}
