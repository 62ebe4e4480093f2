import { randomBytes } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PLATFORM_ROLE_TEMPLATES, provisionTenant, putMember } from '../kernel/access/index.ts';
import type { Database } from '../kernel/db/index.ts';
import { createUser, DEFAULT_PASSWORD_POLICY, findUserByEmail, setPassword } from '../kernel/identity/index.ts';
import type { Logger } from '../kernel/observability/logger.ts';
import type { EditionDefinition } from '../kernel/module/index.ts';
import { PLATFORM_TENANT_ID, PLATFORM_TENANT_SLUG, withTenantTx } from '../kernel/tenancy/index.ts';
import { AppError } from '../kernel/errors.ts';
import type { ServiceContext } from '../kernel/context.ts';
import { createAnnouncement, createPlan, listAnnouncements, submitSignup, type PlanInput } from '../modules/platform/index.ts';
import { offeredEditions } from './compose.ts';

export interface DemoLogin {
  edition: string;
  tenantName: string;
  email: string;
  password: string;
}

const credentialsFile = (dataDir: string) => path.join(dataDir, 'demo-credentials.json');

async function loadDemoPasswords(dataDir: string): Promise<Record<string, string>> {
  return JSON.parse(await readFile(credentialsFile(dataDir), 'utf8').catch(() => '{}')) as Record<string, string>;
}

async function saveDemoPasswords(dataDir: string, passwords: Record<string, string>): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  await writeFile(credentialsFile(dataDir), JSON.stringify(passwords, null, 2), { mode: 0o600 });
}

/**
 * Demo passwords are generated once per data folder (never in the repo) and printed by
 * `npm start`; they exist only where demo mode ran.
 */
async function ensureDemoUser(database: Database, email: string, displayName: string, passwords: Record<string, string>): Promise<{ id: string; password: string }> {
  const password = passwords[email] ?? `demo-${randomBytes(9).toString('base64url')}`;
  passwords[email] = password;
  const user = (await findUserByEmail(database.db, email)) ?? (await createUser(database.db, { email, displayName }));
  const set = await setPassword(database.db, user.id, password, DEFAULT_PASSWORD_POLICY);
  if (!set.ok) throw new Error(`demo password rejected: ${set.problems.join('; ')}`);
  return { id: user.id, password };
}

/** Creates each served edition's demo business with its owner, plus a platform admin; safe at every start. */
export async function seedDemoData(
  database: Database,
  editions: readonly EditionDefinition[],
  declared: ReadonlySet<string>,
  options: { dataDir: string; log: Logger },
): Promise<DemoLogin[]> {
  const passwords = await loadDemoPasswords(options.dataDir);
  const logins: DemoLogin[] = [];
  const admin = await ensureDemoUser(database, 'admin@platform.example', 'Platform admin', passwords);
  await provisionTenant(database.db, { slug: PLATFORM_TENANT_SLUG, name: 'Plinth platform', edition: 'platform', templates: PLATFORM_ROLE_TEMPLATES, declared, ownerUserId: admin.id });
  logins.push({ edition: 'platform', tenantName: 'Plinth platform (console at /console/tenants)', email: 'admin@platform.example', password: admin.password });
  for (const edition of editions) {
    if (!edition.demo) continue;
    const { slug, name, timeZone, seed } = edition.demo;
    const email = `owner@${slug}.example`;
    const owner = await ensureDemoUser(database, email, `${name} owner`, passwords);
    const tenant = await provisionTenant(database.db, { slug, name, timeZone, edition: edition.id, templates: edition.roleTemplates, declared, ownerUserId: owner.id });
    await seed({
      db: database.db,
      tenantId: tenant.id,
      actor: { kind: 'system', process: 'demo-seed' },
      requestId: `demo-seed:${edition.id}`,
      log: options.log.child({ edition: edition.id }),
    });
    logins.push({ edition: edition.id, tenantName: name, email, password: owner.password });
    // Only editions whose businesses have tills have a Cashier role (a community has none).
    if (!edition.roleTemplates.some((template) => template.key === 'cashier')) continue;
    const cashierEmail = `cashier@${slug}.example`;
    const cashier = await ensureDemoUser(database, cashierEmail, `${name.replace(/ \(demo\)$/, '')} cashier`, passwords);
    await withTenantTx({ db: database.db, tenantId: tenant.id }, (uow) => putMember(uow.tx, tenant.id, cashier.id, ['cashier']));
    logins.push({ edition: edition.id, tenantName: `${name} cashier`, email: cashierEmail, password: cashier.password });
  }
  logins.push(...(await seedPlatformDemo(database, editions, declared, passwords, options.log)));
  await saveDemoPasswords(options.dataDir, passwords);
  return logins;
}

const DEMO_PLANS: readonly PlanInput[] = [
  { key: 'starter', name: 'Starter', priceMinor: 2900, currency: 'EUR', interval: 'month', stripePriceId: null, maxMembers: 3, maxLocations: 1, maxTerminals: 1, modules: ['catalog', 'locations'] },
  { key: 'business', name: 'Business', priceMinor: 9900, currency: 'EUR', interval: 'month', stripePriceId: null, maxMembers: 25, maxLocations: 5, maxTerminals: 10, modules: null },
];

/** A conflict means the demo row is there from an earlier start. */
const unlessThere = (error: unknown) => {
  if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
};

/**
 * The console's demo: two plans, a welcome announcement and a business awaiting approval (its
 * applicant signs in once an admin approves it), through the platform module's use cases.
 */
async function seedPlatformDemo(
  database: Database,
  editions: readonly EditionDefinition[],
  declared: ReadonlySet<string>,
  passwords: Record<string, string>,
  log: Logger,
): Promise<DemoLogin[]> {
  const ctx: ServiceContext = { db: database.db, tenantId: PLATFORM_TENANT_ID, actor: { kind: 'system', process: 'demo-seed' }, requestId: 'demo-seed:platform', log };
  for (const plan of DEMO_PLANS) await createPlan(ctx, plan).catch(unlessThere);
  if ((await listAnnouncements(ctx)).length === 0) {
    const now = Date.now();
    await createAnnouncement(ctx, { editions: offeredEditions(editions) }, {
      kind: 'announcement',
      title: 'Welcome to the Plinth demo',
      body: 'Everything here is sample data; it is reset when the data folder is removed.',
      severity: 'info',
      audience: 'all',
      editions: [],
      tenantIds: [],
      startsAt: new Date(now - 60_000),
      endsAt: new Date(now + 365 * 24 * 3600_000),
    });
  }
  const first = editions[0];
  if (!first) return [];
  const email = 'applicant@demo-signup.example';
  const password = passwords[email] ?? `demo-${randomBytes(9).toString('base64url')}`;
  passwords[email] = password;
  const signup = { businessName: 'Fresh Start Shop', slug: 'demo-signup', edition: first.id, ownerName: 'Demo applicant', email, password };
  await submitSignup(database.db, { editions: offeredEditions(editions), declared }, signup, { requestId: 'demo-seed:signup' }).catch(unlessThere);
  return [{ edition: first.id, tenantName: `${signup.businessName} (pending approval)`, email, password }];
}
