import { randomUUID } from 'node:crypto';
import { actorLabel, type ServiceContext } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { writeAuditEntry } from '../journal/index.ts';
import { canonicalPieces, type AuditContent } from './hash.ts';

export interface AuditInput {
  /** `module.resource.verb` in the past tense, e.g. `catalog.product.created`. */
  action: string;
  target: { type: string; id: string };
  /** The change as plain JSON, e.g. `{ changes: { priceMinor: { before: 100, after: 120 } } }`. */
  data: Record<string, unknown>;
}

export interface RecordedAudit {
  /** The entry's id (its seq and hash are assigned when it is appended). */
  id: string;
}

/**
 * Records one entry in the tenant's audit chain inside the use case's own tenant transaction
 * `tx`, so the entry commits with the change it records or not at all. In a transaction of
 * withTenantTx the entry goes into the use case's journal and is appended with its other
 * entries and events just before commit (kernel/journal); elsewhere it is appended at once, and
 * then it takes the tenant's append lock, held until commit: call it after the use case's last
 * row lock (taking row locks after it could deadlock with another writer of the tenant). Needs
 * READ COMMITTED (the default), so the head read after the lock sees the entry the previous
 * holder committed.
 *
 * The database assigns seq, time and previous hash and computes auditHash from the entry's
 * canonical text cut around those values (canonicalPieces, audit_append_entries in migration
 * 0003), so verification recomputes it in Node.
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
  await writeAuditEntry(tx, {
    tenantId: content.tenant_id,
    id: content.id,
    actor: content.actor,
    action: content.action,
    targetType: content.target_type,
    targetId: content.target_id,
    requestId: content.request_id,
    data: content.data,
    beforeTime,
    beforePrevious,
    beforeSeq,
    rest,
  });
  return { id: content.id };
}
