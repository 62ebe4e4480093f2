import { sql } from 'drizzle-orm';
import { bigint, check, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenancy/tenant.table.ts';

/**
 * A signed checkpoint of a tenant's audit chain: its head (seq, hash) at `signed_at`, signed with
 * the installation's Ed25519 key, which lives outside the database (checkpoint.ts). Append-only
 * like audit_event (a trigger rejects UPDATE, DELETE and TRUNCATE); one per head seq, so signing
 * the same head twice stores one. Each is also appended to the checkpoint log beside the key.
 */
export const auditCheckpoint = pgTable(
  'audit_checkpoint',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenantTable.id),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    /** AUDIT_HASH_FORMAT of the chain the hash belongs to. */
    hashFormat: smallint('hash_format').notNull(),
    // Written and read as ISO text with microseconds (isoMicros) so the signed value is exactly what is stored.
    signedAt: timestamp('signed_at', { withTimezone: true, mode: 'string' }).notNull(),
    keyId: text('key_id').notNull(),
    /** Ed25519 signature of checkpointMessage(), base64url. */
    signature: text('signature').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.seq] }),
    check('audit_checkpoint_seq_positive', sql`${table.seq} > 0`),
    check('audit_checkpoint_hash_format', sql`${table.hash} ~ '^[0-9a-f]{64}$'`),
  ],
);
