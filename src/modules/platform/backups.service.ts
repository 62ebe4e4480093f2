import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import type { Tx } from '../../kernel/db/index.ts';
import { tenantTable } from '../../kernel/tenancy/index.ts';
import { getBackupJob, listBackupJobs, queueBackup, queueRestore, slugIsFree, type BackupJob } from '../../kernel/tenancy/backup/index.ts';
import { toBackupView, type BackupView, type RestoreInput } from './domain/backups.ts';
import { platformErrors } from './errors.ts';
import { assertCustomerTenant, inPlatform, inTenant } from './scopes.ts';

const tenantTarget = (id: string) => ({ type: 'tenancy.tenant', id });

async function businessOf(tx: Tx | ServiceContext['db'], tenantId: string) {
  assertCustomerTenant(tenantId);
  const [tenant] = await tx.select({ id: tenantTable.id, slug: tenantTable.slug, name: tenantTable.name }).from(tenantTable).where(eq(tenantTable.id, tenantId));
  if (!tenant) throw platformErrors.tenantNotFound();
  return tenant;
}

/**
 * Queues a backup of a business (the `tenancy.run-backup` job writes it). Recorded in the
 * platform's audit chain and in the business's own: its owner can see that staff copied its data.
 */
export async function requestTenantBackup(ctx: ServiceContext, tenantId: string, backupDir: string): Promise<BackupView> {
  return ctx.db.transaction(async (tx) => {
    const tenant = await businessOf(tx, tenantId);
    const job = await inPlatform(tx, ctx, async (scoped) => {
      const queued = await queueBackup(scoped, { tenant, backupDir });
      recordAudit(scoped, { action: 'platform.tenant.backup_requested', target: tenantTarget(tenant.id), data: { backupId: queued.id, slug: tenant.slug } });
      return queued;
    });
    await inTenant(tx, ctx, tenant.id, async (scoped) => recordAudit(scoped, { action: 'platform.tenant.backup_requested', target: tenantTarget(tenant.id), data: { backupId: job.id } }));
    return toBackupView(job);
  });
}

/** A business's backups and restores, newest first. */
export async function listTenantBackups(ctx: ServiceContext, tenantId: string): Promise<BackupView[]> {
  await businessOf(ctx.db, tenantId);
  return (await listBackupJobs(ctx.db, tenantId)).map(toBackupView);
}

async function jobOf(ctx: ServiceContext, id: string): Promise<BackupJob> {
  const job = await getBackupJob(ctx.db, id);
  if (!job) throw platformErrors.backupNotFound();
  return job;
}

export async function getTenantBackup(ctx: ServiceContext, id: string): Promise<BackupView> {
  return toBackupView(await jobOf(ctx, id));
}

/**
 * Queues a restore of a finished backup into a new business (the `tenancy.run-restore` job
 * restores and checks it). The slug defaults to the source's with a random suffix.
 */
export async function requestTenantRestore(ctx: ServiceContext, backupId: string, input: RestoreInput): Promise<BackupView> {
  return ctx.db.transaction(async (tx) => {
    const backup = await getBackupJob(tx, backupId);
    if (!backup) throw platformErrors.backupNotFound();
    if (backup.kind !== 'backup' || backup.status !== 'done') throw platformErrors.backupNotRestorable(backup.kind, backup.status);
    const source = await businessOf(tx, backup.sourceTenantId);
    const slug = input.slug ?? `${source.slug.slice(0, 50)}-r${randomBytes(3).toString('hex')}`;
    if (!(await slugIsFree(tx, slug))) throw platformErrors.slugTaken(slug);
    const name = input.name ?? `${source.name} (restored ${backup.requestedAt.toISOString().slice(0, 10)})`;
    const job = await inPlatform(tx, ctx, async (scoped) => {
      const queued = await queueRestore(scoped, { backup, slug, name });
      recordAudit(scoped, { action: 'platform.tenant.restore_requested', target: tenantTarget(source.id), data: { backupId: backup.id, restoreId: queued.id, slug, name } });
      return queued;
    });
    return toBackupView(job);
  });
}

/**
 * Opens a finished backup file for download. The path must lie in the configured backup folder
 * (a row cannot send any other file), and the download is audited: it is all of a business's data.
 */
export async function openBackupFile(ctx: ServiceContext, id: string, backupDir: string): Promise<{ stream: ReadStream; fileName: string; sizeBytes: number; sha256: string }> {
  const job = await jobOf(ctx, id);
  if (job.kind !== 'backup' || job.status !== 'done' || !job.sha256) throw platformErrors.backupNotReady(job.status);
  const resolved = path.resolve(job.filePath);
  if (path.dirname(resolved) !== path.resolve(backupDir)) throw platformErrors.backupFileGone();
  const info = await stat(resolved).catch(() => undefined);
  if (!info?.isFile()) throw platformErrors.backupFileGone();
  await ctx.db.transaction((tx) =>
    inPlatform(tx, ctx, async (scoped) => recordAudit(scoped, { action: 'platform.tenant.backup_downloaded', target: tenantTarget(job.sourceTenantId), data: { backupId: job.id, sha256: job.sha256 } })),
  );
  return { stream: createReadStream(resolved), fileName: path.basename(resolved), sizeBytes: info.size, sha256: job.sha256 };
}
