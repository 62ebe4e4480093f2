import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, formFields, formList, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { invitationInput } from './invitation.inputs.ts';
import { invitationLink } from './invitation.routes.ts';
import { InvitationsPage, type InvitationFormValues } from './invitations.page.tsx';
import { createInvitation, listInvitations, revokeInvitation } from './invitations.service.ts';
import { listRoles } from './roles.service.ts';

const READ = { access: { permission: 'access.member.read' } } as const;
const MANAGE = { access: { permission: 'access.member.manage' } } as const;
const EMPTY_FORM: InvitationFormValues = { email: '', roles: [], maxUses: '1', validDays: '7' };
const FORM_FIELD: Record<string, string> = { expiresInHours: 'validDays' };

interface PageState {
  values?: InvitationFormValues;
  errors?: FieldErrors;
  formError?: string | undefined;
  notice?: string | undefined;
  createdLink?: string | undefined;
  status?: number;
}

async function sendInvitationsPage(request: FastifyRequest, reply: FastifyReply, state: PageState = {}) {
  const ctx = serviceContext(request);
  const [invitations, roles] = await Promise.all([listInvitations(ctx), listRoles(ctx)]);
  const canManage = request.permissions.has(MANAGE.access.permission);
  const page = InvitationsPage({ invitations, roles, canManage, values: state.values ?? EMPTY_FORM, errors: state.errors ?? {}, formError: state.formError, notice: state.notice, createdLink: state.createdLink, now: new Date(), chrome: chrome(request, reply) });
  return sendPage(reply, page, state.status ?? 200);
}

/** Form text to the API's input; errors keyed by form field. Whole numbers only, as typed. */
function parseForm(values: InvitationFormValues) {
  const whole = (text: string) => (/^\d{1,7}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);
  const parsed = invitationInput.safeParse({
    ...(values.email.trim() ? { email: values.email.trim() } : {}),
    roles: values.roles,
    maxUses: whole(values.maxUses),
    expiresInHours: whole(values.validDays) * 24,
  });
  if (parsed.success) return { input: parsed.data, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0]);
    errors[FORM_FIELD[key] ?? key] ??= key === 'expiresInHours' ? 'must be 1 to 30 days' : issue.message;
  }
  return { errors };
}

/** The invitation list and the form that creates a link, for people who manage the team. */
export function invitationPageRoutes(app: AppInstance, publicUrl: string | undefined): void {
  const listQuery = z.object({ done: z.enum(['withdrawn']).optional().catch(undefined) });
  app.get('/access/invitations', { config: READ, schema: { hide: true, querystring: listQuery } }, (request, reply) =>
    sendInvitationsPage(request, reply, { notice: request.query.done === 'withdrawn' ? 'Withdrew the invitation.' : undefined }),
  );

  app.post('/access/invitations', { config: MANAGE, schema: { hide: true } }, async (request, reply) => {
    const fields = formFields(request.body);
    const values = { email: formText(fields.email), roles: formList(fields.roles), maxUses: formText(fields.maxUses), validDays: formText(fields.validDays) };
    const { input, errors } = parseForm(values);
    if (!input) return sendInvitationsPage(request, reply, { values, errors, status: 400 });
    try {
      const { roles, ...rest } = input;
      const { token } = await createInvitation(serviceContext(request), { ...rest, roleKeys: roles });
      return sendInvitationsPage(request, reply, { createdLink: invitationLink(request, token, publicUrl), status: 201 });
    } catch (error) {
      const rejection = formRejection(error);
      return sendInvitationsPage(request, reply, { values, errors: rejection.errors, formError: rejection.formError, status: rejection.status });
    }
  });

  app.post('/access/invitations/:id/revoke', { config: MANAGE, schema: { hide: true, params: z.object({ id: z.uuid() }) } }, async (request, reply) => {
    await revokeInvitation(serviceContext(request), request.params.id);
    return reply.redirect('/access/invitations?done=withdrawn', 303);
  });
}
