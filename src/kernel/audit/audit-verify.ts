import { and, asc, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { withTenantTx } from '../tenancy/index.ts';
import { auditEvent } from './audit-event.table.ts';
import type { ChainBreak, ChainVerification } from './domain/audit-event.ts';
import { auditHash, GENESIS_HASH, type AuditEntry } from './hash.ts';
import { isoMicros } from './occurred-at.ts';

/** Rows read per round trip: the chain is checked in keyset-paged batches, never loaded whole. */
const BATCH = 1_000;

const entryColumns = {
  tenant_id: auditEvent.tenantId,
  seq: auditEvent.seq,
  id: auditEvent.id,
  occurred_at: isoMicros(auditEvent.occurredAt),
  actor: auditEvent.actor,
  action: auditEvent.action,
  target_type: auditEvent.targetType,
  target_id: auditEvent.targetId,
  request_id: auditEvent.requestId,
  data: auditEvent.data,
  prev_hash: auditEvent.prevHash,
  hash: auditEvent.hash,
};

/** Why `row` does not follow the entry whose seq and hash are given, if it does not. */
function breakOf(row: AuditEntry & { hash: string }, previous: ChainLink): ChainBreak | undefined {
  if (row.seq !== previous.seq + 1) return 'seq_gap';
  if (row.prev_hash !== previous.hash) return 'prev_hash_mismatch';
  const { hash, ...entry } = row;
  if (auditHash(entry) !== hash) return 'hash_mismatch';
  return undefined;
}

/** A point in a chain: an entry's seq and hash (seq 0 and GENESIS_HASH before the first entry). */
export interface ChainLink {
  seq: number;
  hash: string;
}

export type ChainWalk = { ok: true; head: ChainLink } | Extract<ChainVerification, { ok: false }>;

/**
 * Walks a tenant's audit chain on from `from` (by default its start) and reports the first entry
 * that does not follow its predecessor: a missing seq (an entry was deleted), a prev_hash that is
 * not the previous hash (an entry was replaced), or a hash that does not match the entry (an
 * entry was edited); or else the last entry it read. Each batch is its own short tenant
 * transaction; entries appended meanwhile extend the walk.
 */
export async function walkAuditChain(db: Db, tenantId: string, from: ChainLink = { seq: 0, hash: GENESIS_HASH }): Promise<ChainWalk> {
  let previous = from;
  for (;;) {
    const rows = await withTenantTx({ db, tenantId }, (uow) =>
      uow.tx
        .select(entryColumns)
        .from(auditEvent)
        .where(and(eq(auditEvent.tenantId, tenantId), gt(auditEvent.seq, previous.seq)))
        .orderBy(asc(auditEvent.seq))
        .limit(BATCH),
    );
    for (const row of rows) {
      const reason = breakOf(row, previous);
      if (reason) return { ok: false, brokenAt: { seq: row.seq, id: row.id, reason } };
      previous = { seq: row.seq, hash: row.hash };
    }
    if (rows.length < BATCH) return { ok: true, head: previous };
  }
}

/** Walks a tenant's whole audit chain from seq 1 (walkAuditChain) and answers its length or its first broken entry. */
export async function verifyAuditChain(db: Db, tenantId: string): Promise<ChainVerification> {
  const walk = await walkAuditChain(db, tenantId);
  return walk.ok ? { ok: true, entries: walk.head.seq } : walk;
}
