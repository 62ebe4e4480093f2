import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { actorLabel, type ServiceContext } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { auditEvent } from './audit-event.table.ts';
import { auditHash, GENESIS_HASH, type AuditEntry } from './hash.ts';
import { isoMicros } from './occurred-at.ts';

/** First key of the two-key advisory lock that serializes one tenant's appends ("audt"); the second is the tenant. */
const AUDIT_APPEND_LOCK = 0x61756474;

export interface AuditInput {
  /** `module.resource.verb` in the past tense, e.g. `catalog.product.created`. */
  action: string;
  target: { type: string; id: string };
  /** The change as plain JSON, e.g. `{ changes: { priceMinor: { before: 100, after: 120 } } }`. */
  data: Record<string, unknown>;
}

export interface RecordedAudit {
  seq: number;
  id: string;
  hash: string;
}

/**
 * Appends one entry to the tenant's audit chain inside the use case's own tenant transaction
 * `tx`, so the entry commits with the change it records or not at all. Call it after the use
 * case's last row lock: it takes the tenant's append lock, held until commit, and taking row
 * locks after it could deadlock with another writer of the tenant. Needs READ COMMITTED (the
 * default), so the read after the lock sees the entry the previous holder committed.
 */
export async function recordAudit(tx: Tx, ctx: Pick<ServiceContext, 'tenantId' | 'actor' | 'requestId'>, input: AuditInput): Promise<RecordedAudit> {
  // The uuid as PostgreSQL prints it, so verify hashes the same text it reads back.
  const tenantId = ctx.tenantId.toLowerCase();
  // Its own statement: a statement's snapshot is taken when it starts, before it waits for the lock.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_APPEND_LOCK}, hashtext(${tenantId}))`);
  const { rows } = await tx.execute<{ seq: number | null; hash: string | null; at: string }>(sql`
    SELECT head.seq, head.hash, ${isoMicros(sql`clock_timestamp()`)} AS at
      FROM (SELECT 1) AS one
      LEFT JOIN (
        SELECT ${auditEvent.seq} AS seq, ${auditEvent.hash} AS hash FROM ${auditEvent}
         WHERE ${auditEvent.tenantId} = ${tenantId} ORDER BY ${auditEvent.seq} DESC LIMIT 1
      ) AS head ON true`);
  const head = rows[0];
  if (!head) throw new Error('audit: the chain head query returned no row');

  const entry: AuditEntry = {
    tenant_id: tenantId,
    seq: (head.seq ?? 0) + 1,
    id: randomUUID(),
    occurred_at: head.at,
    actor: actorLabel(ctx.actor),
    action: input.action,
    target_type: input.target.type,
    target_id: input.target.id,
    request_id: ctx.requestId,
    // What jsonb will give back (toJSON applied, undefined members dropped), so the hash verifies later.
    data: JSON.parse(JSON.stringify(input.data)) as Record<string, unknown>,
    prev_hash: head.hash ?? GENESIS_HASH,
  };
  const hash = auditHash(entry);
  await tx.insert(auditEvent).values({
    tenantId: entry.tenant_id,
    seq: entry.seq,
    id: entry.id,
    occurredAt: entry.occurred_at,
    actor: entry.actor,
    action: entry.action,
    targetType: entry.target_type,
    targetId: entry.target_id,
    requestId: entry.request_id,
    data: entry.data,
    prevHash: entry.prev_hash,
    hash,
  });
  return { seq: entry.seq, id: entry.id, hash };
}
