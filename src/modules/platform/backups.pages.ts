import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { nameActors } from '../../kernel/identity/index.ts';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { getTenantBackup, requestTenantBackup, requestTenantRestore } from './backups.service.ts';
import { restoreInput, type BackupView } from './domain/backups.ts';
import { BackupPage, type BackupAbilities } from './pages/backups.page.tsx';
import { getTenantDetail } from './tenants.service.ts';
import type { PlatformSetup } from './domain/types.ts';

const access = (permission: string) => ({ access: { permission } }) as const;
const hidden = { hide: true };
const idParams = z.object({ id: z.uuid() });

export const backupAbilities = (request: FastifyRequest): BackupAbilities => ({
  backup: request.permissions.has('platform.tenant.backup'),
  restore: request.permissions.has('platform.tenant.restore'),
});

/** The console's backup pages: "Back up now" on a business, a backup's page, and its restore form. */
export function backupPageRoutes(app: AppInstance, setup: PlatformSetup, backupDir: string): void {
  app.post('/console/tenants/:id/backups', { config: access('platform.tenant.backup'), schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const job = await requestTenantBackup(serviceContext(request), request.params.id, backupDir);
    return reply.redirect(`/console/backups/${job.id}?notice=${encodeURIComponent('Backup queued; a job writes it. Reload this page to follow it.')}`, 303);
  });

  const sendBackup = async (request: FastifyRequest, reply: FastifyReply, job: BackupView, extra: { values?: { slug: string; name: string }; errors?: FieldErrors; notice?: string | undefined; formError?: string | undefined } = {}, status = 200) => {
    const ctx = serviceContext(request);
    const business = await getTenantDetail(ctx, setup, job.sourceTenantId);
    const nameOf = await nameActors(ctx, [job.requestedBy]);
    return sendPage(reply, BackupPage({ job: { ...job, requestedBy: nameOf(job.requestedBy) }, business, can: backupAbilities(request), ...extra, chrome: chrome(request, reply) }), status);
  };

  app.get('/console/backups/:id', { config: access('platform.tenant.read'), schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const { notice } = (request.query ?? {}) as Record<string, unknown>;
    return sendBackup(request, reply, await getTenantBackup(serviceContext(request), request.params.id), { notice: typeof notice === 'string' ? notice.slice(0, 200) : undefined });
  });

  app.post('/console/backups/:id/restore', { config: access('platform.tenant.restore'), schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const ctx = serviceContext(request);
    const backup = await getTenantBackup(ctx, request.params.id);
    const fields = formFields(request.body);
    const values = { slug: formText(fields.slug).trim(), name: formText(fields.name).trim() };
    const parsed = restoreInput.safeParse({ ...(values.slug ? { slug: values.slug } : {}), ...(values.name ? { name: values.name } : {}) });
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
      return sendBackup(request, reply, backup, { values, errors }, 422);
    }
    try {
      const job = await requestTenantRestore(ctx, backup.id, parsed.data);
      return reply.redirect(`/console/backups/${job.id}?notice=${encodeURIComponent(`Restore into ${job.targetSlug ?? 'a new business'} queued; a job restores and checks it.`)}`, 303);
    } catch (error) {
      const { status, ...rejection } = formRejection(error);
      return sendBackup(request, reply, backup, { values, ...rejection }, status);
    }
  });
}
