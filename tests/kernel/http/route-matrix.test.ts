/**
 * The access matrix: every route the app registers, checked against its declared policy with a
 * request built from its fixture in the route-fixtures.ts of the module that serves it (what is
 * checked, and how to add a fixture, is written at the top of tests/support/route-fixtures.ts).
 * A new route without a fixture fails here.
 * Non-public routes of edition modules are checked per edition and plan too: for a business of an
 * edition without the module, or on a plan without it, they answer exactly as a missing route;
 * for the other editions listing it, its only-permission member succeeds as in tenant A.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import type { HTTPMethods, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createCustomRole, isPlatformPermission, putMember } from '../../../src/kernel/access/index.ts';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import type { AccessPolicy, RoutePolicyEntry } from '../../../src/kernel/http/access.ts';
import { createUser } from '../../../src/kernel/identity/index.ts';
import { declaredPermissions } from '../../../src/kernel/module/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { findTenantBySlug, PLATFORM_TENANT_ID, PLATFORM_TENANT_SLUG, withTenantTx, type Tenant } from '../../../src/kernel/tenancy/index.ts';
import { assignPlan, createPlan } from '../../../src/modules/platform/index.ts';
import { offeredEditions, planEditions } from '../../../src/editions/compose.ts';
import { startTestApp } from '../../support/app.ts';
import { withoutCsrfTokens } from '../../support/html.ts';
import { collectRouteFixtures, type Fields, type FixtureScope, type RouteFixture } from '../../support/route-fixtures.ts';
import { trustCredential } from '../../modules/community/trust.ts';

// Demo mode, so every route the build can serve is registered.
const t = await startTestApp({ PLINTH_DEMO: 'true' });
after(() => t.close());

const { fixtures: ROUTE_FIXTURES, duplicates } = await collectRouteFixtures();
const composition = planEditions({ editions: undefined });
const everything = [...declaredPermissions(composition.modules)];
const log = createLogger('silent');

/**
 * Registered routes the matrix does not check, by rule (a fixture for one of them is an error):
 * - HEAD of a url that also has a GET: Fastify's automatic twin, running the GET's hooks and handler;
 * - anything below /docs/: static files of the API-docs UI plugin (@fastify/swagger-ui), made public
 *   as a whole by markScopePublic in src/kernel/http/openapi.ts. Its entry page, GET /docs, is checked.
 */
function skipped(entry: RoutePolicyEntry, all: readonly RoutePolicyEntry[]): boolean {
  if (entry.method === 'HEAD' && all.some((other) => other.method === 'GET' && other.url === entry.url)) return true;
  return entry.url.startsWith('/docs/');
}

interface Route {
  method: string;
  url: string;
  fixture: RouteFixture;
}

/** A signed-in user working in a tenant; undefined is an anonymous client. */
interface Actor {
  userId: string;
  tenant: Tenant;
}

// Actors and set-up.

async function newMember(tenant: Tenant, permissions: readonly string[]): Promise<string> {
  const tag = randomBytes(4).toString('hex');
  const user = await createUser(t.app.db, { email: `matrix-${tag}@${tenant.slug}.example`, displayName: `Matrix ${tag}` });
  const ctx: ServiceContext = { db: t.app.db, tenantId: tenant.id, actor: { kind: 'system', process: 'route-matrix' }, requestId: 'route-matrix', log };
  const roleKeys: string[] = [];
  if (permissions.length > 0) roleKeys.push((await createCustomRole(ctx, { key: `matrix_${tag}`, name: `Matrix ${tag}`, permissions: [...permissions] }, new Set(everything))).key);
  await withTenantTx(ctx, (uow) => putMember(uow.tx, tenant.id, user.id, roleKeys));
  return user.id;
}

function memo<T>(make: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const made = new Map<string, Promise<T>>();
  return (key) => {
    if (!made.has(key)) made.set(key, make(key));
    return made.get(key) as Promise<T>;
  };
}

/**
 * Platform permissions (platform.*) count only in the platform tenant: their routes are checked
 * with members of it. Every other permission is checked in tenant A, or, for a module tenant A's
 * edition does not have (the mutual-aid community's), in a business of the first edition that has
 * it; a second business of that edition is the other tenant of the foreign-id check.
 */
