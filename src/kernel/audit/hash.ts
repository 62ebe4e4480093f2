import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The version of the entry hash format below (auditHash, canonicalPieces, audit_append_entries):
 * 1 = `sha256(prev_hash || RFC 8785 JSON of the entry's columns)`. Signed checkpoints record it;
 * a change to the format needs a new number, and tests/kernel/audit/hash.test.ts pins entries
 * and their hashes under each one.
 */
export const AUDIT_HASH_FORMAT = 1;

/** prev_hash of a tenant's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Everything an entry says except its own hash, under the column names, so anyone holding the
 * rows (or the CSV export) can recompute the chain without Plinth.
 */
export interface AuditEntry {
  tenant_id: string;
  seq: number;
  id: string;
  /** ISO 8601 UTC with microseconds, exactly as stored (see isoMicros in occurred-at.ts). */
  occurred_at: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  request_id: string;
  data: Record<string, unknown>;
  prev_hash: string;
}

/**
 * `sha256(prev_hash || canonical_json(entry))` as hex. Canonical JSON is RFC 8785 (JCS), from
 * `canonicalize` by one of the RFC's authors: sorted keys and fixed number and string forms make
 * the text independent of key order, which jsonb does not keep.
 */
export function auditHash(entry: AuditEntry): string {
  // An object always serializes; canonicalize returns undefined only for undefined input.
  const json = canonicalize(entry) as string;
  return createHash('sha256').update(entry.prev_hash).update(json).digest('hex');
}

/** An entry's fields except the three the database assigns when it appends (seq, time, previous hash). */
export type AuditContent = Omit<AuditEntry, 'seq' | 'occurred_at' | 'prev_hash'>;

/**
 * canonical_json(entry) cut around the values the database assigns when it appends, so SQL can
 * compute auditHash without another round trip:
 * `pieces[0] || occurred_at || pieces[1] || prev_hash || pieces[2] || seq || pieces[3]`.
 * Written out in RFC 8785's key order (the entry's keys sorted); the three values need no
 * escaping (ISO time and hex are plain JSON string content, seq a plain integer).
 */
export function canonicalPieces(content: AuditContent): [string, string, string, string] {
  const json = (value: unknown) => canonicalize(value) as string;
  return [
    `{"action":${json(content.action)},"actor":${json(content.actor)},"data":${json(content.data)},"id":${json(content.id)},"occurred_at":"`,
    `","prev_hash":"`,
    `","request_id":${json(content.request_id)},"seq":`,
    `,"target_id":${json(content.target_id)},"target_type":${json(content.target_type)},"tenant_id":${json(content.tenant_id)}}`,
  ];
}
