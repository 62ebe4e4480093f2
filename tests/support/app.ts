import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { provisionTenant } from '../../src/kernel/access/index.ts';
import { loadConfig, type Config } from '../../src/kernel/config/index.ts';
import { APP_ROLE, createDatabase } from '../../src/kernel/db/index.ts';
import { createSession, createUser, deriveIdentityKeys, issueTokenPair, setPassword, DEFAULT_PASSWORD_POLICY } from '../../src/kernel/identity/index.ts';
import { declaredPermissions, type AppInstance } from '../../src/kernel/module/index.ts';
import { createLogger } from '../../src/kernel/observability/logger.ts';
import { findTenantBySlug, type Tenant } from '../../src/kernel/tenancy/index.ts';
import { buildPlinthApp, planEditions, type PlinthAppOptions } from '../../src/editions/compose.ts';
import { STORE_ROLE_TEMPLATES } from '../../src/editions/roles.ts';
import { createMigratedDatabase, type TestDatabase } from './database.ts';

export interface TestUser {
  userId: string;
  email: string;
  password: string;
}

/** A signed-in browser: the Cookie header (session + CSRF secret) and the CSRF token for forms. */
export interface TestBrowser {
  cookie: string;
  csrfToken: string;
}

export interface TestApp {
  app: AppInstance;
  /** The owner's view of the test database (bypasses row-level security), for assertions and set-up. */
  database: TestDatabase;
  config: Config;
  rootSecret: Buffer;
  /** Two tenants so every test can check that one never sees the other's rows. */
  tenantA: Tenant;
  tenantB: Tenant;
  /** The owner of the tenant with this slug (provisioned with the store role templates on first use). */
  ownerOf(slug: string): Promise<TestUser>;
  /** `Authorization: Bearer …` of the tenant's owner. */
  headersFor(slug: string): Promise<Record<string, string>>;
  /** A browser signed in as the tenant's owner, with its CSRF token. */
  browserFor(slug: string): Promise<TestBrowser>;
  /** `Authorization: Bearer …` of any user, working in `tenantId` (none when null). */
  headersAs(userId: string, tenantId: string | null): Promise<Record<string, string>>;
  /** A browser with a fresh session of any user in `tenantId`, or signed out (`undefined`), with its CSRF token. */
  browserAs(session: { userId: string; tenantId: string | null } | undefined): Promise<TestBrowser>;
  close(): Promise<void>;
}

export const TEST_ROOT_SECRET = Buffer.from('plinth-test-root-secret-0123456789abcdef');
/** Test apps verify Stripe webhooks with this secret, so tests can sign their own fixtures (no network). */
export const TEST_STRIPE_WEBHOOK_SECRET = 'whsec_plinth_test_0123456789';

export function testConfig(env: Record<string, string> = {}): Config {
  // Limits are high so suites of many requests are not throttled; rate-limit tests set their own.
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_READ_PER_MIN: '1000000',
    RATE_LIMIT_WRITE_PER_MIN: '1000000',
    RATE_LIMIT_AUTH_PER_MIN: '1000000',
    STRIPE_WEBHOOK_SECRET: TEST_STRIPE_WEBHOOK_SECRET,
    // Tenant backups written by tests land in the temp folder, not in the repository's ./data.
    BACKUP_DIR: path.join(os.tmpdir(), 'plinth-test-backups'),
    // Audit checkpoints signed by tests (every POS shift close) too; tenants' ids are random, so runs do not mix.
    AUDIT_SIGNING_KEY_FILE: path.join(os.tmpdir(), 'plinth-test-audit', 'signing-key.pem'),
    ...env,
  });
}

/** The `name=value` pair of a cookie the response sets, as a browser would send it back. */
export const cookieFrom = (response: { headers: { 'set-cookie'?: string | string[] | undefined } }, name: string): string | undefined =>
  [response.headers['set-cookie'] ?? []].flat().find((cookie) => cookie.startsWith(`${name}=`))?.split(';')[0];

