import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenant.table.ts';

export const BACKUP_KINDS = ['backup', 'restore'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];
export const BACKUP_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type BackupStatus = (typeof BACKUP_STATUSES)[number];

/** Per table of a backup: rows and the checksum of their canonical form (see format.ts). */
export type BackupTableSummary = Record<string, { rows: number; sha256: string }>;

/** What a restore's check found: every table matches the backup's header, or which do not. */
export interface RestoreVerification {
  ok: boolean;
  tables: number;
  rows: number;
  mismatches: { table: string; expected: { rows: number; sha256: string }; actual: { rows: number; sha256: string } }[];
  auditChain: { ok: boolean; entries?: number; brokenAtSeq?: number };
}

/**
 * One backup or restore job of a business, as the console lists it. Platform bookkeeping about a
 * tenant, not the tenant's own data: it has no tenant_id column, so it sits outside row-level
 * security (like the platform's tables) and no backup copies it. A restore row names the backup
 * it reads (`backup_id`) and the business it created.
 */
export const tenantBackup = pgTable(
  'tenant_backup',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<BackupKind>().notNull(),
    sourceTenantId: uuid('source_tenant_id')
      .notNull()
      .references(() => tenantTable.id),
    backupId: uuid('backup_id').references((): AnyPgColumn => tenantBackup.id),
    status: text('status').$type<BackupStatus>().notNull().default('queued'),
    /** Absolute path of the backup file (under the configured backup folder when it was requested). */
    filePath: text('file_path').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    sha256: text('sha256'),
    rowCount: integer('row_count'),
    tables: jsonb('tables').$type<BackupTableSummary>(),
    restoredTenantId: uuid('restored_tenant_id').references(() => tenantTable.id),
    /** For a restore: the slug and name the new business gets. */
    targetSlug: text('target_slug'),
    targetName: text('target_name'),
    verification: jsonb('verification').$type<RestoreVerification>(),
    error: text('error'),
    requestedBy: text('requested_by').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    index('tenant_backup_source_idx').on(table.sourceTenantId, table.requestedAt),
    check('tenant_backup_kind_known', sql`${table.kind} IN ('backup', 'restore')`),
    check('tenant_backup_status_known', sql`${table.status} IN ('queued', 'running', 'done', 'failed')`),
    check('tenant_backup_restore_names_backup', sql`(${table.kind} = 'restore') = (${table.backupId} IS NOT NULL)`),
  ],
);
