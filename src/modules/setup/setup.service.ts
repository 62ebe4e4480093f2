import { and, ne, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { putMember, syncTemplateRoles, type RoleTemplate } from '../../kernel/access/index.ts';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { Db } from '../../kernel/db/index.ts';
import { createUser, markEmailVerified, setPassword, type PasswordPolicy } from '../../kernel/identity/index.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { PLATFORM_TENANT_ID, tenantTable, withTenantTx } from '../../kernel/tenancy/index.ts';
import type { SetupInput } from './domain/setup-input.ts';
import { setupErrors } from './errors.ts';
import { FolderProblem, prepareInstallFolders, type FolderCheck, type InstallFolders } from './folders.ts';
import { setupBusinessDefaults } from './setup.table.ts';

/** What a setup needs from the installation: the edition it serves, its permissions, policy and folders. */
export interface SetupContext {
  db: Db;
  edition: { id: string; roleTemplates: readonly RoleTemplate[] };
  declared: ReadonlySet<string>;
  passwordPolicy: PasswordPolicy;
  folders: InstallFolders;
  /** Where the setup came from, for the audit entry: the web page or API (with the address) or the CLI. */
  via: { channel: 'web'; ip: string } | { channel: 'cli' };
  requestId: string;
  log: FastifyBaseLogger;
}

export interface SetupResult {
  tenantId: string;
  slug: string;
  adminUserId: string;
  roles: string[];
  folders: FolderCheck[];
}

/** Serialises concurrent setups: the second waits, then finds the business and answers CONFLICT. */
const SETUP_LOCK = sql`SELECT pg_advisory_xact_lock(hashtext('plinth.setup'))`;

/** Whether the installation still waits for its first run: no business exists yet (the platform's own tenant does not count). */
export async function needsSetup(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: tenantTable.id }).from(tenantTable).where(ne(tenantTable.id, PLATFORM_TENANT_ID)).limit(1);
  return !row;
}

/**
 * The first run, in one transaction: the business, its administrator (password policy enforced,
 * seated in the `owner` template role, shown as super admin), every role template, the money,
 * tax and numbering defaults and the audit entry — or nothing. Only once: afterwards CONFLICT.
 * The folders are prepared first (a file system has no rollback; creating them twice is harmless).
 */
export async function runSetup(c: SetupContext, input: SetupInput): Promise<SetupResult> {
  if (!(await needsSetup(c.db))) throw setupErrors.done();
  const folders = await prepareInstallFolders(c.folders).catch((error: unknown) => {
    throw error instanceof FolderProblem ? setupErrors.folder(error.message) : error;
  });
  return c.db.transaction(async (tx) => {
    await tx.execute(SETUP_LOCK);
    const [existing] = await tx.select({ id: tenantTable.id }).from(tenantTable).where(and(ne(tenantTable.id, PLATFORM_TENANT_ID))).limit(1);
    if (existing) throw setupErrors.done();
    const [tenant] = await tx
      .insert(tenantTable)
      .values({ slug: input.slug, name: input.businessName, edition: c.edition.id, timeZone: input.timeZone })
      .returning({ id: tenantTable.id, slug: tenantTable.slug });
    if (!tenant) throw new Error('insert into tenant returned no row');
    const admin = await createUser(tx, { email: input.adminEmail, displayName: input.adminName });
    const password = await setPassword(tx, admin.id, input.adminPassword, c.passwordPolicy);
    if (!password.ok) throw setupErrors.password(password.problems);
    await markEmailVerified(tx, admin.id);
    const actor = { kind: 'system', process: `setup:${c.via.channel}` } as const;
    return withTenantTx({ db: tx, tenantId: tenant.id, actor, requestId: c.requestId, log: c.log }, async (uow) => {
      await syncTemplateRoles(uow.tx, tenant.id, c.edition.roleTemplates, c.declared);
      await putMember(uow.tx, tenant.id, admin.id, ['owner']);
      const { adminPassword: _secret, ...chosen } = input;
      await uow.tx.insert(setupBusinessDefaults).values({
        tenantId: tenant.id,
        currency: chosen.currency,
        pricesIncludeTax: chosen.pricesIncludeTax,
        taxRates: chosen.taxRates,
        defaultTaxCode: chosen.defaultTaxCode,
        receiptPrefix: chosen.receiptPrefix,
        invoicePrefix: chosen.invoicePrefix,
      });
      const roles = c.edition.roleTemplates.map((template) => template.key);
      recordAudit(uow, {
        action: 'setup.install.completed',
        target: { type: 'tenancy.tenant', id: tenant.id },
        data: { ...chosen, adminUserId: admin.id, roles, folders, via: c.via },
      });
      emit(uow, { type: 'setup.install.completed', payload: { tenantId: tenant.id, slug: tenant.slug } });
      return { tenantId: tenant.id, slug: tenant.slug, adminUserId: admin.id, roles, folders };
    });
  });
}