/** The full app (every edition, unless `options.plan` composes another) over a fresh migrated database, ready for inject(). */
export async function startTestApp(env: Record<string, string> = {}, options: Pick<PlinthAppOptions, 'traceExporter' | 'plan'> = {}): Promise<TestApp> {
  const config = testConfig(env);
  const database = await createMigratedDatabase();
  // The app runs as the app role (row-level security applies); `database` keeps the owner's view for assertions.
  const appDatabase = createDatabase(database.url, { poolMax: 5, log: createLogger('silent'), role: APP_ROLE });
  const plan = options.plan ?? planEditions({ editions: undefined });
  const declared = declaredPermissions(plan.modules);
  const keys = deriveIdentityKeys(TEST_ROOT_SECRET);
  const owners = new Map<string, Promise<TestUser>>();
  const browsers = new Map<string, Promise<TestBrowser>>();

  // Both retail: a business uses only its edition's modules, and the other-tenant checks need every module in both.
  const known: Record<string, { name: string; edition: string }> = { 'tenant-a': { name: 'Tenant A', edition: 'retail' }, 'tenant-b': { name: 'Tenant B', edition: 'retail' } };
  const provision = async (slug: string): Promise<TestUser> => {
    const email = `owner-${randomBytes(4).toString('hex')}@${slug}.example`;
    const password = `test-${randomBytes(12).toString('base64url')}`;
    const user = await createUser(appDatabase.db, { email, displayName: `Owner of ${slug}` });
    await setPassword(appDatabase.db, user.id, password, DEFAULT_PASSWORD_POLICY);
    const existing = await findTenantBySlug(database.db, slug);
    const { name, edition } = existing ?? known[slug] ?? { name: slug, edition: 'retail' };
    await provisionTenant(appDatabase.db, { slug, name, edition, templates: STORE_ROLE_TEMPLATES, declared, ownerUserId: user.id });
    return { userId: user.id, email, password };
  };
  const ownerOf = (slug: string) => {
    if (!owners.has(slug)) owners.set(slug, provision(slug));
    return owners.get(slug) as Promise<TestUser>;
  };
  const tenantIdOf = async (slug: string) => ((await findTenantBySlug(database.db, slug)) as Tenant).id;

  await ownerOf('tenant-a');
  await ownerOf('tenant-b');
  const tenantA = (await findTenantBySlug(database.db, 'tenant-a')) as Tenant;
  const tenantB = (await findTenantBySlug(database.db, 'tenant-b')) as Tenant;
  const app = await buildPlinthApp({ config, database: appDatabase, logger: createLogger(config.logLevel), rootSecret: TEST_ROOT_SECRET, ...options, plan });
  await app.ready();

  const browserAs = async (as: { userId: string; tenantId: string | null } | undefined): Promise<TestBrowser> => {
    const session = as && `plinth_session=${(await createSession(appDatabase.db, { userId: as.userId, activeTenantId: as.tenantId })).token}`;
    // A signed-in page (the account page: any member, any business or none) carries the sign-out form; a signed-out browser gets its token from the sign-in form.
    const response = await app.inject({ method: 'GET', url: session ? '/account' : '/sign-in', headers: session ? { cookie: session } : {} });
    const csrfCookie = cookieFrom(response, 'plinth_csrf');
    const csrfToken = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (!csrfCookie || !csrfToken) throw new Error(`no CSRF token for ${as?.userId ?? 'a signed-out browser'}: ${response.statusCode}`);
    return { cookie: session ? `${session}; ${csrfCookie}` : csrfCookie, csrfToken };
  };
  const headersAs = async (userId: string, tenantId: string | null) => {
    const pair = await issueTokenPair(appDatabase.db, keys, { userId, tenantId });
    return { authorization: `Bearer ${pair.accessToken}` };
  };

  return {
    app,
    database,
    config,
    rootSecret: TEST_ROOT_SECRET,
    tenantA,
    tenantB,
    ownerOf,
    async headersFor(slug) {
      return headersAs((await ownerOf(slug)).userId, await tenantIdOf(slug));
    },
    browserFor(slug) {
      if (!browsers.has(slug)) browsers.set(slug, ownerOf(slug).then(async (owner) => browserAs({ userId: owner.userId, tenantId: await tenantIdOf(slug) })));
      return browsers.get(slug) as Promise<TestBrowser>;
    },
    headersAs,
    browserAs,
    close: async () => {
      await app.close();
      await appDatabase.close();
      await database.drop();
    },
  };
}
