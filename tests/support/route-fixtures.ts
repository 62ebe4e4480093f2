/**
 * How to make a valid request to each route, for the access matrix
 * (tests/kernel/http/route-matrix.test.ts). Every route the app registers needs an entry, keyed
 * `"METHOD /url"` exactly as Fastify records it (path parameters as `:name`); a route without
 * one fails the matrix. From the entry and the route's declared access policy the matrix checks:
 *
 * - `public`: an anonymous request succeeds (nothing demands a sign-in);
 * - `authenticated`: anonymous → 401 AUTHN (a page: 303 to /sign-in), a signed-in user → success;
 * - `{ permission }`: anonymous → 401 AUTHN (a page: 303 to /sign-in); a member holding every
 *   declared permission except that one → 403 AUTHZ (reason PERMISSION_REQUIRED); a member
 *   holding only that one → success;
 * - any non-public route whose url names tenant resources: their ids in the other tenant get
 *   exactly the same 404 as ids that exist nowhere (status, and the whole body: code, message and
 *   details of a JSON envelope; a page's HTML apart from its CSRF tokens).
 * A page is asked twice where it matters: as a browser (HTML) and asking for JSON.
 *
 * Adding a fixture:
 * 1. Pick the client: `api()` (JSON, bearer token), `sessionApi()` (JSON, browser session cookie
 *    and the X-CSRF-Token header) or `page()` (a browser: session cookie, Accept: text/html, form
 *    posts carrying `_csrf`, which the matrix adds).
 * 2. `params`: one resource per `:name` in the url, which creates it in a given tenant and returns
 *    its id (see `product`, `customRole`, `member` below; add one next to them for a new kind).
 *    Something a person owns (a session) is made for `scope.userId`: the actor for success, the
 *    other tenant's owner for the foreign-id check. `value(...)`: a parameter naming no resource.
 * 3. `body` (JSON, or form fields for a page) and `query`, valid for the route; a function when it
 *    must be fresh each time (unique SKUs and keys) or needs set-up.
 * 4. `status` when success is not the default: any 2xx for `api`/`sessionApi`; 200 for a page, 303 for its form posts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { generate } from 'otplib';
import Stripe from 'stripe';
import { beginTotpEnrolment, confirmTotpEnrolment, createSession, deriveIdentityKeys, issueOneTimeToken, issueTokenPair, type OneTimePurpose } from '../../src/kernel/identity/index.ts';
import { signUnsubscribeToken, unsubscribeKey } from '../../src/kernel/notify/index.ts';
import { exportTenant } from '../../src/kernel/tenancy/backup/index.ts';
import type { Tenant } from '../../src/kernel/tenancy/index.ts';
import { renderExport } from '../../src/modules/reports/index.ts';
import { ISLAND_ASSET_PREFIX, islandScriptUrl } from '../../src/web/islands/index.ts';
import { TEST_STRIPE_WEBHOOK_SECRET, type TestApp } from './app.ts';

/** `api`: JSON with a bearer token; `session-api`: JSON with the browser session; `page`: a browser reading HTML and posting forms. */
export type Client = 'api' | 'session-api' | 'page';

/** A JSON body, or a page's form fields (strings, or arrays for repeated fields). */
export type Fields = Record<string, unknown>;

/** What a resource or body builder can use. */
export interface FixtureScope {
  t: TestApp;
  /** The tenant the request works in (for a foreign resource: the other tenant). */
  tenant: Tenant;
  /** Who acts: the signed-in user making the request; the tenant's owner for anonymous requests and foreign resources. */
  userId: string;
  /** A JSON request as the tenant's owner; answers the `data` of a 2xx response (undefined when empty) and throws on anything else. */
  asOwner<T = { id: string }>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: Fields): Promise<T>;
  /** A new member of the tenant holding exactly these permissions (none by default); answers the user id. */
  newMember(permissions?: readonly string[]): Promise<string>;
}

export interface Resource {
  /** Creates the resource in `scope.tenant` and answers the path parameter's value (its id). */
  create(scope: FixtureScope): Promise<string>;
  /** False for a parameter that names no tenant resource (no foreign-id check). */
  tenantScoped: boolean;
  /** A value that names nothing anywhere; a random UUID by default. */
  missing?: () => string;
}

export interface RouteFixture {
  client: Client;
  params?: Record<string, Resource>;
  query?: Record<string, string>;
  body?: Fields | ((scope: FixtureScope & { params: Record<string, string> }) => Fields | Promise<Fields>);
  /** The status of success; by default any 2xx for the API, 200 for a page and 303 for its form posts. */
  status?: number;
  /** Permissions the use case checks beyond the route's own (success is then asked of a member holding those too). */
  alsoHolds?: readonly string[];
  /** Headers computed over the exact JSON body sent (a provider's webhook signature). */
  headers?: (body: Fields) => Record<string, string>;
}

type Options = Omit<RouteFixture, 'client'>;
export const api = (options: Options = {}): RouteFixture => ({ client: 'api', ...options });
export const sessionApi = (options: Options = {}): RouteFixture => ({ client: 'session-api', ...options });
export const page = (options: Options = {}): RouteFixture => ({ client: 'page', ...options });

const unique = () => randomBytes(4).toString('hex');
const resource = (create: Resource['create']): Resource => ({ create, tenantScoped: true });
/** A path parameter that is the same in every tenant (a slug, an action name). */
export const value = (fixed: string): Resource => ({ create: async () => fixed, tenantScoped: false });

