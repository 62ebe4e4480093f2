import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { actorLabel, type ServiceContext } from '../context.ts';
import type { Tx } from '../db/index.ts';
import { auditEvent } from './audit-event.table.ts';
import { auditHash, GENESIS_HASH, type AuditEntry } from './hash.ts';

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
  const head = appendedBy.get(tx)?.get(tenantId) ?? (await lockChainHead(tx, tenantId));
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
  const heads = appendedBy.get(tx) ?? new Map<string, ChainHead>();
  heads.set(tenantId, { seq: entry.seq, hash, at: head.at });
  appendedBy.set(tx, heads);
  return { seq: entry.seq, id: entry.id, hash };
}

interface ChainHead {
  seq: number | null;
  hash: string | null;
  /** When the entry appended after this head happened (ISO, microseconds). */
  at: string;
}

/**
 * The entries a transaction appended last, per tenant. Once a transaction holds a tenant's append
 * lock nobody else appends to that chain until it ends, so its next entry follows the one it just
 * wrote: a use case that audits twice (a sale and its stock movement) skips the lock and the head
 * read the second time, while the tenant-wide lock is held. Entries after the first in one
 * transaction carry its time: they record one atomic change. Keyed by the transaction object: a
 * savepoint (another object) reads the head itself; an outer transaction appending after a
 * released savepoint's entries would collide on the chain's primary key and fail, never fork it.
 */
const appendedBy = new WeakMap<Tx, Map<string, ChainHead>>();

/** Takes the tenant's append lock and reads the chain head, in one round trip (see migration 0002_chain_head_function). */
async function lockChainHead(tx: Tx, tenantId: string): Promise<ChainHead> {
  const { rows } = await tx.execute<{ seq: number | null; hash: string | null; at: string }>(sql`SELECT seq, hash, at FROM audit_lock_chain_head(${tenantId})`);
  const head = rows[0];
  if (!head) throw new Error('audit: the chain head query returned no row');
  return head;
}
