import { createInvite } from '../../../src/modules/community/index.ts';
import { page, resource, unique, type FixtureScope, type Resource, type RouteFixture } from '../../support/route-fixtures.ts';
import { newCommunity, userCtx, type Community } from './support.ts';

/** The community the public join pages are checked against (made once). */
let joinCommunity: Promise<Community> | undefined;
const community: Resource = {
  tenantScoped: false,
  create: async (s) => {
    joinCommunity ??= newCommunity(s.t, `matrix-join-${unique()}`);
    return (await joinCommunity).tenant.slug;
  },
};
const inviteCode: Resource = {
  tenantScoped: false,
  create: async (s) => {
    const made = await (joinCommunity ??= newCommunity(s.t, `matrix-join-${unique()}`));
    const created = await createInvite(userCtx(s.t, made.tenant.id, made.admin.userId), made.tenant.slug, { mode: 'join', maxUses: 1, expiresInDays: 1 });
    return created.path.split('/').at(-1) as string;
  },
};
const JOIN = { community, code: inviteCode };

/** A sign-in of the acting person awaiting verification in the scope's community. */
const pendingSignIn = resource(async (s: FixtureScope) => {
  const { rows } = await s.t.database.pool.query<{ id: string }>(
    "INSERT INTO community_credential (tenant_id, credential_key, user_id, ip) VALUES ($1, 'session:' || gen_random_uuid(), $2, '198.51.100.1') RETURNING id",
    [s.tenant.id, s.userId],
  );
  return (rows[0] as { id: string }).id;
});

const invite = { mode: 'join', maxUses: '2', expiresInDays: '3', note: 'From the matrix', suggestedUsername: '' };

export const routeFixtures: Record<string, RouteFixture> = {
  // Invites and joining from one (public: whoever holds the link).
  'GET /invites': page(),
  'POST /invites': page({ body: invite, status: 201 }),
  'GET /join/:community/:code': page({ params: JOIN }),
  'POST /join/:community/:code': page({
    params: JOIN,
    body: () => {
      const tag = unique();
      return { displayName: `Matrix ${tag}`, username: `matrix_${tag}`, email: `matrix-${tag}@join.example`, password: `pw-${tag}-long-enough` };
    },
  }),
  // Verifying the sign-in (the matrix's actors are verified: these answer as for a verified sign-in).
  'GET /verify': page(),
  'POST /verify/code': page(),
  'POST /verify': page({ body: { code: '123456' } }),
  // Administrators decide sign-ins.
  'GET /admin/sessions': page(),
  'POST /admin/sessions/:id/approve': page({ params: { id: pendingSignIn } }),
  'POST /admin/sessions/:id/deny': page({ params: { id: pendingSignIn } }),
};