const platformTenant = (await findTenantBySlug(t.database.db, PLATFORM_TENANT_SLUG)) as Tenant;
const moduleOfPermission = new Map(composition.modules.flatMap((module) => module.permissions.map((permission) => [permission.key, module.id] as const)));
const editionHaving = (module: string | undefined) =>
  module && !composition.editions.find((edition) => edition.id === t.tenantA.edition)?.modules.some((candidate) => candidate.id === module)
    ? composition.editions.find((edition) => edition.modules.some((candidate) => candidate.id === module))?.id
    : undefined;
const homeOfModule = async (module: string | undefined): Promise<Tenant> => {
  const edition = editionHaving(module);
  return edition ? businessOf(edition) : t.tenantA;
};
const otherTenantOf = async (home: Tenant): Promise<Tenant> => (home.id === t.tenantA.id ? t.tenantB : businessOf(`${home.edition} b`));
const homeOf = async (permission: string): Promise<Tenant> => (isPlatformPermission(permission) ? platformTenant : homeOfModule(moduleOfPermission.get(permission)));

/** Editions whose businesses are communities: a sign-in there counts once verified, so the matrix's actors are verified ones. */
const communityEditions = new Set(composition.editions.filter((edition) => edition.modules.some((module) => module.id === 'community')).map((edition) => edition.id));
async function verified(tenant: Tenant, userId: string, headers: Record<string, string>): Promise<Record<string, string>> {
  if (communityEditions.has(tenant.edition)) await trustCredential(t, tenant.id, userId, headers);
  return headers;
}

/** One member per permission (holding only it, with the fixture's `alsoHolds`, or all but it) of the permission's home tenant, made once and shared. */
const onlyHolder = memo(async (permissions) => newMember(await homeOf(permissions.split(' ')[0] as string), permissions.split(' ')));
const allButHolder = memo(async (permission) => newMember(await homeOf(permission), everything.filter((other) => other !== permission)));
const ownerHeaders = memo(async (slug) => {
  const tenant = (await findTenantBySlug(t.database.db, slug)) as Tenant;
  return verified(tenant, (await t.ownerOf(slug)).userId, await t.headersFor(slug));
});

/**
 * Who succeeds on a route: a member holding only the route's permission (and the fixture's
 * `alsoHolds`, which its use case checks beyond the route's); for `authenticated`, a
 * fresh member with no role at all (fresh because such routes may end the actor's own sessions).
 */
async function allowedActor(access: AccessPolicy, alsoHolds: readonly string[] = [], module?: string): Promise<Actor | undefined> {
  if (access === 'public') return undefined;
  if (access === 'authenticated') {
    const tenant = await homeOfModule(module);
    return { userId: await newMember(tenant, []), tenant };
  }
  return { userId: await onlyHolder([access.permission, ...alsoHolds].join(' ')), tenant: await homeOf(access.permission) };
}

async function scopeFor(tenant: Tenant, userId?: string): Promise<FixtureScope> {
  return {
    t,
    tenant,
    userId: userId ?? (await t.ownerOf(tenant.slug)).userId,
    async asOwner<T>(method: string, url: string, payload?: Fields, raw?: { contentType: string; payload: Buffer }): Promise<T> {
      const headers = { ...(await ownerHeaders(tenant.slug)), ...(raw ? { 'content-type': raw.contentType } : {}) };
      const response = await t.app.inject({ method: method as HTTPMethods, url, headers, ...(raw ? { payload: raw.payload } : payload ? { payload } : {}) });
      if (response.statusCode >= 300) throw new Error(`set-up ${method} ${url} answered ${response.statusCode}: ${response.body}`);
      return (response.body === '' ? undefined : (response.json() as { data: T }).data) as T;
    },
    newMember: (permissions = []) => newMember(tenant, permissions),
  };
}

/** The route's path parameters as resources made in the scope's tenant. */
async function paramsIn(route: Route, scope: FixtureScope): Promise<Record<string, string>> {
  const params: Record<string, string> = {};
  for (const [name, resource] of Object.entries(route.fixture.params ?? {})) params[name] = await resource.create(scope);
  return params;
}

