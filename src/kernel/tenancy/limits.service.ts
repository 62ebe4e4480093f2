import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/index.ts';
import { AppError } from '../errors.ts';
import { tenantLimit } from './limits.table.ts';

/** What plans limit; the label names it in the refusal. */
export const LIMITS = { members: 'active members', terminals: 'terminals', locations: 'locations in use' } as const;
export type LimitKey = keyof typeof LIMITS;

export const limitErrors = {
  reached: (key: LimitKey, max: number) =>
    new AppError('CONFLICT', `Your plan allows ${max} ${LIMITS[key]}; this would go over it.`, { reason: 'PLAN_LIMIT_REACHED', limit: key, max }),
};

/** Sets (or with null, lifts) a tenant's limit; run in the tenant's transaction. */
export async function setTenantLimit(tx: Tx | Db, tenantId: string, key: LimitKey, max: number | null): Promise<void> {
  if (max === null) {
    await tx.delete(tenantLimit).where(and(eq(tenantLimit.tenantId, tenantId), eq(tenantLimit.key, key)));
    return;
  }
  await tx
    .insert(tenantLimit)
    .values({ tenantId, key, max })
    .onConflictDoUpdate({ target: [tenantLimit.tenantId, tenantLimit.key], set: { max, updatedAt: sql`now()` } });
}

/**
 * Refuses (CONFLICT naming the limit) when adding one more would exceed the tenant's limit.
 * Call inside the use case's tenant transaction, before adding: the advisory lock serialises
 * concurrent adds of the same kind in one tenant until commit, so two cannot both take the
 * last place. `count` is the current number, counted after the lock.
 */
export async function assertRoomFor(tx: Tx, tenantId: string, key: LimitKey, count: () => Promise<number>): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`plinth.limit:${tenantId}:${key}`}))`);
  const [limit] = await tx.select({ max: tenantLimit.max }).from(tenantLimit).where(and(eq(tenantLimit.tenantId, tenantId), eq(tenantLimit.key, key)));
  if (limit && (await count()) >= limit.max) throw limitErrors.reached(key, limit.max);
}
