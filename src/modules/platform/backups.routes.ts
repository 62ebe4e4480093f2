import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { BACKUP_KINDS, BACKUP_STATUSES } from '../../kernel/tenancy/backup/index.ts';
import { getTenantBackup, listTenantBackups, openBackupFile, requestTenantBackup, requestTenantRestore } from './backups.service.ts';
import { restoreInput } from './domain/backups.ts';

const tags = ['platform'];
const access = (permission: string) => ({ access: { permission } }) as const;
const idParams = z.strictObject({ id: z.uuid({ error: 'must be an id (UUID)' }) });

const sums = z.object({ rows: z.number(), sha256: z.string() });
export const backupView = z.object({
  id: z.uuid(),
  kind: z.enum(BACKUP_KINDS),
  status: z.enum(BACKUP_STATUSES),
  sourceTenantId: z.uuid(),
  backupId: z.uuid().nullable(),
  fileName: z.string(),
  sizeBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  rowCount: z.number().nullable(),
  tables: z.record(z.string(), sums).nullable(),
  restoredTenantId: z.uuid().nullable(),
  targetSlug: z.string().nullable(),
  targetName: z.string().nullable(),
  verification: z
    .object({
      ok: z.boolean(),
      tables: z.number(),
      rows: z.number(),
      mismatches: z.array(z.object({ table: z.string(), expected: sums, actual: sums })),
      auditChain: z.object({ ok: z.boolean(), entries: z.number().optional(), brokenAtSeq: z.number().optional() }),
    })
    .nullable(),
  error: z.string().nullable(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
const oneBackup = z.object({ data: backupView });

/** Backups of businesses as jobs: queue, list, inspect, download, and restore into a new business. */
export function backupApiRoutes(app: AppInstance, backupDir: string): void {
  app.get(
    '/v1/platform/tenants/:id/backups',
    { config: access('platform.tenant.read'), schema: { tags, summary: "A business's backups and their restores, newest first", params: idParams, response: { 200: z.object({ data: z.array(backupView) }) } } },
    async (request) => ({ data: await listTenantBackups(serviceContext(request), request.params.id) }),
  );

  app.post(
    '/v1/platform/tenants/:id/backups',
    {
      config: access('platform.tenant.backup'),
      schema: { tags, summary: 'Queue a backup of the business: one consistent snapshot of all its data, written to a file by a job', params: idParams, response: { 202: oneBackup } },
    },
    async (request, reply) => reply.code(202).send({ data: await requestTenantBackup(serviceContext(request), request.params.id, backupDir) }),
  );

  app.get(
    '/v1/platform/backups/:id',
    { config: access('platform.tenant.read'), schema: { tags, summary: 'One backup or restore: status, size, checksums, and for a restore the new business and its check', params: idParams, response: { 200: oneBackup } } },
    async (request) => ({ data: await getTenantBackup(serviceContext(request), request.params.id) }),
  );

  app.get(
    '/v1/platform/backups/:id/download',
    { config: access('platform.tenant.backup'), schema: { tags, summary: 'Download a finished backup file (gzip JSON lines; audited)', params: idParams } },
    async (request, reply) => {
      const file = await openBackupFile(serviceContext(request), request.params.id, backupDir);
      return reply
        .header('content-type', 'application/gzip')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('content-length', String(file.sizeBytes))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .header('x-checksum-sha256', file.sha256)
        .send(file.stream);
    },
  );

  app.post(
    '/v1/platform/backups/:id/restore',
    {
      config: access('platform.tenant.restore'),
      schema: { tags, summary: 'Queue a restore of a finished backup into a new, suspended business; a job restores and checks it', params: idParams, body: restoreInput.optional(), response: { 202: oneBackup } },
    },
    async (request, reply) => reply.code(202).send({ data: await requestTenantRestore(serviceContext(request), request.params.id, request.body ?? {}) }),
  );
}
