/**
 * How to make a valid request to each route, for the access matrix
 * (tests/kernel/http/route-matrix.test.ts). Each module (and kernel part) keeps its routes'
 * entries in a `route-fixtures.ts` of its own test folder (tests/modules/<module>/,
 * tests/kernel/<part>/, …) exporting them as `routeFixtures`; the matrix collects every such file
 * under tests/, and a route two files both give fails it. This file holds what they share.
 *
 * Every route the app registers needs an entry, keyed `"METHOD /url"` exactly as Fastify records
 * it (path parameters as `:name`); a route without one fails the matrix. From the entry and the
 * route's declared access policy the matrix checks:
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
 *    its id (see `product` in tests/modules/catalog/route-fixtures.ts, `member` in
 *    tests/kernel/access/route-fixtures.ts; a module exports those that other modules' fixtures use).
 *    Something a person owns (a session) is made for `scope.userId`: the actor for success, the
 *    other tenant's owner for the foreign-id check. `value(...)`: a parameter naming no resource.
 * 3. `body` (JSON, or form fields for a page) and `query`, valid for the route; a function when it
 *    must be fresh each time (unique SKUs and keys) or needs set-up.
 * 4. `status` when success is not the default: any 2xx for `api`/`sessionApi`; 200 for a page, 303 for its form posts.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Tenant } from '../../src/kernel/tenancy/index.ts';
import type { TestApp } from './app.ts';

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
  asOwner<T = { id: string }>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: Fields, raw?: { contentType: string; payload: Buffer }): Promise<T>;
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
  /** A body that is not JSON (a picture): sent as these bytes with this content type, in place of `body`. */
  raw?: { contentType: string; payload: () => Buffer | Promise<Buffer> };
  /** Headers computed over the exact JSON body sent (a provider's webhook signature). */
  headers?: (body: Fields) => Record<string, string>;
}

type Options = Omit<RouteFixture, 'client'>;
export const api = (options: Options = {}): RouteFixture => ({ client: 'api', ...options });
export const sessionApi = (options: Options = {}): RouteFixture => ({ client: 'session-api', ...options });
export const page = (options: Options = {}): RouteFixture => ({ client: 'page', ...options });

export const unique = () => randomBytes(4).toString('hex');
export const resource = (create: Resource['create']): Resource => ({ create, tenantScoped: true });
/** A path parameter that is the same in every tenant (a slug, an action name). */
export const value = (fixed: string): Resource => ({ create: async () => fixed, tenantScoped: false });

const FIXTURE_FILE = 'route-fixtures.ts';
const TESTS_DIR = fileURLToPath(new URL('../', import.meta.url));

export interface CollectedFixtures {
  /** Each route's fixture, with the file (relative to the repository) that gives it. */
  fixtures: Map<string, { fixture: RouteFixture; file: string }>;
  /** Keys given by more than one file, with those files. */
  duplicates: Map<string, string[]>;
}

/** Every `route-fixtures.ts` under tests/ (but this one), merged. */
export async function collectRouteFixtures(): Promise<CollectedFixtures> {
  const files = ((await readdir(TESTS_DIR, { recursive: true })) as string[])
    .filter((file) => path.basename(file) === FIXTURE_FILE && path.dirname(file) !== 'support')
    .sort();
  const fixtures = new Map<string, { fixture: RouteFixture; file: string }>();
  const duplicates = new Map<string, string[]>();
  for (const file of files) {
    const named = path.join('tests', file);
    const { routeFixtures } = (await import(pathToFileURL(path.join(TESTS_DIR, file)).href)) as { routeFixtures?: Record<string, RouteFixture> };
    if (!routeFixtures) throw new Error(`${named} exports no routeFixtures`);
    for (const [key, fixture] of Object.entries(routeFixtures)) {
      const earlier = fixtures.get(key);
      if (earlier) duplicates.set(key, [...(duplicates.get(key) ?? [earlier.file]), named]);
      else fixtures.set(key, { fixture, file: named });
    }
  }
  return { fixtures, duplicates };
}