const newProduct = () => ({ name: `Matrix ${unique()}`, sku: `MX-${unique()}`, priceMinor: 250, currency: 'EUR' });
const productForm = () => ({ name: `Matrix ${unique()}`, sku: `MX-${unique()}`, price: '2.50', currency: 'EUR', active: 'true' });
const newRole = () => ({ key: `matrix_${unique()}`, name: 'Matrix role', permissions: [] });

const product = resource(async (s) => (await s.asOwner('POST', '/v1/catalog/products', newProduct())).id);
const customRole = resource(async (s) => (await s.asOwner('POST', '/v1/access/roles', newRole())).id);
const member = resource((s) => s.newMember());

// Locations and inventory: every stock use case needs a location (and usually a product) of the tenant.
const newLocation = () => ({ name: `Matrix shop ${unique()}`, code: `MX${unique()}`, timeZone: 'UTC' });
const locationForm = () => ({ name: `Matrix shop ${unique()}`, code: `MX${unique()}`, address: '', timeZone: 'UTC' });
const newLocationId = async (s: FixtureScope) => (await s.asOwner('POST', '/v1/locations', newLocation())).id;
const newProductId = async (s: FixtureScope) => (await s.asOwner('POST', '/v1/catalog/products', newProduct())).id;
const location = resource(newLocationId);
/** A location holding 5 of a new product: what sending a transfer from it needs. */
async function stockedLocation(s: FixtureScope): Promise<{ locationId: string; productId: string }> {
  const [locationId, productId] = [await newLocationId(s), await newProductId(s)];
  await s.asOwner('POST', '/v1/inventory/receipts', { locationId, lines: [{ productId, quantity: 5 }] });
  return { locationId, productId };
}
const count = resource(async (s) => (await s.asOwner('POST', '/v1/inventory/counts', { locationId: await newLocationId(s) })).id);
async function draftTransferId(s: FixtureScope): Promise<string> {
  const { locationId, productId } = await stockedLocation(s);
  return (await s.asOwner('POST', '/v1/inventory/transfers', { fromLocationId: locationId, toLocationId: await newLocationId(s), lines: [{ productId, quantity: 2 }] })).id;
}
const draftTransfer = resource(draftTransferId);
const sentTransfer = resource(async (s) => {
  const id = await draftTransferId(s);
  await s.asOwner('POST', `/v1/inventory/transfers/${id}/send`);
  return id;
});
const ITEM = { locationId: location, productId: product };

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
/** A custom role with no permissions: anyone who may invite may hand it out. */
const emptyRoleKey = async (s: FixtureScope) => (await s.asOwner<{ key: string }>('POST', '/v1/access/roles', newRole())).key;
const invitation = resource(async (s) => (await s.asOwner<{ invitation: { id: string } }>('POST', '/v1/access/invitations', { roles: [await emptyRoleKey(s)] })).invitation.id);
/** An invitation link's token: the path parameter of /invite/:token. */
const invitationToken = async (s: FixtureScope) =>
  new URL((await s.asOwner<{ link: string }>('POST', '/v1/access/invitations', { roles: [await emptyRoleKey(s)] })).link).pathname.split('/').at(-1) as string;
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

/** A job that failed its last retry, for the tenant's event, on a queue that exists (so retrying it succeeds). */
const deadLetter = resource(async (s) => {
  const owner = s.t.database.pool;
  await owner.query(`SELECT pgboss.create_queue('jobs.matrix', '{"policy":"standard"}')`);
  const data = { id: randomUUID(), type: 'jobs.matrix.happened', tenantId: s.tenant.id, payload: {}, occurredAt: new Date().toISOString(), handler: 'jobs.matrix' };
  const { rows } = await owner.query<{ id: string }>(`INSERT INTO pgboss.job (name, data, output) VALUES ('jobs.dead-letter', $1, '{"message":"matrix"}') RETURNING id`, [data]);
  return (rows[0] as { id: string }).id;
});

const PRODUCT = { id: product };

/**
 * POS: a till ready to sell, made as the owner: a location holding stock of a fresh product, a
 * register there (no terminal: people signed in elsewhere may work any register) and an open shift.
 */
