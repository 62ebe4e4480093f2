import type { Database } from '../kernel/db/index.ts';
import type { Logger } from '../kernel/observability/logger.ts';
import type { EditionDefinition } from '../kernel/module/index.ts';
import { ensureTenant, type Tenant } from '../kernel/tenancy/index.ts';
import { withTx } from '../kernel/db/index.ts';

/** Creates each served edition's demo tenant and fills it; safe to run at every start. */
export async function seedDemoData(database: Database, editions: readonly EditionDefinition[], log: Logger): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  for (const edition of editions) {
    if (!edition.demo) continue;
    const { slug, name, seed } = edition.demo;
    const tenant = await withTx(database.db, (tx) => ensureTenant(tx, { slug, name, edition: edition.id }));
    await seed({
      db: database.db,
      tenantId: tenant.id,
      actor: { kind: 'system', process: 'demo-seed' },
      requestId: `demo-seed:${edition.id}`,
      log: log.child({ edition: edition.id }),
    });
    tenants.push(tenant);
  }
  return tenants;
}
