import { z } from 'zod';
import { issueMemberTemporaryPassword, listMemberSessions, setRoleTwoStep } from '../access/index.ts';
import { serviceContext } from '../http/index.ts';
import type { Session } from '../identity/index.ts';
import type { AppInstance } from '../module/index.ts';
import { summariseUserAgent } from './user-agent.ts';

const tags = ['access'];
const memberParams = z.strictObject({ userId: z.uuid({ error: 'must be a user id (UUID)' }) });

export const memberSessionView = z.object({
  id: z.uuid(),
  device: z.string(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});

export const memberSessionOf = (session: Session) => ({
  id: session.id,
  device: summariseUserAgent(session.userAgent),
  userAgent: session.userAgent,
  ip: session.ip,
  createdAt: session.createdAt.toISOString(),
  lastSeenAt: session.lastSeenAt.toISOString(),
  expiresAt: (session.idleExpiresAt < session.absoluteExpiresAt ? session.idleExpiresAt : session.absoluteExpiresAt).toISOString(),
});

/** Administrators' side of the authentication policies: who is signed in where, password resets without email, two-step per role. */
export function memberSecurityRoutes(app: AppInstance): void {
  app.get(
    '/v1/access/members/:userId/sessions',
    {
      config: { access: { permission: 'access.member.read' } },
      schema: { tags, summary: "A member's live browser sessions in this business: device, IP address, since and last seen", params: memberParams, response: { 200: z.object({ data: z.array(memberSessionView) }) } },
    },
    async (request) => ({ data: (await listMemberSessions(serviceContext(request), request.params.userId)).map(memberSessionOf) }),
  );

  app.post(
    '/v1/access/members/:userId/temporary-password',
    {
      config: { access: { permission: 'access.member.manage' } },
      schema: {
        tags,
        summary: 'Reset a member\'s password without email: a one-time temporary password (shown only in this answer) that must be changed at the next sign-in; their sessions and tokens end',
        params: memberParams,
        response: { 201: z.object({ data: z.object({ temporaryPassword: z.string() }) }) },
      },
    },
    async (request, reply) => reply.code(201).send({ data: { temporaryPassword: await issueMemberTemporaryPassword(serviceContext(request), request.params.userId) } }),
  );

  app.put(
    '/v1/access/roles/:id/two-step',
    {
      config: { access: { permission: 'access.role.manage' } },
      schema: {
        tags,
        summary: 'Demand (or stop demanding) two-step sign-in of a role\'s holders; those without it enrol at their next sign-in',
        params: z.strictObject({ id: z.uuid() }),
        body: z.strictObject({ required: z.boolean() }),
        response: { 200: z.object({ data: z.object({ id: z.uuid(), key: z.string(), requiresTwoStep: z.boolean() }) }) },
      },
    },
    async (request) => ({ data: await setRoleTwoStep(serviceContext(request), request.params.id, request.body.required) }),
  );
}
