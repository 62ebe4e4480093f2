import { asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import { tenantTable, type TenantStatus } from './tenant.table.ts';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  edition: string;
  status: TenantStatus;
}

const columns = {
  id: tenantTable.id,
  slug: tenantTable.slug,
  name: tenantTable.name,
  edition: tenantTable.edition,
  status: tenantTable.status,
};

export async function findTenantBySlug(db: Db | Tx, slug: string): Promise<Tenant | undefined> {
  const [row] = await db.select(columns).from(tenantTable).where(eq(tenantTable.slug, slug)).limit(1);
  return row;
}

export function listTenants(db: Db | Tx): Promise<Tenant[]> {
  return db.select(columns).from(tenantTable).orderBy(asc(tenantTable.name));
}

/** Creates the tenant unless one with that slug exists; returns it either way. */
export async function ensureTenant(tx: Tx, input: { slug: string; name: string; edition: string }): Promise<Tenant> {
  await tx.insert(tenantTable).values(input).onConflictDoNothing({ target: tenantTable.slug });
  const tenant = await findTenantBySlug(tx, input.slug);
  if (!tenant) throw new Error(`tenant ${input.slug} vanished after insert`);
  return tenant;
}
