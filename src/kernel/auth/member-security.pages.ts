import { z } from 'zod';
import { issueMemberTemporaryPassword, listMemberSessions, setRoleTwoStep } from '../access/index.ts';
import { serviceContext } from '../http/index.ts';
import { getUser } from '../identity/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, formFields, formText, sendPage } from '../../web/index.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MemberSecurityPage } from './member-security.page.tsx';

const READ = { access: { permission: 'access.member.read' } } as const;
const MANAGE = { access: { permission: 'access.member.manage' } } as const;
const memberParams = z.object({ userId: z.uuid() });

async function sendMemberSecurity(request: FastifyRequest, reply: FastifyReply, userId: string, temporaryPassword?: string) {
  const ctx = serviceContext(request);
  const sessions = await listMemberSessions(ctx, userId);
  const user = await getUser(ctx.db, userId);
  const person = { userId, displayName: user?.displayName ?? '', email: user?.email ?? '' };
  return sendPage(reply, MemberSecurityPage({ person, sessions, temporaryPassword, canManage: request.permissions.has('access.member.manage'), chrome: chrome(request, reply) }));
}

export function memberSecurityPages(app: AppInstance): void {
  app.get('/access/members/:userId/security', { config: READ, schema: { hide: true, params: memberParams } }, async (request, reply) =>
    sendMemberSecurity(request, reply, request.params.userId),
  );

  app.post('/access/members/:userId/temporary-password', { config: MANAGE, schema: { hide: true, params: memberParams } }, async (request, reply) => {
    const password = await issueMemberTemporaryPassword(serviceContext(request), request.params.userId);
    return sendMemberSecurity(request, reply, request.params.userId, password);
  });

  app.post('/access/roles/:id/two-step', { config: { access: { permission: 'access.role.manage' } }, schema: { hide: true, params: z.object({ id: z.uuid() }) } }, async (request, reply) => {
    const required = formText(formFields(request.body).required) === 'true';
    const role = await setRoleTwoStep(serviceContext(request), request.params.id, required);
    return reply.redirect(`/access/roles#role-${role.key}`, 303);
  });
}
