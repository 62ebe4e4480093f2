import { and, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import type { Db } from '../../kernel/db/index.ts';
import { emit, type ScheduleDefinition } from '../../kernel/jobs/index.ts';
import { withPlatformTx, withTenantTx } from '../../kernel/tenancy/index.ts';
import type { Logger } from '../../kernel/observability/logger.ts';
import { ticketTarget } from './ticket.rows.ts';
import { supportTicket } from './ticket.table.ts';

const BATCH = 500;

/** Tickets with a breach not marked yet, across tenants (support_sla_unmarked_breaches, platform scope). */
async function unmarked(db: Db, now: Date): Promise<{ tenant_id: string; id: string }[]> {
  return withPlatformTx({ db }, async (uow) => {
    const { rows } = await uow.tx.execute<{ tenant_id: string; id: string }>(sql`SELECT * FROM support_sla_unmarked_breaches(${now.toISOString()}::timestamptz, ${BATCH}::integer)`);
    return rows;
  });
}

type BreachKind = 'first_response' | 'resolution';

/**
 * Marks each SLA breach once: per ticket, in its tenant's transaction, the breach timestamp is
 * set only where it is still null and the deadline has passed (what it waited for came late or
 * not yet), and `support.ticket.sla_breached` is emitted for exactly the marks that update made.
 * A concurrent or repeated run finds the mark set and emits nothing. Answers how many it marked.
 */
export async function markSlaBreaches(db: Db, log: Pick<Logger, 'info'> | undefined, now = new Date()): Promise<number> {
  let marked = 0;
  for (const { tenant_id: tenantId, id } of await unmarked(db, now)) {
    const ctx: Pick<ServiceContext, 'db' | 'tenantId' | 'actor' | 'requestId'> = { db, tenantId, actor: { kind: 'system', process: 'support.sla' }, requestId: `support.sla:${now.toISOString()}` };
    marked += await withTenantTx(ctx, async (uow) => {
      const kinds: { kind: BreachKind; dueAt: Date }[] = [];
      const ticket = and(eq(supportTicket.tenantId, tenantId), eq(supportTicket.id, id));
      const [first] = await uow.tx
        .update(supportTicket)
        .set({ firstResponseBreachedAt: now })
        .where(and(ticket, isNull(supportTicket.firstResponseBreachedAt), sql`coalesce(${supportTicket.firstRespondedAt}, ${now.toISOString()}::timestamptz) > ${supportTicket.firstResponseDueAt}`))
        .returning({ dueAt: supportTicket.firstResponseDueAt });
      if (first) kinds.push({ kind: 'first_response', dueAt: first.dueAt });
      const [resolution] = await uow.tx
        .update(supportTicket)
        .set({ resolutionBreachedAt: now })
        .where(and(ticket, isNull(supportTicket.resolutionBreachedAt), sql`coalesce(${supportTicket.resolvedAt}, ${now.toISOString()}::timestamptz) > ${supportTicket.resolutionDueAt}`))
        .returning({ dueAt: supportTicket.resolutionDueAt });
      if (resolution) kinds.push({ kind: 'resolution', dueAt: resolution.dueAt });
      for (const { kind, dueAt } of kinds) {
        recordAudit(uow, { action: 'support.ticket.sla_breached', target: ticketTarget(id), data: { kind, dueAt: dueAt.toISOString() } });
        emit(uow, { type: 'support.ticket.sla_breached', payload: { ticketId: id, kind, dueAt: dueAt.toISOString() } });
      }
      return kinds.length;
    });
  }
  if (marked > 0) log?.info({ marked }, 'support SLA breaches marked');
  return marked;
}

export const slaSchedule: ScheduleDefinition = {
  name: 'sla-breaches',
  cron: '* * * * *',
  run: async ({ database, log }) => {
    await markSlaBreaches(database.db, log);
  },
};
