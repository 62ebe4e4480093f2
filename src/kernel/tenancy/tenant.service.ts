import { asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import { tenantTable, type TenantStatus } from './tenant.table.ts';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  edition: string;
  status: TenantStatus;
  /** IANA zone of the business's clocks (kernel/time). */
  timeZone: string;
}

const columns = {
  id: tenantTable.id,
  slug: tenantTable.slug,
  name: tenantTable.name,
  edition: tenantTable.edition,
  status: tenantTable.status,
  timeZone: tenantTable.timeZone,
};

export async function findTenantBySlug(db: Db | Tx, slug: string): Promise<Tenant | undefined> {
  const [row] = await db.select(columns).from(tenantTable).where(eq(tenantTable.slug, slug)).limit(1);
  return row;
}

export function listTenants(db: Db | Tx): Promise<Tenant[]> {
  return db.select(columns).from(tenantTable).orderBy(asc(tenantTable.name));
}

/** Creates the tenant unless one with that slug exists (whose time zone stays as it is); returns it either way. */
export async function ensureTenant(tx: Tx, input: { slug: string; name: string; edition: string; timeZone?: string }): Promise<Tenant> {
  await tx.insert(tenantTable).values(input).onConflictDoNothing({ target: tenantTable.slug });
  const tenant = await findTenantBySlug(tx, input.slug);
  if (!tenant) throw new Error(`tenant ${input.slug} vanished after insert`);
  return tenant;
}

/** The zone of the business's clocks. */
export async function tenantTimeZone(db: Db | Tx, tenantId: string): Promise<string> {
  const [row] = await db.select({ timeZone: tenantTable.timeZone }).from(tenantTable).where(eq(tenantTable.id, tenantId)).limit(1);
  if (!row) throw new Error(`tenant ${tenantId} does not exist`);
  return row.timeZone;
}

/** Moves the business's clocks to another IANA zone (checked by the caller); the guard's cached tenant moves on by trigger. */
export async function setTenantTimeZone(tx: Tx, tenantId: string, timeZone: string): Promise<void> {
  await tx.update(tenantTable).set({ timeZone }).where(eq(tenantTable.id, tenantId));
}
