import { sql } from 'drizzle-orm';
import { bigint, check, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenancy/tenant.table.ts';

/**
 * One audit entry: append-only (a trigger rejects UPDATE, DELETE and TRUNCATE) and hash-chained
 * per tenant: `hash = sha256(prev_hash || canonical_json(entry))`, see hash.ts. `seq` counts
 * 1, 2, 3… per tenant, so a removed entry shows as a gap.
 */
export const auditEvent = pgTable(
  'audit_event',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenantTable.id),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    id: uuid('id').notNull(),
    // Written as text with microseconds (see isoMicros in occurred-at.ts) so the hashed value is exactly what is stored.
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    requestId: text('request_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.seq] }),
    uniqueIndex('audit_event_tenant_id_key').on(table.tenantId, table.id),
    // The listing's filters, each newest first.
    index('audit_event_tenant_action_idx').on(table.tenantId, table.action, table.seq),
    index('audit_event_tenant_target_idx').on(table.tenantId, table.targetType, table.targetId, table.seq),
    index('audit_event_tenant_occurred_idx').on(table.tenantId, table.occurredAt),
    check('audit_event_seq_positive', sql`${table.seq} > 0`),
    check('audit_event_action_format', sql`${table.action} ~ '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$'`),
    check('audit_event_hash_format', sql`${table.hash} ~ '^[0-9a-f]{64}$' AND ${table.prevHash} ~ '^[0-9a-f]{64}$'`),
  ],
);
