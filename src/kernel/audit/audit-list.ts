import { and, count, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../context.ts';
import { withTenantTx } from '../tenancy/index.ts';
import { auditEvent } from './audit-event.table.ts';
import type { AuditEventView, AuditFilters, AuditListQuery } from './domain/audit-event.ts';
import { pageTotal, toPage, type Page } from './domain/page.ts';
import { isoMicros } from './occurred-at.ts';

const view = {
  seq: auditEvent.seq,
  id: auditEvent.id,
  occurredAt: isoMicros(auditEvent.occurredAt),
  actor: auditEvent.actor,
  action: auditEvent.action,
  targetType: auditEvent.targetType,
  targetId: auditEvent.targetId,
  requestId: auditEvent.requestId,
  data: auditEvent.data,
  prevHash: auditEvent.prevHash,
  hash: auditEvent.hash,
};

function filter(ctx: ServiceContext, filters: AuditFilters): SQL | undefined {
  return and(
    eq(auditEvent.tenantId, ctx.tenantId),
    filters.action === undefined ? undefined : eq(auditEvent.action, filters.action),
    filters.actor === undefined ? undefined : eq(auditEvent.actor, filters.actor),
    filters.targetType === undefined ? undefined : eq(auditEvent.targetType, filters.targetType),
    filters.targetId === undefined ? undefined : eq(auditEvent.targetId, filters.targetId),
    filters.from === undefined ? undefined : gte(auditEvent.occurredAt, filters.from),
    filters.to === undefined ? undefined : lt(auditEvent.occurredAt, filters.to),
  );
}

/** The tenant's audit entries, newest first, one page and the total in one round trip. */
export async function listAuditEvents(ctx: ServiceContext, query: AuditListQuery): Promise<Page<AuditEventView>> {
  const where = filter(ctx, query);
  const { rows, total } = await withTenantTx(ctx, async (uow) => {
    const rows = await uow.tx
      .select({ entry: view, total: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(auditEvent)
      .where(where)
      .orderBy(desc(auditEvent.seq))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    const total = await pageTotal(rows, query.page, async () => (await uow.tx.select({ total: count() }).from(auditEvent).where(where))[0]?.total ?? 0);
    return { rows, total };
  });
  return toPage(
    rows.map((row) => row.entry),
    total,
    query,
  );
}

const EXPORT_BATCH = 1_000;

/**
 * Every matching entry, newest first, in keyset-paged batches (each its own short tenant
 * transaction) so an export of millions of rows never holds them all or one long transaction.
 */
export async function* auditEventBatches(ctx: ServiceContext, filters: AuditFilters): AsyncGenerator<AuditEventView[]> {
  let before: number | undefined;
  for (;;) {
    const batch = await withTenantTx(ctx, (uow) =>
      uow.tx
        .select(view)
        .from(auditEvent)
        .where(and(filter(ctx, filters), before === undefined ? undefined : lt(auditEvent.seq, before)))
        .orderBy(desc(auditEvent.seq))
        .limit(EXPORT_BATCH),
    );
    if (batch.length > 0) yield batch;
    const last = batch.at(-1);
    if (!last || batch.length < EXPORT_BATCH) return;
    before = last.seq;
  }
}

/** What the business's log can be filtered by: the actors, actions and kinds of record it holds (each at most 500). */
export async function auditFilterChoices(ctx: ServiceContext): Promise<{ actors: string[]; actions: string[]; targetTypes: string[] }> {
  return withTenantTx(ctx, async (uow) => {
    const distinct = async (column: typeof auditEvent.actor | typeof auditEvent.action | typeof auditEvent.targetType) =>
      (await uow.tx.selectDistinct({ value: column }).from(auditEvent).where(eq(auditEvent.tenantId, ctx.tenantId)).orderBy(column).limit(500)).map((row) => row.value);
    return { actors: await distinct(auditEvent.actor), actions: await distinct(auditEvent.action), targetTypes: await distinct(auditEvent.targetType) };
  });
}
