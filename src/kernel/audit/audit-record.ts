import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { actorLabel, type ServiceContext } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { auditEvent } from './audit-event.table.ts';
import { canonicalPieces, GENESIS_HASH, type AuditContent } from './hash.ts';

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
 *
 * One statement: audit_lock_chain_head (migration 0002) takes the lock and reads the chain head
 * with a fresh snapshot, and the database computes auditHash from the entry's canonical text cut
 * around the values it assigns (canonicalPieces), so verification recomputes it in Node.
 */
export async function recordAudit(tx: Tx, ctx: Pick<ServiceContext, 'tenantId' | 'actor' | 'requestId'>, input: AuditInput): Promise<RecordedAudit> {
  const content: AuditContent = {
    // The uuid as PostgreSQL prints it, so verify hashes the same text it reads back.
    tenant_id: ctx.tenantId.toLowerCase(),
    id: randomUUID(),
    actor: actorLabel(ctx.actor),
    action: input.action,
    target_type: input.target.type,
    target_id: input.target.id,
    request_id: ctx.requestId,
    // What jsonb will give back (toJSON applied, undefined members dropped), so the hash verifies later.
    data: JSON.parse(JSON.stringify(input.data)) as Record<string, unknown>,
  };
  const [beforeTime, beforePrevious, beforeSeq, rest] = canonicalPieces(content);
  const { rows } = await tx.execute<{ seq: number | string; hash: string }>(sql`
    INSERT INTO ${auditEvent} (tenant_id, seq, id, occurred_at, actor, action, target_type, target_id, request_id, data, prev_hash, hash)
    SELECT ${content.tenant_id}, head.seq, ${content.id}, head.at::timestamptz, ${content.actor}, ${content.action}, ${content.target_type}, ${content.target_id},
           ${content.request_id}, ${JSON.stringify(content.data)}::jsonb, head.prev_hash,
           encode(sha256(convert_to(head.prev_hash || ${beforeTime} || head.at || ${beforePrevious} || head.prev_hash || ${beforeSeq} || head.seq::text || ${rest}, 'UTF8')), 'hex')
      FROM (SELECT coalesce(chain.seq, 0) + 1 AS seq, coalesce(chain.hash, ${GENESIS_HASH}) AS prev_hash, chain.at FROM audit_lock_chain_head(${content.tenant_id}) AS chain) AS head
    RETURNING seq, hash`);
  const row = rows[0];
  if (!row) throw new Error('audit: the append returned no row');
  return { seq: Number(row.seq), id: content.id, hash: row.hash };
}