// Requests.

/** `native`: as the fixture's client asks (a page: HTML); `json`: the same request asking for the JSON envelope. */
type Representation = 'native' | 'json';
const representations = (route: Route): Representation[] => (route.fixture.client === 'page' ? ['native', 'json'] : ['native']);

function urlOf(route: Route, params: Record<string, string>): string {
  const path = route.url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? `missing-param-${name}`));
  const query = new URLSearchParams(route.fixture.query ?? {}).toString();
  return query ? `${path}?${query}` : path;
}

function formBody(fields: Fields): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) form.append(key, String(item));
  return form.toString();
}

/** The fixture's request as `actor` (anonymous when undefined) with these path parameters, and its body unless `fields` replace it. */
async function requestOf(route: Route, actor: Actor | undefined, params: Record<string, string>, as: Representation, fields?: Fields): Promise<InjectOptions> {
  const { fixture } = route;
  const scope = await scopeFor(actor?.tenant ?? t.tenantA, actor?.userId);
  const body = fields ?? (typeof fixture.body === 'function' ? await fixture.body({ ...scope, params }) : fixture.body);
  const unsafe = route.method !== 'GET' && route.method !== 'HEAD';
  const headers: Record<string, string> = {};
  let payload: InjectOptions['payload'] = body;
  if (fixture.client === 'api') {
    if (actor) Object.assign(headers, await verified(actor.tenant, actor.userId, await t.headersAs(actor.userId, actor.tenant.id)));
  } else {
    const browser = await t.browserAs(actor && { userId: actor.userId, tenantId: actor.tenant.id });
    if (actor) await verified(actor.tenant, actor.userId, { cookie: browser.cookie });
    headers.cookie = browser.cookie;
    if (fixture.client === 'session-api' && unsafe) headers['x-csrf-token'] = browser.csrfToken;
    if (fixture.client === 'page') {
      headers.accept = as === 'json' ? 'application/json' : 'text/html,application/xhtml+xml';
      if (unsafe) headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = unsafe ? formBody({ ...body, _csrf: browser.csrfToken }) : undefined;
    }
  }
  if (fixture.headers && body) Object.assign(headers, fixture.headers(body));
  if (fixture.raw && !fields) {
    headers['content-type'] = fixture.raw.contentType;
    payload = await fixture.raw.payload();
  }
  return { method: route.method as HTTPMethods, url: urlOf(route, params), headers, ...(payload === undefined ? {} : { payload }) };
}

/** Sends the fixture's request as `actor` (anonymous when undefined) with these path parameters. */
async function send(route: Route, actor: Actor | undefined, params: Record<string, string>, as: Representation = 'native'): Promise<LightMyRequestResponse> {
  return t.app.inject(await requestOf(route, actor, params, as));
}

// Expectations.

const isJson = (response: LightMyRequestResponse) => /^application\/json/.test(String(response.headers['content-type']));
/** A response for a failure message: status and the start of the body (of a page, its main part). */
function shown(response: LightMyRequestResponse): string {
  const start = Math.max(0, response.body.indexOf('<main'));
  return `${response.statusCode} ${response.body.slice(start, start + 600)}`;
}

function assertEnvelope(response: LightMyRequestResponse, status: number, code: string): { code: string; message: string; details?: unknown } {
  assert.equal(response.statusCode, status, shown(response));
  assert.match(String(response.headers['content-type']), /^application\/json/, shown(response));
  const { error } = response.json() as { error: { code: string; message: string; details?: unknown } };
  assert.equal(error.code, code, shown(response));
  return error;
}

/** Where two texts part, with a little context, or undefined when they are the same. */
function firstDifference(actual: string, expected: string): string | undefined {
  if (actual === expected) return undefined;
  let at = 0;
  while (actual[at] === expected[at]) at++;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 80), at + 120));
  return `at character ${at}: ${around(actual)} instead of ${around(expected)}`;
}

function assertHtml(response: LightMyRequestResponse, status: number): void {
  assert.equal(response.statusCode, status, shown(response));
  assert.match(String(response.headers['content-type']), /^text\/html/, shown(response));
}

