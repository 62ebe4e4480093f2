import { and, count, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../context.ts';
import { withTenantTx } from '../tenancy/index.ts';
import { pageTotal, toPage, type Page } from './domain/page.ts';
import type { SecurityEventView, SecurityListQuery } from './domain/security-event.ts';
import { isoMicros } from './occurred-at.ts';
import { securityEvent } from './security-event.table.ts';

const view = {
  id: securityEvent.id,
  occurredAt: isoMicros(securityEvent.occurredAt),
  kind: securityEvent.kind,
  severity: securityEvent.severity,
  actor: securityEvent.actor,
  ip: securityEvent.ip,
  requestId: securityEvent.requestId,
  details: securityEvent.details,
};

function filter(ctx: ServiceContext, query: SecurityListQuery): SQL | undefined {
  return and(
    eq(securityEvent.tenantId, ctx.tenantId),
    query.kind === undefined ? undefined : eq(securityEvent.kind, query.kind),
    query.severity === undefined ? undefined : eq(securityEvent.severity, query.severity),
    // As text for PostgreSQL to parse: a Date would drop the bound's microseconds.
    query.from === undefined ? undefined : gte(securityEvent.occurredAt, sql`${query.from}::timestamptz`),
    query.to === undefined ? undefined : lt(securityEvent.occurredAt, sql`${query.to}::timestamptz`),
  );
}

/** The tenant's security events, newest first, one page and the total in one round trip. */
export async function listSecurityEvents(ctx: ServiceContext, query: SecurityListQuery): Promise<Page<SecurityEventView>> {
  const where = filter(ctx, query);
  const { rows, total } = await withTenantTx(ctx, async (uow) => {
    const rows = await uow.tx
      .select({ event: view, total: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(securityEvent)
      .where(where)
      .orderBy(desc(securityEvent.occurredAt), desc(securityEvent.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    const total = await pageTotal(rows, query.page, async () => (await uow.tx.select({ total: count() }).from(securityEvent).where(where))[0]?.total ?? 0);
    return { rows, total };
  });
  return toPage(
    rows.map((row) => row.event),
    total,
    query,
  );
}
