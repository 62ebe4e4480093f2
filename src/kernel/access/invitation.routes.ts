import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { invitationInput } from './invitation.inputs.ts';
import { getUser } from '../identity/index.ts';
import { acceptInvitation, createInvitation, invitationErrors, listInvitations, revokeInvitation, type Invitation } from './invitations.service.ts';

const tags = ['access'];
const invitation = z.object({
  id: z.uuid(),
  email: z.string().nullable(),
  roleKeys: z.array(z.string()),
  maxUses: z.number(),
  uses: z.number(),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  revokedAt: z.iso.datetime().nullable(),
});

export const invitationView = (row: Invitation) => ({
  ...row,
  expiresAt: row.expiresAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

/** The link a person opens to accept: PUBLIC_URL's origin when set, else the one the request came to. */
export const invitationLink = (request: FastifyRequest, token: string, publicUrl: string | undefined) =>
  `${publicUrl ? new URL(publicUrl).origin : `${request.protocol}://${request.host}`}/invite/${token}`;

/** Invitations to join the caller's business; the link (and its secret) is shown once, at creation. */
export function invitationRoutes(app: AppInstance, publicUrl: string | undefined): void {
  app.post(
    '/v1/access/invitations',
    {
      config: { access: { permission: 'access.member.manage' } },
      schema: { tags, summary: 'Invite people: a single-use or limited-use link, optionally for one email address', body: invitationInput, response: { 201: z.object({ data: z.object({ invitation, link: z.string() }) }) } },
    },
    async (request, reply) => {
      const { roles, ...rest } = request.body;
      const created = await createInvitation(serviceContext(request), { ...rest, roleKeys: roles });
      return reply.code(201).send({ data: { invitation: invitationView(created.invitation), link: invitationLink(request, created.token, publicUrl) } });
    },
  );

  app.post(
    '/v1/invitations/accept',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Accept an invitation as the signed-in person (API clients; browsers use the link itself)',
        body: z.strictObject({ token: z.string().min(1).max(200) }),
        response: { 200: z.object({ data: z.object({ tenantId: z.uuid() }) }) },
      },
    },
    async (request) => {
      const actor = request.auth?.actor;
      if (actor?.kind !== 'user' && actor?.kind !== 'api') throw invitationErrors.invalid();
      const data = await app.db.transaction(async (tx) => {
        const user = await getUser(tx, actor.userId);
        if (!user) throw invitationErrors.invalid();
        return acceptInvitation(tx, { actor, requestId: request.id }, request.body.token, user);
      });
      return { data };
    },
  );

  app.get(
    '/v1/access/invitations',
    { config: { access: { permission: 'access.member.read' } }, schema: { tags, summary: 'Invitations, newest first (links are never shown again)', response: { 200: z.object({ data: z.array(invitation) }) } } },
    async (request) => ({ data: (await listInvitations(serviceContext(request))).map(invitationView) }),
  );

  app.post(
    '/v1/access/invitations/:id/revoke',
    {
      config: { access: { permission: 'access.member.manage' } },
      schema: { tags, summary: 'Withdraw an invitation', params: z.strictObject({ id: z.uuid() }), response: { 204: z.undefined() } },
    },
    async (request, reply) => {
      await revokeInvitation(serviceContext(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
