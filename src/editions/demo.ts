import { randomBytes } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PLATFORM_ROLE_TEMPLATES, provisionTenant } from '../kernel/access/index.ts';
import type { Database } from '../kernel/db/index.ts';
import { createUser, DEFAULT_PASSWORD_POLICY, findUserByEmail, setPassword } from '../kernel/identity/index.ts';
import type { Logger } from '../kernel/observability/logger.ts';
import type { EditionDefinition } from '../kernel/module/index.ts';
import { PLATFORM_TENANT_SLUG } from '../kernel/tenancy/index.ts';

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
  logins.push({ edition: 'platform', tenantName: 'Plinth platform', email: 'admin@platform.example', password: admin.password });
  for (const edition of editions) {
    if (!edition.demo) continue;
    const { slug, name, seed } = edition.demo;
    const email = `owner@${slug}.example`;
    const owner = await ensureDemoUser(database, email, `${name} owner`, passwords);
    const tenant = await provisionTenant(database.db, { slug, name, edition: edition.id, templates: edition.roleTemplates, declared, ownerUserId: owner.id });
    await seed({
      db: database.db,
      tenantId: tenant.id,
      actor: { kind: 'system', process: 'demo-seed' },
      requestId: `demo-seed:${edition.id}`,
      log: options.log.child({ edition: edition.id }),
    });
    logins.push({ edition: edition.id, tenantName: name, email, password: owner.password });
  }
  await saveDemoPasswords(options.dataDir, passwords);
  return logins;
}