async function checkAnonymousRefused(route: Route, params: Record<string, string>): Promise<void> {
  for (const as of representations(route)) {
    const response = await send(route, undefined, params, as);
    if (route.fixture.client === 'page' && as === 'native') {
      // A person browsing is sent to sign in, and brought back to a page they asked for (error-handler.ts).
      const next = route.method === 'GET' ? urlOf(route, params) : '/';
      assert.equal(response.statusCode, 303, shown(response));
      assert.equal(response.headers.location, `/sign-in?next=${encodeURIComponent(next)}`);
    } else assertEnvelope(response, 401, 'AUTHN');
  }
}

async function checkPermissionRequired(route: Route, permission: string): Promise<void> {
  const actor = { userId: await allButHolder(permission), tenant: await homeOf(permission) };
  const params = await paramsIn(route, await scopeFor(actor.tenant, actor.userId));
  for (const as of representations(route)) {
    const response = await send(route, actor, params, as);
    if (route.fixture.client === 'page' && as === 'native') assertHtml(response, 403);
    else assert.deepEqual(assertEnvelope(response, 403, 'AUTHZ').details, { reason: 'PERMISSION_REQUIRED', permission });
  }
}

/** Another tenant's ids must be indistinguishable from ids that name nothing. */
async function checkForeignIdsUnseen(route: Route, actor: Actor): Promise<void> {
  const home = await scopeFor(actor.tenant, actor.userId);
  const other = await scopeFor(await otherTenantOf(actor.tenant));
  const foreign: Record<string, string> = {};
  const missing: Record<string, string> = {};
  for (const [name, resource] of Object.entries(route.fixture.params ?? {})) {
    foreign[name] = await resource.create(resource.tenantScoped ? other : home);
    missing[name] = resource.tenantScoped ? (resource.missing?.() ?? randomUUID()) : foreign[name];
  }
  // A page may render its own 404 (a list with the error on it) whatever the client asks for;
  // what matters is that nothing in the answer tells the two ids apart.
  for (const as of representations(route)) {
    const absent = await send(route, actor, missing, as);
    const elsewhere = await send(route, actor, foreign, as);
    assert.equal(absent.statusCode, 404, `a missing id: ${shown(absent)}`);
    assert.equal(elsewhere.statusCode, absent.statusCode, `the other tenant's id: ${shown(elsewhere)}`);
    assert.equal(elsewhere.headers['content-type'], absent.headers['content-type']);
    if (isJson(absent)) {
      assertEnvelope(absent, 404, 'NOT_FOUND');
      assert.deepEqual(elsewhere.json(), absent.json(), "the other tenant's id gets another error body than a missing id");
    } else {
      const difference = firstDifference(withoutCsrfTokens(elsewhere.body), withoutCsrfTokens(absent.body));
      assert.equal(difference, undefined, `the other tenant's id gets another page than a missing id, ${difference}`);
    }
  }
}

async function checkSucceeds(route: Route, actor: Actor | undefined): Promise<void> {
  const params = await paramsIn(route, await scopeFor(actor?.tenant ?? t.tenantA, actor?.userId));
  const response = await send(route, actor, params);
  const { client, status } = route.fixture;
  const expected = status ?? (client === 'page' ? (route.method === 'GET' ? 200 : 303) : undefined);
  if (expected !== undefined) assert.equal(response.statusCode, expected, shown(response));
  else assert.ok(response.statusCode >= 200 && response.statusCode < 300, `expected a 2xx: ${shown(response)}`);
  assert.doesNotMatch(String(response.headers.location), /^\/sign-in\?next=/, 'the guard sent the request to sign in');
}

/**
 * A route of a module the business may not use answers exactly as a url no route matches: the
 * same request sent to that url under a prefix nothing serves gets the same answer (its path put
 * back). Nothing is set up: the guard answers before any handler would look.
 */
