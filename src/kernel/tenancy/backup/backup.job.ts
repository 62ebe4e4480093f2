import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/index.ts';
import { actorLabel, type ServiceContext } from '../../context.ts';
import type { Db, Tx } from '../../db/index.ts';
import { defineEventHandler, emit, type EventHandlerDefinition, type EventType, type HandlerServices } from '../../jobs/index.ts';
import { tenantTable } from '../tenant.table.ts';
import { tenantBackup } from './backup.table.ts';
import { exportTenant } from './export.ts';
import { BackupFileError, fileSha256 } from './format.ts';
import { restoreTenant } from './restore.ts';
import { verifyRestore } from './verify.ts';
import type { UnitOfWork } from '../unit-of-work.ts';

export const BACKUP_REQUESTED = 'tenancy.backup.requested' satisfies EventType;
export const RESTORE_REQUESTED = 'tenancy.restore.requested' satisfies EventType;

export type BackupJob = typeof tenantBackup.$inferSelect;

/**
 * Queues a backup of a business: its tenant_backup row and the event the `tenancy.run-backup`
 * job picks up, in the caller's transaction, which must be scoped to ctx's tenant (the outbox
 * row is that tenant's). The file's place is fixed now, from the configured folder, because the
 * job has no configuration of its own.
 */
export async function queueBackup(uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'actor'>>, input: { tenant: { id: string; slug: string }; backupDir: string }): Promise<BackupJob> {
  const id = randomUUID();
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, 'Z');
  const [job] = await uow.tx
    .insert(tenantBackup)
    .values({ id, kind: 'backup', sourceTenantId: input.tenant.id, filePath: path.join(input.backupDir, `${input.tenant.slug}-${stamp}-${id}.jsonl.gz`), requestedBy: actorLabel(uow.actor) })
    .returning();
  emit(uow, { type: BACKUP_REQUESTED, payload: { jobId: id, tenantId: input.tenant.id } });
  return job as BackupJob;
}

/** Queues a restore of a finished backup into a new business with this slug and name (see queueBackup). */
export async function queueRestore(uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'actor'>>, input: { backup: BackupJob; slug: string; name: string }): Promise<BackupJob> {
  const [job] = await uow.tx
    .insert(tenantBackup)
    .values({
      kind: 'restore',
      sourceTenantId: input.backup.sourceTenantId,
      backupId: input.backup.id,
      filePath: input.backup.filePath,
      targetSlug: input.slug,
      targetName: input.name,
      requestedBy: actorLabel(uow.actor),
    })
    .returning();
  const queued = job as BackupJob;
  emit(uow, { type: RESTORE_REQUESTED, payload: { jobId: queued.id, backupId: input.backup.id, tenantId: input.backup.sourceTenantId } });
  return queued;
}

/** A business's backups and restores of them, newest first. */
export function listBackupJobs(db: Db | Tx, tenantId: string, limit = 50): Promise<BackupJob[]> {
  return db.select().from(tenantBackup).where(eq(tenantBackup.sourceTenantId, tenantId)).orderBy(desc(tenantBackup.requestedAt), desc(tenantBackup.id)).limit(limit);
}

export async function getBackupJob(db: Db | Tx, id: string): Promise<BackupJob | undefined> {
  const [job] = await db.select().from(tenantBackup).where(eq(tenantBackup.id, id));
  return job;
}

/** Whether a slug is free for a restored business (the restore still fails cleanly if it is taken meanwhile). */
export async function slugIsFree(db: Db | Tx, slug: string): Promise<boolean> {
  const taken = await db.select({ id: tenantTable.id }).from(tenantTable).where(eq(tenantTable.slug, slug)).limit(1);
  const queued = await db.select({ id: tenantBackup.id }).from(tenantBackup).where(sql`${tenantBackup.targetSlug} = ${slug} AND ${tenantBackup.status} IN ('queued', 'running')`).limit(1);
  return taken.length === 0 && queued.length === 0;
}

const target = (job: BackupJob) => ({ type: 'tenancy.backup', id: job.id });

