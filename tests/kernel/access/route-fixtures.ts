import { api, page, resource, unique, type FixtureScope, type RouteFixture } from '../../support/route-fixtures.ts';

const newRole = () => ({ key: `matrix_${unique()}`, name: 'Matrix role', permissions: [] });
export const customRole = resource(async (s) => (await s.asOwner('POST', '/v1/access/roles', newRole())).id);
export const member = resource((s) => s.newMember());
/** A custom role with no permissions: anyone who may invite may hand it out. */
const emptyRoleKey = async (s: FixtureScope) => (await s.asOwner<{ key: string }>('POST', '/v1/access/roles', newRole())).key;
const invitation = resource(async (s) => (await s.asOwner<{ invitation: { id: string } }>('POST', '/v1/access/invitations', { roles: [await emptyRoleKey(s)] })).invitation.id);
/** An invitation link's token: the path parameter of /invite/:token. */
export const invitationToken = async (s: FixtureScope) =>
  new URL((await s.asOwner<{ link: string }>('POST', '/v1/access/invitations', { roles: [await emptyRoleKey(s)] })).link).pathname.split('/').at(-1) as string;

export const routeFixtures: Record<string, RouteFixture> = {
  // About oneself.
  'GET /v1/me/permissions': api(),

  // Roles and members.
  'GET /v1/access/roles': api(),
  'POST /v1/access/roles': api({ body: newRole }),
  'PATCH /v1/access/roles/:id': api({ params: { id: customRole }, body: { name: 'Renamed role' } }),
  'GET /v1/access/members': api(),
  'PUT /v1/access/members/:userId/roles': api({ params: { userId: member }, body: { roles: [] } }),
  'PUT /v1/access/members/:userId/status': api({ params: { userId: member }, body: { status: 'suspended' } }),

  'POST /v1/access/members/:userId/sign-out': api({ params: { userId: member } }),

  // Team and role pages.
  'GET /access/members': page(),
  'POST /access/members/:userId/roles': page({ params: { userId: member }, body: { roles: [] } }),
  'POST /access/members/:userId/status': page({ params: { userId: member }, body: { status: 'suspended' } }),
  'POST /access/members/:userId/sign-out': page({ params: { userId: member } }),
  'GET /access/roles': page(),
  'GET /access/roles/new': page(),
  'POST /access/roles': page({ body: newRole }),
  'GET /access/roles/:id/edit': page({ params: { id: customRole } }),
  'POST /access/roles/:id': page({ params: { id: customRole }, body: newRole }),

  // Invitations.
  'GET /v1/access/invitations': api(),
  'POST /v1/access/invitations': api({ body: async (s) => ({ roles: [await emptyRoleKey(s)] }) }),
  'POST /v1/access/invitations/:id/revoke': api({ params: { id: invitation } }),
  'GET /access/invitations': page(),
  'POST /access/invitations': page({ body: async (s) => ({ roles: [await emptyRoleKey(s)], maxUses: '1', validDays: '7' }), status: 201 }),
  'POST /access/invitations/:id/revoke': page({ params: { id: invitation } }),
  'POST /v1/invitations/accept': api({
    // Into the other business: the actor is already a member of its own.
    body: async (s) => {
      const other = s.tenant.id === s.t.tenantA.id ? 'tenant-b' : 'tenant-a';
      const response = await s.t.app.inject({ method: 'POST', url: '/v1/access/invitations', headers: await s.t.headersFor(other), payload: { roles: ['cashier'] } });
      return { token: new URL((response.json() as { data: { link: string } }).data.link).pathname.split('/').at(-1) };
    },
  }),
};
