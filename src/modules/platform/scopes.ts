import type { ServiceContext } from '../../kernel/context.ts';
import type { Tx } from '../../kernel/db/index.ts';
import { PLATFORM_TENANT_ID, withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { platformErrors } from './errors.ts';

/**
 * A console use case touches two tenants in one transaction: the business it changes (rows
 * under row-level security, its own audit chain) and the platform (its audit chain, outbox,
 * mail). Each step is a unit of work of its own in that tenant, with the request's actor and id
 * (a savepoint of the use case's transaction): app.tenant_id names that step's tenant.
 */
export const inTenant = <T>(tx: Tx, ctx: ServiceContext, tenantId: string, work: (scoped: UnitOfWork) => Promise<T>): Promise<T> => withTenantTx({ ...ctx, db: tx, tenantId }, work);
export const inPlatform = <T>(tx: Tx, ctx: ServiceContext, work: (scoped: UnitOfWork) => Promise<T>): Promise<T> => inTenant(tx, ctx, PLATFORM_TENANT_ID, work);

/** The console manages customer businesses; the platform tenant itself is not one of them. */
export function assertCustomerTenant(tenantId: string): void {
  if (tenantId === PLATFORM_TENANT_ID) throw platformErrors.tenantNotFound();
}

/** LIKE wildcards in a search term are literal text, not patterns. */
export const escapeLike = (term: string) => term.replace(/[\\%_]/g, (character) => `\\${character}`);
