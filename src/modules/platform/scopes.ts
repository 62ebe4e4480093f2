import type { ServiceContext } from '../../kernel/context.ts';
import type { Tx } from '../../kernel/db/index.ts';
import { PLATFORM_TENANT_ID, withTenantTx } from '../../kernel/tenancy/index.ts';
import { platformErrors } from './errors.ts';

/**
 * A console use case touches two tenants in one transaction: the business it changes (rows
 * under row-level security, its own audit chain) and the platform (its audit chain, outbox,
 * mail). Each step re-scopes the transaction: app.tenant_id names that step's tenant.
 */
export const inTenant = <T>(tx: Tx, tenantId: string, work: (scoped: Tx) => Promise<T>): Promise<T> => withTenantTx({ db: tx, tenantId }, work);
export const inPlatform = <T>(tx: Tx, work: (scoped: Tx) => Promise<T>): Promise<T> => inTenant(tx, PLATFORM_TENANT_ID, work);

/** The same actor and request, recording in the business's own audit chain. */
export const auditIn = (ctx: Pick<ServiceContext, 'actor' | 'requestId'>, tenantId: string) => ({ tenantId, actor: ctx.actor, requestId: ctx.requestId });

/** The console manages customer businesses; the platform tenant itself is not one of them. */
export function assertCustomerTenant(tenantId: string): void {
  if (tenantId === PLATFORM_TENANT_ID) throw platformErrors.tenantNotFound();
}

/** LIKE wildcards in a search term are literal text, not patterns. */
export const escapeLike = (term: string) => term.replace(/[\\%_]/g, (character) => `\\${character}`);
