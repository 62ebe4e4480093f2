import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ServiceContext } from '../context.ts';
import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { chrome, formList, formRejection, sendPage } from '../../web/index.ts';
import { MEMBER_STATUSES } from './access.table.ts';
import { memberRoleKeys } from './inputs.ts';
import { signOutMember } from './member-sign-out.service.ts';
import { MembersPage } from './members.page.tsx';
import { listMembers, setMemberRoles, setMemberStatus } from './members.service.ts';
import { listRoles } from './roles.service.ts';

const READ = { access: { permission: 'access.member.read' } } as const;
const MANAGE = { access: { permission: 'access.member.manage' } } as const;
const MANAGE_PERMISSION = MANAGE.access.permission;
const params = z.object({ userId: z.uuid() });

const DONE = ['roles', 'suspended', 'active', 'signed-out'] as const;
type Done = (typeof DONE)[number];
/** What the list says after a change; the redirect names the change and the member, never free text. */
const NOTICES: Record<Done, (name: string) => string> = {
  roles: (name) => `Saved the roles of ${name}.`,
  suspended: (name) => `Suspended ${name}.`,
  active: (name) => `Re-activated ${name}.`,
  'signed-out': (name) => `Signed ${name} out everywhere.`,
};
// A hand-edited or stale query shows the plain list rather than an error page.
const listQuery = z.object({
  done: z.enum(DONE).optional().catch(undefined),
  member: z.uuid().optional().catch(undefined),
});

interface Outcome {
  userId: string;
  notice?: Done;
  error?: string;
}

async function sendMembersPage(request: FastifyRequest, reply: FastifyReply, outcome?: Outcome, status = 200): Promise<FastifyReply> {
  const ctx = serviceContext(request);
  const [members, roles] = await Promise.all([listMembers(ctx), listRoles(ctx)]);
  const name = members.find((member) => member.userId === outcome?.userId)?.displayName ?? 'this member';
  const notice = outcome?.notice && NOTICES[outcome.notice](name);
  const error = outcome?.error && `Nothing was changed for ${name}: ${outcome.error}`;
  const canManage = request.permissions.has(MANAGE_PERMISSION);
  return sendPage(reply, MembersPage({ members, roles, canManage, notice, error, chrome: chrome(request, reply) }), status);
}

/** Runs one change of a member; a refusal (last owner, not a member) re-renders the list with its status. */
async function changeMember(request: FastifyRequest, reply: FastifyReply, userId: string, done: Done, change: (ctx: ServiceContext) => Promise<unknown>) {
  try {
    await change(serviceContext(request));
  } catch (error) {
    const rejection = formRejection(error);
    return sendMembersPage(request, reply, { userId, error: rejection.formError ?? Object.values(rejection.errors).join(' ') }, rejection.status);
  }
  return reply.redirect(`/access/members?done=${done}&member=${userId}`, 303);
}

/** Team management pages: the API's member use cases behind server-rendered forms. */
export function memberPageRoutes(app: AppInstance): void {
  app.get('/access/members', { config: READ, schema: { hide: true, querystring: listQuery } }, async (request, reply) => {
    const { done, member } = request.query;
    return sendMembersPage(request, reply, done && member ? { userId: member, notice: done } : undefined);
  });

  app.post(
    '/access/members/:userId/roles',
    // No box ticked sends no `roles` at all: that is the empty list.
    { config: MANAGE, schema: { hide: true, params, body: z.object({ roles: z.preprocess(formList, memberRoleKeys) }) } },
    async (request, reply) => {
      const { userId } = request.params;
      return changeMember(request, reply, userId, 'roles', (ctx) => setMemberRoles(ctx, userId, request.body.roles));
    },
  );

  app.post(
    '/access/members/:userId/status',
    { config: MANAGE, schema: { hide: true, params, body: z.object({ status: z.enum(MEMBER_STATUSES) }) } },
    async (request, reply) => {
      const { userId } = request.params;
      const { status } = request.body;
      return changeMember(request, reply, userId, status, (ctx) => setMemberStatus(ctx, userId, status));
    },
  );

  app.post('/access/members/:userId/sign-out', { config: MANAGE, schema: { hide: true, params } }, async (request, reply) => {
    const { userId } = request.params;
    return changeMember(request, reply, userId, 'signed-out', (ctx) => signOutMember(ctx, userId));
  });
}