async function checkLooksMissing(route: Route, actor: Actor): Promise<void> {
  const params = Object.fromEntries(Object.keys(route.fixture.params ?? {}).map((name) => [name, randomUUID()]));
  for (const as of representations(route)) {
    const request = await requestOf(route, actor, params, as, {});
    const response = await t.app.inject(request);
    const missing = await t.app.inject({ ...request, url: `/no-such-route${String(request.url)}` });
    assert.equal(response.statusCode, 404, shown(response));
    assert.equal(response.headers['content-type'], missing.headers['content-type']);
    // Pages carry a fresh (salted) CSRF token each, in the shell's sign-out form: no trace of the module.
    assert.equal(withoutCsrfTokens(response.body), withoutCsrfTokens(missing.body.replaceAll('/no-such-route/', '/')), 'answers otherwise than a missing route');
  }
}

// The edition × plan dimension: businesses of every edition, and a retail one on a plan of the catalog alone.

/** Modules some edition lists: the ones a business may or may not have (the kernel's, platform and billing are everyone's). */
const editionModules = new Set(composition.editions.flatMap((edition) => edition.modules.map((module) => module.id)));
const PLAN_MODULES = ['catalog'];

/** A business of the edition with its owner (tenant A for retail). */
const businessOf = memo(async (key): Promise<Tenant> => {
  // `<edition>` or, for a second business of it, `<edition> b`.
  const [edition, second] = key.split(' ') as [string, string | undefined];
  if (edition === t.tenantA.edition && !second) return t.tenantA;
  const slug = `matrix-${edition}${second ? `-${second}` : ''}`;
  await t.database.pool.query('INSERT INTO tenant (slug, name, edition) VALUES ($1, $2, $3)', [slug, `Matrix ${key}`, edition]);
  await t.ownerOf(slug);
  return (await findTenantBySlug(t.database.db, slug)) as Tenant;
});

/** A retail business on a plan that includes only PLAN_MODULES, assigned as the console does. */
const planBusiness = memo(async (): Promise<Tenant> => {
  const slug = 'matrix-plan';
  await t.database.pool.query("INSERT INTO tenant (slug, name, edition) VALUES ($1, 'Matrix plan', 'retail')", [slug]);
  await t.ownerOf(slug);
  const tenant = (await findTenantBySlug(t.database.db, slug)) as Tenant;
  const ctx: ServiceContext = { db: t.app.db, tenantId: PLATFORM_TENANT_ID, actor: { kind: 'system', process: 'route-matrix' }, requestId: 'route-matrix', log };
  const input = { key: 'matrix-catalog', name: 'Catalog only', priceMinor: 100, currency: 'EUR', interval: 'month', stripePriceId: null, maxMembers: null, maxLocations: null, maxTerminals: null, modules: PLAN_MODULES } as const;
  const plan = await createPlan(ctx, { ...input, modules: [...input.modules] });
  await assignPlan(ctx, { editions: offeredEditions(composition.editions) }, tenant.id, plan.id);
  return tenant;
});

const ownerIn = async (tenant: Tenant): Promise<Actor> => ({ userId: (await t.ownerOf(tenant.slug)).userId, tenant });
/** A member of `tenant` holding only these permissions, made once per tenant and set. */
const holderIn = memo(async (key) => {
  const [tenantId, ...permissions] = key.split(' ');
  return newMember((await tenantById(tenantId as string)) as Tenant, permissions);
});
const tenantById = async (id: string) => (await t.database.pool.query<Tenant>('SELECT id, slug, name, edition, status FROM tenant WHERE id = $1', [id])).rows[0];
const holderActor = async (tenant: Tenant, permission: string, alsoHolds: readonly string[] = []): Promise<Actor> => ({
  userId: await holderIn([tenant.id, permission, ...alsoHolds].join(' ')),
  tenant,
});

