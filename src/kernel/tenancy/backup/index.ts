/** Per-tenant backup and restore: the surface the console (platform module) and the CLI use. */
export { BACKUP_KINDS, BACKUP_STATUSES, type BackupKind, type BackupStatus, type BackupTableSummary, type RestoreVerification } from './backup.table.ts';
export { queueBackup, queueRestore, listBackupJobs, getBackupJob, slugIsFree, backupHandlers, type BackupJob } from './backup.job.ts';
export { tenancyEvents } from './events.ts';
export { exportTenant } from './export.ts';
export { restoreTenant, type RestoreResult } from './restore.ts';
export { verifyRestore } from './verify.ts';
export { BackupFileError, readBackup, type BackupHeader } from './format.ts';
