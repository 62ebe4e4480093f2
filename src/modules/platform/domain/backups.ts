import path from 'node:path';
import { z } from 'zod';
import type { BackupJob, BackupKind, BackupStatus, BackupTableSummary, RestoreVerification } from '../../../kernel/tenancy/backup/index.ts';
import { tenantSlug } from './inputs.ts';

/** A backup or restore job as the console shows it (the file's folder stays on the server). */
export interface BackupView {
  id: string;
  kind: BackupKind;
  status: BackupStatus;
  sourceTenantId: string;
  backupId: string | null;
  fileName: string;
  sizeBytes: number | null;
  sha256: string | null;
  rowCount: number | null;
  tables: BackupTableSummary | null;
  restoredTenantId: string | null;
  targetSlug: string | null;
  targetName: string | null;
  verification: RestoreVerification | null;
  error: string | null;
  requestedBy: string;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const toBackupView = (job: BackupJob): BackupView => ({
  id: job.id,
  kind: job.kind,
  status: job.status,
  sourceTenantId: job.sourceTenantId,
  backupId: job.backupId,
  fileName: path.basename(job.filePath),
  sizeBytes: job.sizeBytes,
  sha256: job.sha256,
  rowCount: job.rowCount,
  tables: job.tables,
  restoredTenantId: job.restoredTenantId,
  targetSlug: job.targetSlug,
  targetName: job.targetName,
  verification: job.verification,
  error: job.error,
  requestedBy: job.requestedBy,
  requestedAt: job.requestedAt.toISOString(),
  startedAt: job.startedAt?.toISOString() ?? null,
  finishedAt: job.finishedAt?.toISOString() ?? null,
});

/** Where a backup is restored: a new business; both optional (derived from the source). */
export const restoreInput = z.strictObject({
  slug: tenantSlug.optional(),
  name: z.string().trim().min(1, { error: 'is required' }).max(200, { error: 'must be at most 200 characters' }).optional(),
});
export type RestoreInput = z.output<typeof restoreInput>;
