import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../context.ts';
import { statement, TENANT_SETTING, withReadScope, type Reader, type Tx } from '../db/index.ts';
import { Journal } from '../journal/journal.ts';
import { PLATFORM_TENANT_ID } from './platform.ts';
import type { UnitOfWork, UnitOfWorkState } from './unit-of-work.ts';

/** Scopes the transaction to a tenant: row-level security reads this setting. */
const scopeToTenant = statement('tenancy_scope_transaction', sql`SELECT set_config(${TENANT_SETTING}, ${sql.placeholder('tenantId')}, true)`);

/** The fewest facts a unit of work can be opened with: where to write and for which tenant (jobs and tests add the rest they need). */
type Opening = Pick<ServiceContext, 'db' | 'tenantId'>;

/**
 * Runs one use case as one unit of work (see unit-of-work.ts): one transaction scoped to the
 * context's tenant, so everything it writes commits together or not at all, and row-level
 * security hides every other tenant's rows even from a query that forgets its tenant filter.
 * `ctx.db` may itself be a transaction: the unit of work is then a savepoint with a journal and
 * apply phase of its own, written when it ends (the console's steps in another tenant's scope).
 */
export function withTenantTx<C extends Opening, T>(ctx: C, work: (uow: UnitOfWork<Omit<C, 'db'>>) => Promise<T>): Promise<T> {
  const { db, ...scope } = ctx;
  return db.transaction(async (tx) => {
    await scopeToTenant.run(tx, { tenantId: ctx.tenantId });
    const journal = new Journal();
    const applySteps: (() => Promise<unknown>)[] = [];
    const counts = new Map<string, number>();
    const state: UnitOfWorkState = {
      tx,
      journal,
      onApply: (step) => void applySteps.push(step),
      count(key) {
        const count = counts.get(key) ?? 0;
        counts.set(key, count + 1);
        return count;
      },
    };
    const result = await work({ ...scope, ...state } as UnitOfWork<Omit<C, 'db'>>);
    // In the order registered; a step registering another one runs it too (the iterator sees the array grow).
    for (const step of applySteps) await step();
    await journal.close(tx);
    return result;
  });
}

/** What a read-only use case works with: its request's scope and a handle whose statements run in the tenant's scope. */
export type TenantRead<Scope> = Readonly<Scope> & { readonly tx: Reader };

/**
 * Runs a use case that only reads, in the context's tenant scope under row-level security, with
 * no transaction around it: each statement is scoped and read-only in its own single round trip
 * (kernel/db/read-scope.ts), where withTenantTx costs BEGIN, scope and COMMIT besides. For reads of
 * one statement, or of several that need not share a snapshot; it records nothing (no journal).
 * When `ctx.db` is itself a transaction, the read runs in it as a unit of work would.
 */
export async function withTenantRead<C extends Opening, T>(ctx: C, work: (read: TenantRead<Omit<C, 'db'>>) => Promise<T>): Promise<T> {
  const { db, ...scope } = ctx;
  const scoped = await withReadScope(db, ctx.tenantId, (tx) => work({ ...scope, tx }));
  return scoped ? scoped.value : withTenantTx(ctx, (uow) => work({ ...scope, tx: uow.tx }));
}

/** withTenantTx in the platform's own tenant (console and support-staff use cases, platform jobs). */
export function withPlatformTx<C extends Pick<ServiceContext, 'db'>, T>(ctx: C, work: (uow: UnitOfWork<Omit<C, 'db'> & { tenantId: string }>) => Promise<T>): Promise<T> {
  return withTenantTx({ ...ctx, tenantId: PLATFORM_TENANT_ID }, work);
}

/** Scopes a transaction that is no unit of work (a read of identity's, which records nothing) to a tenant. */
export async function scopeReadsTo(tx: Tx, tenantId: string): Promise<void> {
  await scopeToTenant.run(tx, { tenantId });
}

/**
 * Scopes a unit of work's transaction to another tenant from here on (a job that learns the
 * tenant on the way, a write that belongs to another tenant than the use case's) and answers the
 * unit of work as that tenant's: same transaction, journal and apply phase. What the journal
 * holds is written first, under the scope it was recorded in.
 */
export async function scopeTransactionTo<U extends UnitOfWork<{ tenantId: string }>>(uow: U, tenantId: string): Promise<U> {
  await uow.journal.writeSoFar(uow.tx);
  await scopeToTenant.run(uow.tx, { tenantId });
  return { ...uow, tenantId };
}