/**
 * Runs a queued job once. The handler's transaction (the platform tenant's, which emitted the
 * event) records the outcome and its audit entry; the work itself runs in its own transactions on
 * the app pool, with `running` committed first so the console shows it. A failure is recorded,
 * not retried: a damaged file or a taken slug fails the same way again; the console can queue a
 * new job. A job left `running` by a worker that died is run again on redelivery (its restore
 * transaction died with it; a backup file is written anew).
 */
async function runJob(uow: UnitOfWork, { db }: HandlerServices, jobId: string): Promise<void> {
  const job = await getBackupJob(uow.tx, jobId);
  if (!job || job.status === 'done' || job.status === 'failed') return;
  await db.update(tenantBackup).set({ status: 'running', startedAt: sql`now()` }).where(eq(tenantBackup.id, job.id));
  try {
    if (job.kind === 'backup') {
      const result = await exportTenant(db, { backupId: job.id, tenantId: job.sourceTenantId, filePath: job.filePath });
      const tables = Object.fromEntries(result.header.tables.map((table) => [table.name, { rows: table.rows, sha256: table.sha256 }]));
      const rowCount = result.header.tables.reduce((sum, table) => sum + table.rows, 0);
      await uow.tx
        .update(tenantBackup)
        .set({ status: 'done', sizeBytes: result.sizeBytes, sha256: result.sha256, rowCount, tables, finishedAt: sql`now()` })
        .where(eq(tenantBackup.id, job.id));
      recordAudit(uow, { action: 'tenancy.backup.completed', target: target(job), data: { tenantId: job.sourceTenantId, rows: rowCount, sizeBytes: result.sizeBytes, sha256: result.sha256 } });
      return;
    }
    const backup = job.backupId ? await getBackupJob(uow.tx, job.backupId) : undefined;
    if (!backup?.sha256) throw new BackupFileError('The backup this restore reads is not finished.');
    // The whole file against the digest recorded when it was written: any change to it is refused here already.
    if ((await fileSha256(job.filePath).catch(() => 'unreadable')) !== backup.sha256)
      throw new BackupFileError('The backup file is missing or differs from the file that was written (sha256); it is not restored.');
    const restored = await restoreTenant(db, job.filePath, { slug: job.targetSlug ?? '', name: job.targetName ?? '', actor: uow.actor, requestId: uow.requestId, jobId: job.id });
    const verification = await verifyRestore(db, restored);
    await uow.tx
      .update(tenantBackup)
      .set({ status: 'done', restoredTenantId: restored.tenantId, verification, rowCount: verification.rows, finishedAt: sql`now()` })
      .where(eq(tenantBackup.id, job.id));
    recordAudit(uow, {
      action: 'tenancy.backup.restored',
      target: target(job),
      data: { backupId: backup.id, sourceTenantId: job.sourceTenantId, restoredTenantId: restored.tenantId, slug: job.targetSlug, verified: verification.ok, mismatches: verification.mismatches.map((mismatch) => mismatch.table) },
    });
  } catch (error) {
    uow.log.error({ err: error, jobId: job.id }, `tenant ${job.kind} failed`);
    const message = error instanceof Error ? error.message : String(error);
    await uow.tx.update(tenantBackup).set({ status: 'failed', error: message.slice(0, 2000), finishedAt: sql`now()` }).where(eq(tenantBackup.id, job.id));
    recordAudit(uow, { action: 'tenancy.backup.failed', target: target(job), data: { kind: job.kind, tenantId: job.sourceTenantId, error: message.slice(0, 500) } });
  }
}

/** The tenancy module's jobs: a backup, and a restore with its check. */
export const backupHandlers: readonly EventHandlerDefinition[] = [
  defineEventHandler({ name: 'run-backup', events: [BACKUP_REQUESTED], handle: (uow, event, services) => runJob(uow, services, event.payload.jobId) }),
  defineEventHandler({ name: 'run-restore', events: [RESTORE_REQUESTED], handle: (uow, event, services) => runJob(uow, services, event.payload.jobId) }),
];