/** The entitlement tests of a route: for each edition and the plan, missing outside them, as before inside. */
function entitlementTests(route: Route, module: string, access: AccessPolicy): void {
  for (const edition of composition.editions) {
    const inside = edition.modules.some((candidate) => candidate.id === module);
    if (!inside) test(`${edition.id} business (edition without ${module}) → the answer of a missing route`, async () => checkLooksMissing(route, await ownerIn(await businessOf(edition.id))));
    // Tenant A (retail) is checked above; the other editions that list the module answer as before.
    else if (edition.id !== t.tenantA.edition && typeof access === 'object')
      test(`${edition.id} business: only ${access.permission} → success`, async () => checkSucceeds(route, await holderActor(await businessOf(edition.id), access.permission, route.fixture.alsoHolds)));
  }
  if (!composition.editions.find((edition) => edition.id === 'retail')?.modules.some((candidate) => candidate.id === module)) return;
  if (!PLAN_MODULES.includes(module)) test(`retail business on a plan without ${module} → the answer of a missing route`, async () => checkLooksMissing(route, await ownerIn(await planBusiness('plan'))));
  else if (typeof access === 'object')
    test(`retail business on a plan with ${module}: only ${access.permission} → success`, async () => checkSucceeds(route, await holderActor(await planBusiness('plan'), access.permission, route.fixture.alsoHolds)));
}

// The matrix.

const policies = t.app.routePolicies;
const checked = policies.filter((entry) => !skipped(entry, policies));
const keyOf = (entry: { method: string; url: string }) => `${entry.method} ${entry.url}`;

/** What is wrong with a fixture's path parameters for its url, if anything. */
function paramsProblem(url: string, fixture: RouteFixture, file: string): string | undefined {
  const inUrl = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]).sort();
  const given = Object.keys(fixture.params ?? {}).sort();
  if (inUrl.join() === given.join()) return undefined;
  return `the url has parameters [${inUrl.join(', ')}] but the fixture in ${file} gives [${given.join(', ')}]`;
}

describe('route access matrix', () => {
  test('every fixture names a route the matrix checks', () => {
    const routes = new Set(checked.map(keyOf));
    const stale = [...ROUTE_FIXTURES].filter(([key]) => !routes.has(key)).map(([key, { file }]) => `${key} (${file})`);
    assert.deepEqual(stale, [], 'fixtures for no checked route (renamed? removed? HEAD twins and /docs/ files are skipped)');
  });

  test('each route has its fixture in one file only', () => {
    assert.deepEqual(Object.fromEntries(duplicates), {}, 'routes given by more than one route-fixtures.ts');
  });

  for (const entry of checked) {
    const key = keyOf(entry);
    const { fixture, file } = ROUTE_FIXTURES.get(key) ?? {};
    const { access } = entry;
    describe(key, () => {
      if (!fixture || !file) {
        test('has a fixture', () =>
          assert.fail(
            `No fixture for "${key}". Add one to the route-fixtures.ts of the module that serves it (tests/modules/<module>/, tests/kernel/<part>/) ` +
              'saying how to build a valid request (see the comment at the top of tests/support/route-fixtures.ts).',
          ),
        );
        return;
      }
      const problem = paramsProblem(entry.url, fixture, file);
      if (problem || access === undefined) {
        test('can be checked', () => assert.fail(problem ?? 'the route has no access policy'));
        return;
      }
      const route: Route = { method: entry.method, url: entry.url, fixture };
      if (access === 'public') {
        test('public: an anonymous request succeeds', () => checkSucceeds(route, undefined));
        return;
      }
      test(fixture.client === 'page' ? 'anonymous → 303 to /sign-in (401 AUTHN as JSON)' : 'anonymous → 401 AUTHN', async () =>
        checkAnonymousRefused(route, await paramsIn(route, await scopeFor(await homeOfModule(entry.module)))),
      );
      if (typeof access === 'object') test(`every permission but ${access.permission} → 403 AUTHZ`, () => checkPermissionRequired(route, access.permission));
      if (Object.values(fixture.params ?? {}).some((resource) => resource.tenantScoped))
        test("the other tenant's id → the same 404 as a missing id", async () => checkForeignIdsUnseen(route, (await allowedActor(access, fixture.alsoHolds, entry.module)) as Actor));
      test(typeof access === 'object' ? `only ${access.permission} → success` : 'signed in → success', async () => checkSucceeds(route, await allowedActor(access, fixture.alsoHolds, entry.module)));
      // Console routes of a module (platform.* permissions) belong to the platform tenant, not to a business's modules.
      if (entry.module && editionModules.has(entry.module) && !(typeof access === 'object' && isPlatformPermission(access.permission))) entitlementTests(route, entry.module, access);
    });
  }
});
