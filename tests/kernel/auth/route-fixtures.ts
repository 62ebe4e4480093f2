import { generate } from 'otplib';
import { beginTotpEnrolment, confirmTotpEnrolment, createSession, deriveIdentityKeys, issueOneTimeToken, issueTokenPair, type OneTimePurpose } from '../../../src/kernel/identity/index.ts';
import { api, page, resource, unique, type Fields, type FixtureScope, type Resource, type RouteFixture } from '../../support/route-fixtures.ts';
import { customRole, invitationToken, member } from '../access/route-fixtures.ts';

/** The tenant owner's email and password: what a person signing in types. */
async function ownerCredentials(s: FixtureScope): Promise<Fields> {
  const owner = await s.t.ownerOf(s.tenant.slug);
  return { email: owner.email, password: owner.password };
}

async function refreshToken(s: FixtureScope): Promise<Fields> {
  const pair = await issueTokenPair(s.t.app.db, deriveIdentityKeys(s.t.rootSecret), { userId: s.userId, tenantId: s.tenant.id });
  return { refreshToken: pair.refreshToken };
}

const terminal = resource(async (s) => (await s.asOwner('POST', '/v1/terminals', { name: `Till ${unique()}` })).id);
/** A session belongs to a person, not a business: someone else's answers 404 like a missing one (tests/kernel/auth). */
const ownSession: Resource = { create: async (s) => (await createSession(s.t.app.db, { userId: s.userId, activeTenantId: s.tenant.id })).session.id, tenantScoped: false };

/**
 * An emailed link's token (password reset, address verification) for a fresh member: spending
 * it must not sign out or re-password the owner whose credentials later checks use.
 */
const oneTimeLink = (purpose: OneTimePurpose): Resource => ({
  create: async (s) => (await issueOneTimeToken(s.t.app.db, { userId: await s.newMember(), purpose })).token,
  tenantScoped: false,
});

const totpKeys = (s: FixtureScope) => deriveIdentityKeys(s.t.rootSecret);
const totpNow = (secret: string, offsetSeconds = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });
async function startedTotp(s: FixtureScope): Promise<string> {
  return (await beginTotpEnrolment(s.t.app.db, totpKeys(s), { userId: s.userId, issuer: 'Plinth' })).secret;
}

export const routeFixtures: Record<string, RouteFixture> = {
  // Administrators' side of the authentication policies.
  'GET /v1/access/members/:userId/sessions': api({ params: { userId: member } }),
  'POST /v1/access/members/:userId/temporary-password': api({ params: { userId: member } }),
  'PUT /v1/access/roles/:id/two-step': api({ params: { id: customRole }, body: { required: true } }),
  'GET /access/members/:userId/security': page({ params: { userId: member } }),
  'POST /access/members/:userId/temporary-password': page({ params: { userId: member }, status: 200 }),
  'POST /access/roles/:id/two-step': page({ params: { id: customRole }, body: { required: 'true' } }),
  // Signing in and out.
  'GET /sign-in': page(),
  'POST /sign-in': page({ body: async (s) => ({ ...(await ownerCredentials(s)), next: '/' }) }),
  // Enrolment while a sign-in waits; a browser with no sign-in waiting is sent back to the sign-in page (tests/kernel/auth/sign-in-two-step.test.ts covers the rest).
  'GET /sign-in/two-step': page({ status: 303 }),
  'POST /sign-in/two-step': page({ body: { code: '000000' } }),
  'POST /v1/auth/token': api({ body: ownerCredentials }),
  'POST /v1/auth/token/refresh': api({ body: refreshToken }),

  // Password reset and address verification. Requests name fresh addresses: the per-address mail limit stays out of the way.
  'POST /v1/auth/password-reset': api({ body: () => ({ email: `matrix-${unique()}@example.test` }) }),
  'POST /v1/auth/password-reset/confirm': api({
    body: async (s) => ({ token: (await issueOneTimeToken(s.t.app.db, { userId: await s.newMember(), purpose: 'password_reset' })).token, password: 'amber-willow-harbour-7' }),
  }),
  'GET /forgot-password': page(),
  'POST /forgot-password': page({ body: () => ({ email: `matrix-${unique()}@example.test` }) }),
  'GET /reset-password/:token': page({ params: { token: oneTimeLink('password_reset') } }),
  'POST /reset-password/:token': page({ params: { token: oneTimeLink('password_reset') }, body: { password: 'amber-willow-harbour-7' } }),
  'POST /account/verify-email': page(),
  'GET /verify-email/:token': page({ params: { token: oneTimeLink('email_verification') } }),
  'POST /verify-email/:token': page({ params: { token: oneTimeLink('email_verification') }, status: 200 }),
  'POST /sign-out': page(),

  // An invitation link's pages (the invitations themselves are access's).
  'GET /invite/:token': page({ params: { token: { create: invitationToken, tenantScoped: false } } }),
  'POST /invite/:token': page({
    params: { token: { create: invitationToken, tenantScoped: false } },
    body: () => ({ displayName: 'Matrix person', email: `matrix-${unique()}@example.test`, password: 'amber-willow-harbour-7' }),
  }),

  // Terminals and staff PINs.
  'GET /v1/terminals': api(),
  'POST /v1/terminals': api({ body: () => ({ name: `Till ${unique()}` }) }),
  'POST /v1/terminals/:id/revoke': api({ params: { id: terminal } }),
  'PUT /v1/me/pin': api({ body: { pin: '482913' } }),
  'POST /account/security/pin': page({ body: { pin: '482913' }, status: 303 }),
  'POST /v1/auth/terminal/pin': api({
    body: async (s) => {
      const till = await s.asOwner<{ id: string; deviceSecret: string }>('POST', '/v1/terminals', { name: `Till ${unique()}` });
      await s.asOwner('PUT', '/v1/me/pin', { pin: '482913' });
      return { tenant: s.tenant.slug, deviceId: till.id, deviceSecret: till.deviceSecret, userId: s.userId, pin: '482913' };
    },
  }),

  // Account pages and one's own sessions.
  'GET /account': page(),
  'POST /account/tenant': page({ body: (s) => ({ tenant: s.tenant.slug }) }),
  'GET /account/sessions': page(),
  'POST /account/sessions/:id/revoke': page({ params: { id: ownSession } }),
  'POST /account/sessions/revoke-others': page(),
  'GET /v1/me/sessions': api(),
  'DELETE /v1/me/sessions/:id': api({ params: { id: ownSession } }),
  'GET /account/security': page(),
  'POST /account/security/totp': page({ status: 200 }),
  'POST /account/security/totp/confirm': page({ status: 200, body: async (s) => ({ code: await totpNow(await startedTotp(s)) }) }),
  'POST /account/security/totp/disable': page({
    body: async (s) => {
      // Anonymous checks build bodies as the owner, whom two-step sign-in must not lock out of later checks.
      if (s.userId === (await s.t.ownerOf(s.tenant.slug)).userId) return { code: '000000' };
      const secret = await startedTotp(s);
      await confirmTotpEnrolment(s.t.app.db, totpKeys(s), s.userId, await totpNow(secret));
      // The confirmation spent this time step's code; the next step's is still good.
      return { code: await totpNow(secret, 30) };
    },
  }),
};
