import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { actorLabel, type ServiceContext } from '../context.ts';
import { statement, type Tx } from '../db/index.ts';
import { auditEvent } from './audit-event.table.ts';
import { canonicalPieces, GENESIS_HASH, type AuditContent } from './hash.ts';

export interface AuditInput {
  /** `module.resource.verb` in the past tense, e.g. `catalog.product.created`. */
  action: string;
  target: { type: string; id: string };
  /** The change as plain JSON, e.g. `{ changes: { priceMinor: { before: 100, after: 120 } } }`. */
  data: Record<string, unknown>;
}

const value = (name: string) => sql.placeholder(name);

/** See recordAudit. */
const appendEntry = statement<{ seq: number | string; hash: string }>(
  'audit_append',
  sql`INSERT INTO ${auditEvent} (tenant_id, seq, id, occurred_at, actor, action, target_type, target_id, request_id, data, prev_hash, hash)
      SELECT ${value('tenantId')}, head.seq, ${value('id')}, head.at::timestamptz, ${value('actor')}, ${value('action')}, ${value('targetType')}, ${value('targetId')},
             ${value('requestId')}, ${value('data')}::jsonb, head.prev_hash,
             encode(sha256(convert_to(head.prev_hash || ${value('beforeTime')}::text || head.at || ${value('beforePrevious')}::text || head.prev_hash
                                      || ${value('beforeSeq')}::text || head.seq::text || ${value('rest')}::text, 'UTF8')), 'hex')
        FROM (SELECT coalesce(chain.seq, 0) + 1 AS seq, coalesce(chain.hash, ${GENESIS_HASH}) AS prev_hash, chain.at FROM audit_lock_chain_head(${value('tenantId')}) AS chain) AS head
      RETURNING seq, hash`,
);

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
  const [row] = await appendEntry.run(tx, {
    tenantId: content.tenant_id,
    id: content.id,
    actor: content.actor,
    action: content.action,
    targetType: content.target_type,
    targetId: content.target_id,
    requestId: content.request_id,
    data: JSON.stringify(content.data),
    beforeTime,
    beforePrevious,
    beforeSeq,
    rest,
  });
  if (!row) throw new Error('audit: the append returned no row');
  return { seq: Number(row.seq), id: content.id, hash: row.hash };
}
