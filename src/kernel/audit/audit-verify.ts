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
function breakOf(row: AuditEntry & { hash: string }, previous: { seq: number; hash: string }): ChainBreak | undefined {
  if (row.seq !== previous.seq + 1) return 'seq_gap';
  if (row.prev_hash !== previous.hash) return 'prev_hash_mismatch';
  const { hash, ...entry } = row;
  if (auditHash(entry) !== hash) return 'hash_mismatch';
  return undefined;
}

/**
 * Walks a tenant's audit chain from seq 1 and reports the first entry that does not follow its
 * predecessor: a missing seq (an entry was deleted), a prev_hash that is not the previous hash
 * (an entry was replaced), or a hash that does not match the entry (an entry was edited). Each
 * batch is its own short tenant transaction; entries appended meanwhile extend the walk.
 */
export async function verifyAuditChain(db: Db, tenantId: string): Promise<ChainVerification> {
  let previous = { seq: 0, hash: GENESIS_HASH };
  for (;;) {
    const rows = await withTenantTx({ db, tenantId }, (tx) =>
      tx
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
    if (rows.length < BATCH) return { ok: true, entries: previous.seq };
  }
}
