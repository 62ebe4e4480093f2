import { sql } from 'drizzle-orm';
import { actorLabel } from '../context.ts';
import type { Db } from '../db/index.ts';
import { withTenantTx } from '../tenancy/index.ts';
import { auditEvent } from './audit-event.table.ts';
import { securityEvent } from './security-event.table.ts';
import { logSecurityEvent, type WarnLogger } from './security-record.ts';

/** First key of the two-key advisory lock that makes one check per tenant and kind at a time ("spik"). */
const SPIKE_CHECK_LOCK = 0x7370696b;
const ACTOR = actorLabel({ kind: 'system', process: 'spike-detector' });

export interface RateSpikeCheck {
  tenantId: string;
  /** What may spike, e.g. `refund`; a spike is recorded as the security event `<kind>_spike`. */
  kind: string;
  /** Count audit entries with this action (e.g. `pos.sale.refunded`); absent: security events of `kind`. */
  auditAction?: string;
  windowMinutes: number;
  /** More than this many in the window is a spike. */
  threshold: number;
}

export interface RateSpike {
  count: number;
  /** Whether this check recorded the spike; false below the threshold or when the window already has one. */
  recorded: boolean;
}

/**
 * Counts the tenant's events of a kind in the last `windowMinutes` and, above the threshold,
 * records one `<kind>_spike` security event (severity warning) unless the window already has
 * one. Counting and recording are one SQL statement under a per-tenant-and-kind lock, so
 * concurrent checks record a spike once.
 */
export async function detectRateSpike(db: Db, check: RateSpikeCheck, log: WarnLogger): Promise<RateSpike> {
  const { tenantId, windowMinutes, threshold } = check;
  const spikeKind = `${check.kind}_spike` as const;
  const since = sql`now() - make_interval(mins => ${windowMinutes}::int)`;
  const counted =
    check.auditAction === undefined
      ? sql`SELECT count(*)::int AS n FROM ${securityEvent}
             WHERE ${securityEvent.tenantId} = ${tenantId} AND ${securityEvent.kind} = ${check.kind} AND ${securityEvent.occurredAt} > ${since}`
      : sql`SELECT count(*)::int AS n FROM ${auditEvent}
             WHERE ${auditEvent.tenantId} = ${tenantId} AND ${auditEvent.action} = ${check.auditAction} AND ${auditEvent.occurredAt} > ${since}`;
  const details = { counted: check.auditAction ?? check.kind, threshold, windowMinutes };

  const result = await withTenantTx({ db, tenantId }, async (uow) => {
    await uow.tx.execute(sql`SELECT pg_advisory_xact_lock(${SPIKE_CHECK_LOCK}, hashtext(${`${tenantId}:${spikeKind}`}))`);
    const { rows } = await uow.tx.execute<{ count: number; recorded: boolean }>(sql`
      WITH counted AS (${counted}),
      spike AS (
        INSERT INTO ${securityEvent} (tenant_id, kind, severity, actor, details)
        SELECT ${tenantId}, ${spikeKind}, 'warning', ${ACTOR}, ${JSON.stringify(details)}::jsonb || jsonb_build_object('count', n)
          FROM counted
         WHERE n > ${threshold}::int
           AND NOT EXISTS (
             SELECT 1 FROM ${securityEvent}
              WHERE ${securityEvent.tenantId} = ${tenantId} AND ${securityEvent.kind} = ${spikeKind} AND ${securityEvent.occurredAt} > ${since})
        RETURNING 1)
      SELECT n AS count, EXISTS (SELECT 1 FROM spike) AS recorded FROM counted`);
    return rows[0] ?? { count: 0, recorded: false };
  });
  if (result.recorded)
    logSecurityEvent(log, { tenantId, kind: spikeKind, severity: 'warning', actor: ACTOR, details: { ...details, count: result.count } });
  return result;
}
