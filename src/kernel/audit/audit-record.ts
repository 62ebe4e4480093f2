import { randomUUID } from 'node:crypto';
import { actorLabel, type ServiceContext } from '../context.ts';
import type { UnitOfWork } from '../tenancy/unit-of-work.ts';
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
 * Records one entry in the tenant's audit chain in the unit of work, so the entry commits with
 * the change it records or not at all: it goes into the unit of work's journal and is appended
 * with its other entries and events just before commit (kernel/journal), which takes the
 * tenant's append lock after every row lock of the use case. Needs READ COMMITTED (the default),
 * so the head read after the lock sees the entry the previous holder committed.
 *
 * The database assigns seq, time and previous hash and computes auditHash from the entry's
 * canonical text cut around those values (canonicalPieces, audit_append_entries in migration
 * 0003), so verification recomputes it in Node.
 */
export function recordAudit(uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'actor' | 'requestId'>>, input: AuditInput): RecordedAudit {
  const content: AuditContent = {
    // The uuid as PostgreSQL prints it, so verify hashes the same text it reads back.
    tenant_id: uow.tenantId.toLowerCase(),
    id: randomUUID(),
    actor: actorLabel(uow.actor),
    action: input.action,
    target_type: input.target.type,
    target_id: input.target.id,
    request_id: uow.requestId,
    // What jsonb will give back (toJSON applied, undefined members dropped), so the hash verifies later.
    data: JSON.parse(JSON.stringify(input.data)) as Record<string, unknown>,
  };
  const [beforeTime, beforePrevious, beforeSeq, rest] = canonicalPieces(content);
  uow.journal.audit({
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