async function posTill(s: FixtureScope): Promise<{ registerId: string; shiftId: string; productId: string }> {
  const tag = unique();
  const location = await s.asOwner('POST', '/v1/locations', { name: `Matrix shop ${tag}`, code: `MX${tag}`, timeZone: 'UTC' });
  const item = await s.asOwner('POST', '/v1/catalog/products', { name: `Matrix ${tag}`, sku: `MX-${tag}`, priceMinor: 250, currency: 'EUR' });
  await s.asOwner('POST', '/v1/inventory/receipts', { locationId: location.id, lines: [{ productId: item.id, quantity: 5 }] });
  const register = await s.asOwner('POST', '/v1/pos/registers', {
    locationId: location.id,
    name: `Matrix till ${tag}`,
    code: `M${tag}`,
    currency: 'EUR',
    taxRates: [{ code: 'STD', label: 'VAT', rateBp: 1900 }],
    defaultTaxCode: 'STD',
  });
  const opened = await s.asOwner<{ shift: { id: string } }>('POST', `/v1/pos/registers/${register.id}/shifts`, { openingFloatMinor: 1000 });
  return { registerId: register.id, shiftId: opened.shift.id, productId: item.id };
}
const posSaleBody = (till: { registerId: string; shiftId: string; productId: string }) => ({
  id: randomUUID(),
  registerId: till.registerId,
  shiftId: till.shiftId,
  soldAt: new Date().toISOString(),
  lines: [{ productId: till.productId, quantity: 1 }],
  tenders: [{ kind: 'cash', amountMinor: 250 }],
});
/** Refunds and voids need pos.ticket.refund / pos.ticket.void beyond the route's permission: the owner approves with their PIN. */
async function posOverride(s: FixtureScope): Promise<Fields> {
  await s.asOwner('PUT', '/v1/me/pin', { pin: '482913' });
  return { userId: (await s.t.ownerOf(s.tenant.slug)).userId, pin: '482913' };
}
const POS_REGISTER = { id: resource(async (s) => (await posTill(s)).registerId) };
const POS_SHIFT = { id: resource(async (s) => (await posTill(s)).shiftId) };
/** A register bound to a live terminal: what revoking its terminal needs. */
const posBoundRegister = resource(async (s) => {
  const { registerId } = await posTill(s);
  const device = await s.asOwner('POST', '/v1/terminals', { name: `Matrix till ${unique()}` });
  await s.asOwner('PATCH', `/v1/pos/registers/${registerId}`, { deviceId: device.id });
  return registerId;
});
const posSale = resource(async (s) => (await s.asOwner('POST', '/v1/pos/sales', posSaleBody(await posTill(s)))).id);
const posVoucher: Resource = {
  create: async (s) => (await s.asOwner<{ code: string }>('POST', '/v1/pos/vouchers', { code: `MX-${unique()}`, currency: 'EUR', amountMinor: 1000 })).code,
  tenantScoped: true,
  missing: () => `MX-${unique()}`,
};
/** Reports: a closed shift (its Z report), and a CSV export rendered at once (as its job would) so it can be downloaded. */
const REPORTS_CLOSED_SHIFT = {
  id: resource(async (s) => {
    const till = await posTill(s);
    await s.asOwner('POST', `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 1000 });
    return till.shiftId;
  }),
};
const REPORTS_EXPORT = {
  id: resource(async (s) => {
    const requested = await s.asOwner('POST', '/v1/reports/exports', { report: 'shifts' });
    await renderExport({ db: s.t.app.db, tenantId: s.tenant.id, actor: { kind: 'system', process: 'route-matrix' }, requestId: 'route-matrix', log: s.t.app.log }, requested.id);
    return requested.id;
  }),
};
const posTicketChange = async (s: FixtureScope) => ({ id: randomUUID(), registerId: (await posTill(s)).registerId, reason: 'Matrix', override: await posOverride(s) });

/** A support ticket opened through the API, with one text file attached (its id kept for the attachment parameter). */
const newTicket = () => ({ subject: `Matrix ${unique()}`, body: 'The matrix needs help.', category: 'technical', priority: 'normal' });
const ticketFiles = new Map<string, string>();
const ticketWithFile = async (s: FixtureScope) => {
  const created = await s.asOwner<{ id: string; attachments: { id: string }[] }>('POST', '/v1/support/tickets', {
    ...newTicket(),
    attachments: [{ fileName: 'matrix.txt', contentType: 'text/plain', contentBase64: Buffer.from('matrix').toString('base64') }],
  });
  ticketFiles.set(s.tenant.id, created.attachments[0]?.id ?? '');
  return created.id;
};
const supportTicket = resource(ticketWithFile);
/** The file of the ticket last made in the same tenant (parameters are made in url order: the ticket first). */
const supportAttachment = resource(async (s) => ticketFiles.get(s.tenant.id) ?? randomUUID());
/** A resolved ticket (staff resolve tickets; set here directly, as the owner), which its business may reopen. */
const resolvedTicket = resource(async (s) => {
  const id = await ticketWithFile(s);
  await s.t.database.pool.query(`UPDATE support_ticket SET status = 'resolved', resolved_at = now() WHERE id = $1`, [id]);
  return id;
});
/**
 * The staff console's ticket parameters. Staff routes need platform.support.*, so the matrix acts
 * in the platform tenant; the tickets are a business's (tenant A's, opened by its owner), found
 * from there through the support module's SECURITY DEFINER inbox functions, and named across
 * tenants (not tenant-scoped).
 */
let businessFile = '';
const businessTicket = async (s: FixtureScope) => {
  const headers = await s.t.headersFor(s.t.tenantA.slug);
  const payload = { ...newTicket(), attachments: [{ fileName: 'matrix.txt', contentType: 'text/plain', contentBase64: Buffer.from('matrix').toString('base64') }] };
  const response = await s.t.app.inject({ method: 'POST', url: '/v1/support/tickets', headers, payload });
  if (response.statusCode !== 201) throw new Error(`set-up business ticket answered ${response.statusCode}: ${response.body}`);
  const created = (response.json() as { data: { id: string; attachments: { id: string }[] } }).data;
  businessFile = created.attachments[0]?.id ?? '';
  return created.id;
};
const staffTicket: Resource = { create: businessTicket, tenantScoped: false };
/** The file of the business ticket made just before (parameters are made in url order: the ticket first). */
const staffAttachment: Resource = { create: async () => businessFile || randomUUID(), tenantScoped: false };
const SUPPORT_TICKET = { id: supportTicket };

/**
 * Platform console resources. Their routes are checked with members of the platform tenant, and
 * businesses are named by id across tenants (not tenant-scoped). Set-up writes with the owner's
 * pool where going through the console would itself need a platform member.
 */
async function signedUpBusiness(s: FixtureScope): Promise<string> {
  const tag = unique();
  const payload = { businessName: `Matrix ${tag}`, slug: `matrix-${tag}`, edition: 'retail', ownerName: 'Matrix owner', email: `matrix-${tag}@example.test`, password: 'amber-willow-harbour-7' };
  const response = await s.t.app.inject({ method: 'POST', url: '/v1/platform/signups', payload });
  if (response.statusCode !== 201) throw new Error(`set-up sign-up answered ${response.statusCode}: ${response.body}`);
  return (response.json() as { data: { tenantId: string } }).data.tenantId;
}
const businessIn = (status: 'pending' | 'active' | 'suspended'): Resource => ({
  create: async (s) => {
    const id = await signedUpBusiness(s);
    if (status !== 'pending') await s.t.database.pool.query('UPDATE tenant SET status = $1 WHERE id = $2', [status, id]);
    return id;
  },
  tenantScoped: false,
});
const PENDING_BUSINESS = { id: businessIn('pending') };
const ACTIVE_BUSINESS = { id: businessIn('active') };
const SUSPENDED_BUSINESS = { id: businessIn('suspended') };
const newPlan = () => ({ key: `matrix-${unique()}`, name: 'Matrix plan', priceMinor: 2900, currency: 'EUR', interval: 'month', maxMembers: 50, modules: null });
async function planId(s: FixtureScope): Promise<string> {
  const plan = newPlan();
  const { rows } = await s.t.database.pool.query<{ id: string }>(
    `INSERT INTO platform_plan (key, name, price_minor, currency, interval, max_members) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [plan.key, plan.name, plan.priceMinor, plan.currency, plan.interval, plan.maxMembers],
  );
  return (rows[0] as { id: string }).id;
}
const PLAN = { id: { create: planId, tenantScoped: false } };
const planForm = () => ({ key: `matrix-${unique()}`, name: 'Matrix plan', price: '29.00', currency: 'EUR', interval: 'month', stripePriceId: '', maxMembers: '5', maxLocations: '', maxTerminals: '2', allModules: 'true' });
const announcementWindow = () => ({ startsAt: new Date(Date.now() + 86_400_000).toISOString(), endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString() });
const newAnnouncement = () => ({ title: `Matrix ${unique()}`, body: 'Nothing to see.', ...announcementWindow() });
const ANNOUNCEMENT = {
  id: {
    create: async (s: FixtureScope) => {
      const { rows } = await s.t.database.pool.query<{ id: string }>(
        `INSERT INTO platform_announcement (kind, title, body, severity, audience, visible_from, starts_at, ends_at)
         VALUES ('announcement', 'Matrix', 'Matrix body', 'info', 'tenants', now() + interval '1 day', now() + interval '1 day', now() + interval '2 days') RETURNING id`,
      );
      return (rows[0] as { id: string }).id;
    },
    tenantScoped: false,
  },
};
/** A finished backup of a new active business, written into the app's backup folder the way the job writes it. */
const DONE_BACKUP = {
  id: {
    create: async (s: FixtureScope) => {
      const tenantId = await ACTIVE_BUSINESS.id.create(s);
      const id = randomUUID();
      const filePath = path.join(s.t.config.backupDir, `matrix-${id}.jsonl.gz`);
      const { sha256, sizeBytes } = await exportTenant(s.t.app.db, { backupId: id, tenantId, filePath });
      await s.t.database.pool.query(
        `INSERT INTO tenant_backup (id, kind, source_tenant_id, status, file_path, size_bytes, sha256, requested_by) VALUES ($1, 'backup', $2, 'done', $3, $4, $5, 'matrix')`,
        [id, tenantId, filePath, sizeBytes, sha256],
      );
      return id;
    },
    tenantScoped: false,
  },
};
const signupForm = () => {
  const tag = unique();
  return { businessName: `Matrix ${tag}`, slug: `matrix-${tag}`, edition: 'retail', ownerName: 'Matrix owner', email: `matrix-${tag}@example.test`, password: 'amber-willow-harbour-7' };
};

/** Billing: a plan with a Stripe price (the test app subscribes through the fake provider), and the tenant subscribed to one. */
async function billablePlanKey(s: FixtureScope): Promise<string> {
  const key = `matrix-${unique()}`;
  await s.t.database.pool.query(`INSERT INTO platform_plan (key, name, price_minor, currency, interval, stripe_price_id) VALUES ($1, 'Matrix billed', 1900, 'EUR', 'month', $2)`, [key, `price_${unique()}`]);
  return key;
}
async function subscribedTenant(s: FixtureScope): Promise<Fields> {
  await s.asOwner('POST', '/v1/billing/subscription', { planKey: await billablePlanKey(s) });
  return {};
}

export const ROUTE_FIXTURES: Record<string, RouteFixture> = {
  // Public: the start page, sign-in, docs and probes.
  'GET /': page(),
  'GET /assets/plinth.css': api(),
  'GET /docs': page(),
  'GET /openapi.json': api(),
  'GET /health': api(),
  'GET /ready': api(),
  'GET /metrics': api(),
  'POST /v1/webhooks/:provider': api({
    params: { provider: value('stripe') },
    body: () => ({ id: `evt_${unique()}`, object: 'event', type: 'payment_intent.succeeded', data: { object: {} } }),
    headers: (body) => ({ 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: JSON.stringify(body), secret: TEST_STRIPE_WEBHOOK_SECRET }) }),
  }),
  'GET /sign-in': page(),
  'POST /sign-in': page({ body: async (s) => ({ ...(await ownerCredentials(s)), next: '/' }) }),
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

  // About oneself.
  'GET /v1/me/permissions': api(),
  // The realtime gateway is a WebSocket route: the matrix's plain GET runs the whole guard on it
  // (anonymous → 401), and a signed-in request that passed the guard is told to upgrade (426).
  // The handshake itself, origin check and protocol are tested in tests/kernel/realtime.
  'GET /v1/realtime': api({ status: 426 }),
  'POST /sign-out': page(),

  // Audit and security events.
  'GET /v1/audit/events': api(),
  'GET /v1/audit/events.csv': api(),
  'GET /v1/audit/verify': api(),
  'GET /v1/security/events': api(),
  'GET /v1/jobs/dead-letters': api(),
  'POST /v1/jobs/dead-letters/:id/retry': api({ params: { id: deadLetter } }),
  'POST /v1/jobs/dead-letters/:id/discard': api({ params: { id: deadLetter } }),

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

  // Notifications. A signed unsubscribe token names its tenant's id, which a fixed query cannot
  // carry: the matrix opens the page anonymously with an unsigned one (refused with its page);
  // tests/kernel/notify opens signed links. The one-click POST gets a signed token in its body.
  'GET /v1/notify/deliveries': api(),
  'GET /notify/deliveries': page(),
  'GET /v1/notify/settings': api(),
  'PUT /v1/notify/settings': api({ body: { senderName: 'Matrix shop', replyTo: null, quietHours: { start: '22:00', end: '07:00' }, timeZone: 'UTC', smsEnabled: true } }),
  'GET /settings/notifications': page(),
  'POST /settings/notifications': page({ body: { senderName: 'Matrix shop', replyTo: '', quietStart: '', quietEnd: '', timeZone: '', smsEnabled: 'true' } }),
  // Served only with NOTIFY_SMS_TRANSPORT=twilio (Twilio's signature is the credential); the test
  // app has no Twilio account, so it answers 404 like an unknown path. tests/kernel/notify/twilio.test.ts signs real requests.
  'POST /v1/notify/sms/inbound/twilio': api({ body: { From: '+15550001111', To: '+15017122661', Body: 'STOP' }, status: 404 }),
  'GET /notify/unsubscribe': page({ query: { token: 'unsigned' }, status: 400 }),
  'POST /notify/unsubscribe': api({
    body: (s) => ({ token: signUnsubscribeToken(unsubscribeKey(s.t.rootSecret), { tenantId: s.tenant.id, channel: 'email', recipient: 'matrix@example.test' }) }),
  }),

  // Catalog API.
  'GET /v1/catalog/products': api(),
  'POST /v1/catalog/products': api({ body: newProduct }),
  'GET /v1/catalog/products/:id': api({ params: PRODUCT }),
  'PATCH /v1/catalog/products/:id': api({ params: PRODUCT, body: { name: 'Renamed product' } }),
  'POST /v1/catalog/products/:id/archive': api({ params: PRODUCT }),
  'POST /v1/catalog/products/:id/restore': api({ params: PRODUCT }),

  // Catalog pages.
  'GET /catalog/products': page(),
  'GET /catalog/products/new': page(),
  'POST /catalog/products': page({ body: productForm }),
  'GET /catalog/products/:id/edit': page({ params: PRODUCT }),
  'POST /catalog/products/:id': page({ params: PRODUCT, body: productForm }),
  'POST /catalog/products/:id/archive': page({ params: PRODUCT }),
  'POST /catalog/products/:id/restore': page({ params: PRODUCT }),

  // POS: registers, shifts, sales, refunds, receipts, vouchers.
  'GET /v1/pos/registers': api(),
  'POST /v1/pos/registers': api({
    body: async (s) => {
      const tag = unique();
      const location = await s.asOwner('POST', '/v1/locations', { name: `Matrix shop ${tag}`, code: `MX${tag}`, timeZone: 'UTC' });
      return { locationId: location.id, name: `Till ${tag}`, code: `M${tag}`, currency: 'EUR', taxRates: [{ code: 'STD', label: 'VAT', rateBp: 1900 }], defaultTaxCode: 'STD' };
    },
  }),
  'GET /v1/pos/registers/:id': api({ params: POS_REGISTER }),
  'PATCH /v1/pos/registers/:id': api({ params: POS_REGISTER, body: { name: 'Renamed till' } }),
  'POST /v1/pos/registers/:id/shifts': api({
    // A register whose shift is closed, so a new one may open.
    params: {
      id: resource(async (s) => {
        const till = await posTill(s);
        await s.asOwner('POST', `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 1000 });
        return till.registerId;
      }),
    },
    body: { openingFloatMinor: 1000 },
  }),
  'GET /v1/pos/shifts/:id/report': api({ params: POS_SHIFT }),
  'POST /v1/pos/shifts/:id/cash-movements': api({ params: POS_SHIFT, body: { kind: 'in', amountMinor: 100, reason: 'Matrix' } }),
  'POST /v1/pos/shifts/:id/close': api({ params: POS_SHIFT, body: { countedCashMinor: 1000 } }),
  'POST /v1/pos/sales': api({ body: async (s) => posSaleBody(await posTill(s)) }),
  'GET /v1/pos/sales/:id': api({ params: { id: posSale } }),
  'GET /v1/pos/sales/:id/receipt.txt': api({ params: { id: posSale }, query: { width: '32' } }),
  'GET /v1/pos/sales/:id/refunds': api({ params: { id: posSale } }),
  'POST /v1/pos/sales/:id/refunds': api({ params: { id: posSale }, body: posTicketChange }),
  'POST /v1/pos/sales/:id/void': api({ params: { id: posSale }, body: posTicketChange }),
  'POST /v1/pos/vouchers': api({ body: () => ({ code: `MX-${unique()}`, currency: 'EUR', amountMinor: 1000 }) }),
  'GET /v1/pos/vouchers/:code': api({ params: { code: posVoucher } }),
  'GET /assets/islands/:file': api({ params: { file: { create: async (s) => (await islandScriptUrl(s.t.app, 'pos-register')).slice(ISLAND_ASSET_PREFIX.length), tenantScoped: false } } }),
  'GET /pos/register': page(),
  'GET /pos/register.css': api(),
  'GET /pos/register-sw.js': api(),
  'GET /pos/receipts/:saleId': page({ params: { saleId: posSale } }),
  'GET /pos/registers': page(),
  'POST /pos/registers': page({ body: async (s) => ({ locationId: await newLocationId(s), name: 'Matrix till', code: `M${unique()}`, currency: 'EUR', pricesIncludeTax: 'true', taxCode: 'STD', taxLabel: 'VAT 19%', taxRate: '19', maxDiscount: '20' }) }),
  'GET /pos/registers/:id/edit': page({ params: POS_REGISTER }),
  'POST /pos/registers/:id': page({ params: POS_REGISTER, body: { name: 'Renamed till', maxDiscount: '15' } }),
  'POST /pos/registers/:id/archive': page({ params: POS_REGISTER }),
  'POST /pos/registers/:id/restore': page({ params: POS_REGISTER }),
  'POST /pos/registers/:id/terminal': page({ params: POS_REGISTER, alsoHolds: ['auth.terminal.manage'] }),
  'POST /pos/registers/:id/terminal/revoke': page({ params: { id: posBoundRegister }, alsoHolds: ['auth.terminal.manage'] }),

  // Reports: sales from the read model, closed shifts (Z reports through pos), stock valuation, CSV exports.
  'GET /v1/reports/sales': api({ query: { from: '2026-01-01', to: '2026-01-31', groupBy: 'product' } }),
  'GET /v1/reports/shifts': api(),
  'GET /v1/reports/shifts/:id': api({ params: REPORTS_CLOSED_SHIFT }),
  'GET /v1/reports/stock-valuation': api(),
  'POST /v1/reports/exports': api({ body: { report: 'sales', params: { from: '2026-01-01', to: '2026-01-31', groupBy: 'day' } }, alsoHolds: ['reports.sales.read'] }),
  'GET /v1/reports/exports': api(),
  'GET /v1/reports/exports/:id': api({ params: REPORTS_EXPORT, alsoHolds: ['reports.sales.read'] }),
  'GET /v1/reports/exports/:id/download': api({ params: REPORTS_EXPORT, alsoHolds: ['reports.sales.read'] }),
  'GET /reports': page(),
  'GET /reports/sales': page({ query: { groupBy: 'location' } }),
  'GET /reports/shifts': page(),
  'GET /reports/shifts/:id': page({ params: REPORTS_CLOSED_SHIFT }),
  'GET /reports/stock-valuation': page(),
  'GET /reports/exports': page(),
  'POST /reports/exports': page({ body: { report: 'stock-valuation' }, alsoHolds: ['reports.stock.read'] }),

  // Support tickets: the business's API and pages, and platform staff's console (404 outside the platform tenant).
  'GET /v1/support/tickets': api(),
  'POST /v1/support/tickets': api({ body: newTicket }),
  'GET /v1/support/tickets/:id': api({ params: SUPPORT_TICKET }),
  'POST /v1/support/tickets/:id/messages': api({ params: SUPPORT_TICKET, body: { body: 'A matrix reply.' } }),
  'POST /v1/support/tickets/:id/reopen': api({ params: { id: resolvedTicket } }),
  'POST /v1/support/tickets/:id/close': api({ params: SUPPORT_TICKET }),
  'GET /v1/support/tickets/:id/attachments/:attachmentId': api({ params: { id: supportTicket, attachmentId: supportAttachment } }),
  'GET /v1/support/inbox': api(),
  'GET /support': page(),
  'GET /support/tickets/new': page(),
  'POST /support/tickets': page({ body: newTicket }),
  'GET /support/tickets/:id': page({ params: SUPPORT_TICKET }),
  'POST /support/tickets/:id/messages': page({ params: SUPPORT_TICKET, body: { body: 'A matrix reply.' } }),
  'POST /support/tickets/:id/reopen': page({ params: { id: resolvedTicket } }),
  'POST /support/tickets/:id/close': page({ params: SUPPORT_TICKET }),
  'GET /console/support': page(),
  'GET /console/support/tickets/:id': page({ params: { id: staffTicket } }),
  'POST /console/support/tickets/:id/messages': page({ params: { id: staffTicket }, body: { body: 'A matrix note.', internal: 'true' } }),
  'POST /console/support/tickets/:id/assign': page({ params: { id: staffTicket }, body: { assignee: '' } }),
  'POST /console/support/tickets/:id/status': page({ params: { id: staffTicket }, body: { status: 'open' } }),
  'POST /console/support/tickets/:id/priority': page({ params: { id: staffTicket }, body: { priority: 'high' } }),
  'GET /console/support/tickets/:id/attachments/:attachmentId': api({ params: { id: staffTicket, attachmentId: staffAttachment } }),

  // Locations API and pages.
  'GET /v1/locations': api(),
  'POST /v1/locations': api({ body: newLocation }),
  'GET /v1/locations/:id': api({ params: { id: location } }),
  'PATCH /v1/locations/:id': api({ params: { id: location }, body: { name: 'Renamed shop' } }),
  'POST /v1/locations/:id/archive': api({ params: { id: location } }),
  'POST /v1/locations/:id/restore': api({ params: { id: location } }),
  'GET /locations': page(),
  'POST /locations': page({ body: locationForm }),
  'GET /locations/:id/edit': page({ params: { id: location } }),
  'POST /locations/:id': page({ params: { id: location }, body: locationForm }),
  'POST /locations/:id/archive': page({ params: { id: location } }),
  'POST /locations/:id/restore': page({ params: { id: location } }),

  // Inventory API.
  'GET /v1/inventory/locations/:locationId/stock': api({ params: { locationId: location } }),
  'GET /v1/inventory/locations/:locationId/products/:productId/movements': api({ params: ITEM }),
  'PUT /v1/inventory/locations/:locationId/products/:productId/reorder': api({ params: ITEM, body: { reorderPoint: 2, reorderQuantity: 10 } }),
  'POST /v1/inventory/receipts': api({ body: async (s) => ({ locationId: await newLocationId(s), lines: [{ productId: await newProductId(s), quantity: 3 }], reference: 'DN-1' }) }),
  'POST /v1/inventory/adjustments': api({ body: async (s) => ({ locationId: await newLocationId(s), productId: await newProductId(s), quantityDelta: 1, reason: 'found' }) }),
  'GET /v1/inventory/settings': api(),
  'PUT /v1/inventory/settings': api({ body: { allowNegativeStock: false } }),
  'GET /v1/inventory/counts': api(),
  'POST /v1/inventory/counts': api({ body: async (s) => ({ locationId: await newLocationId(s) }) }),
  'GET /v1/inventory/counts/:id': api({ params: { id: count } }),
  'PUT /v1/inventory/counts/:id/lines': api({ params: { id: count }, body: async (s) => ({ lines: [{ productId: await newProductId(s), counted: 2 }] }) }),
  'POST /v1/inventory/counts/:id/post': api({ params: { id: count } }),
  'POST /v1/inventory/counts/:id/cancel': api({ params: { id: count } }),
  'GET /v1/inventory/transfers': api(),
  'POST /v1/inventory/transfers': api({
    body: async (s) => ({ fromLocationId: await newLocationId(s), toLocationId: await newLocationId(s), lines: [{ productId: await newProductId(s), quantity: 1 }] }),
  }),
  'GET /v1/inventory/transfers/:id': api({ params: { id: draftTransfer } }),
  'POST /v1/inventory/transfers/:id/send': api({ params: { id: draftTransfer } }),
  'POST /v1/inventory/transfers/:id/receive': api({ params: { id: sentTransfer }, body: { lines: [] } }),
  'POST /v1/inventory/transfers/:id/cancel': api({ params: { id: draftTransfer } }),

  // Inventory pages.
  'GET /inventory': page(),
  'GET /inventory/locations/:locationId/products/:productId/history': page({ params: ITEM }),
  'POST /inventory/locations/:locationId/products/:productId/reorder': page({ params: ITEM, body: { reorderPoint: '3', reorderQuantity: '' } }),
  'GET /inventory/receive': page(),
  'POST /inventory/receive': page({ body: async (s) => ({ locationId: await newLocationId(s), productId: await newProductId(s), quantity: '3', reference: 'DN-2', note: '' }) }),
  'GET /inventory/adjust': page(),
  'POST /inventory/adjust': page({ body: async (s) => ({ locationId: await newLocationId(s), productId: await newProductId(s), quantity: '2', note: 'found in back room' }) }),
  'GET /inventory/settings': page(),
  'POST /inventory/settings': page({ body: { allowNegativeStock: 'false' } }),
  'GET /inventory/counts': page(),
  'POST /inventory/counts': page({ body: async (s) => ({ locationId: await newLocationId(s) }) }),
  'GET /inventory/counts/:id': page({ params: { id: count } }),
  'POST /inventory/counts/:id/lines': page({ params: { id: count }, body: async (s) => ({ addProductId: await newProductId(s), addCounted: '4' }) }),
  'POST /inventory/counts/:id/post': page({ params: { id: count } }),
  'POST /inventory/counts/:id/cancel': page({ params: { id: count } }),
  'GET /inventory/transfers': page(),
  'POST /inventory/transfers': page({
    body: async (s) => ({ fromLocationId: await newLocationId(s), toLocationId: await newLocationId(s), productId: await newProductId(s), quantity: '1', note: '' }),
  }),
  'GET /inventory/transfers/:id': page({ params: { id: draftTransfer } }),
  'POST /inventory/transfers/:id/send': page({ params: { id: draftTransfer } }),
  'POST /inventory/transfers/:id/receive': page({
    params: { id: sentTransfer },
    // One `received.<productId>` field per line, as the page sends; a transfer the scope cannot read gets a field naming no line.
    body: async (s) => {
      const lines = await s.asOwner<{ lines: { productId: string; quantity: number }[] }>('GET', `/v1/inventory/transfers/${s.params.id}`).then(
        (transfer) => transfer.lines,
        () => [{ productId: randomUUID(), quantity: 1 }],
      );
      return Object.fromEntries(lines.map((line) => [`received.${line.productId}`, String(line.quantity)]));
    },
  }),
  'POST /inventory/transfers/:id/cancel': page({ params: { id: draftTransfer } }),

  // Platform: public sign-up, then the console (members of the platform tenant only).
  'GET /signup': page(),
  'POST /signup': page({ body: signupForm }),
  'POST /v1/platform/signups': api({ body: signupForm }),
  'GET /v1/platform/tenants': api(),
  'GET /v1/platform/tenants/:id': api({ params: ACTIVE_BUSINESS }),
  'POST /v1/platform/tenants/:id/approve': api({ params: PENDING_BUSINESS }),
  'POST /v1/platform/tenants/:id/reject': api({ params: PENDING_BUSINESS, body: { reason: 'Not a business we can serve.' } }),
  'POST /v1/platform/tenants/:id/suspend': api({ params: ACTIVE_BUSINESS, body: { reason: 'Unpaid invoices.' } }),
  'POST /v1/platform/tenants/:id/resume': api({ params: SUSPENDED_BUSINESS }),
  'POST /v1/platform/tenants/:id/close': api({ params: ACTIVE_BUSINESS, body: {} }),
  'PUT /v1/platform/tenants/:id/modules/:module': api({ params: { ...ACTIVE_BUSINESS, module: value('catalog') }, body: { enabled: false } }),
  'PUT /v1/platform/tenants/:id/flags/:flag': api({ params: { ...ACTIVE_BUSINESS, flag: value('beta.matrix') }, body: { enabled: true } }),
  'PUT /v1/platform/tenants/:id/plan': api({ params: ACTIVE_BUSINESS, body: async (s) => ({ planId: await planId(s) }) }),
  'GET /v1/platform/plans': api(),
  'POST /v1/platform/plans': api({ body: newPlan }),
  'GET /v1/platform/plans/:id': api({ params: PLAN }),
  'PUT /v1/platform/plans/:id': api({ params: PLAN, body: newPlan }),
  'GET /v1/platform/announcements': api(),
  'POST /v1/platform/announcements': api({ body: newAnnouncement }),
  'POST /v1/platform/announcements/:id/withdraw': api({ params: ANNOUNCEMENT }),
  'GET /v1/platform/tenants/:id/backups': api({ params: ACTIVE_BUSINESS }),
  'POST /v1/platform/tenants/:id/backups': api({ params: ACTIVE_BUSINESS }),
  'GET /v1/platform/backups/:id': api({ params: DONE_BACKUP }),
  'GET /v1/platform/backups/:id/download': api({ params: DONE_BACKUP }),
  'POST /v1/platform/backups/:id/restore': api({ params: DONE_BACKUP, body: {} }),
  'GET /console/tenants': page(),
  'GET /console/tenants/:id': page({ params: ACTIVE_BUSINESS }),
  'POST /console/tenants/:id/approve': page({ params: PENDING_BUSINESS }),
  'POST /console/tenants/:id/reject': page({ params: PENDING_BUSINESS, body: { reason: 'Not a business we can serve.' } }),
  'POST /console/tenants/:id/suspend': page({ params: ACTIVE_BUSINESS, body: { reason: 'Unpaid invoices.' } }),
  'POST /console/tenants/:id/resume': page({ params: SUSPENDED_BUSINESS }),
  'POST /console/tenants/:id/close': page({ params: ACTIVE_BUSINESS, body: { reason: '' } }),
  'POST /console/tenants/:id/modules': page({ params: ACTIVE_BUSINESS, body: { module: 'catalog', enabled: 'false' } }),
  'POST /console/tenants/:id/flags': page({ params: ACTIVE_BUSINESS, body: { flag: 'beta.matrix', enabled: 'true' } }),
  'POST /console/tenants/:id/plan': page({ params: ACTIVE_BUSINESS, body: async (s) => ({ planId: await planId(s) }) }),
  'POST /console/tenants/:id/backups': page({ params: ACTIVE_BUSINESS }),
  'GET /console/backups/:id': page({ params: DONE_BACKUP }),
  'POST /console/backups/:id/restore': page({ params: DONE_BACKUP, body: { slug: '', name: '' } }),
  'GET /console/plans': page(),
  'GET /console/plans/new': page(),
  'POST /console/plans': page({ body: planForm }),
  'GET /console/plans/:id/edit': page({ params: PLAN }),
  'POST /console/plans/:id': page({ params: PLAN, body: planForm }),
  'GET /console/announcements': page(),
  'POST /console/announcements': page({ body: () => ({ kind: 'announcement', severity: 'info', audience: 'all', ...newAnnouncement() }) }),
  'POST /console/announcements/:id/withdraw': page({ params: ANNOUNCEMENT }),

  // Billing: the business's subscription to a platform plan, its invoices, and its page.
  'GET /v1/billing/subscription': api(),
  'GET /v1/billing/invoices': api(),
  'POST /v1/billing/subscription': api({ body: async (s) => ({ planKey: await billablePlanKey(s) }) }),
  'POST /v1/billing/subscription/cancel': api({ body: subscribedTenant }),
  'POST /v1/billing/subscription/resume': api({ body: subscribedTenant }),
  'POST /v1/billing/portal-session': api({ body: subscribedTenant }),
  'GET /billing': page(),
  'POST /billing/subscription': page({ body: async (s) => ({ planKey: await billablePlanKey(s) }) }),
  'POST /billing/subscription/cancel': page({ body: subscribedTenant }),
  'POST /billing/subscription/resume': page({ body: subscribedTenant }),
  'POST /billing/portal': page({ body: subscribedTenant }),
  'GET /v1/platform/billing/tenants/:id': api({ params: ACTIVE_BUSINESS }),
  'POST /v1/platform/billing/tenants/:id/subscription': api({ params: ACTIVE_BUSINESS, body: async (s) => ({ planKey: await billablePlanKey(s) }) }),
};
