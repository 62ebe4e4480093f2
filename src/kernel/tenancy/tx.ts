import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../context.ts';
import { statement, TENANT_SETTING, type Tx } from '../db/index.ts';
import { journaled, writeJournalSoFar } from '../journal/index.ts';

/** Scopes the transaction to a tenant: row-level security reads this setting. */
const scopeToTenant = statement('tenancy_scope_transaction', sql`SELECT set_config(${TENANT_SETTING}, ${sql.placeholder('tenantId')}, true)`);

/**
 * Runs one use case in one transaction scoped to the context's tenant: everything it writes
 * commits together or not at all, and row-level security hides every other tenant's rows even
 * from a query that forgets its tenant filter. Its audit entries and outbox events are written
 * together at its end (kernel/journal).
 */
export function withTenantTx<T>(ctx: Pick<ServiceContext, 'db' | 'tenantId'>, work: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(async (tx) => {
    await scopeToTenant.run(tx, { tenantId: ctx.tenantId });
    return journaled(tx, () => work(tx));
  });
}

/**
 * Scopes a use case's transaction to another tenant from here on (a job that learns the tenant
 * on the way, a write that belongs to another tenant than the use case's). What the use case's
 * journal holds is written first, under the scope it was recorded in.
 */
export async function scopeTransactionTo(tx: Tx, tenantId: string): Promise<void> {
  await writeJournalSoFar(tx);
  await scopeToTenant.run(tx, { tenantId });
}
