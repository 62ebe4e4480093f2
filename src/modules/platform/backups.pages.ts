import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { nameActors } from '../../kernel/identity/index.ts';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { chrome, formRoute, noticeOf, parseWith, withNotice } from '../../web/index.ts';
import { getTenantBackup, requestTenantBackup, requestTenantRestore } from './backups.service.ts';
import { restoreInput } from './domain/backups.ts';
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
    return reply.redirect(withNotice(`/console/backups/${job.id}`, 'Backup queued; a job writes it. Reload this page to follow it.'), 303);
  });

  // A backup's page holds the form that restores it.
  formRoute(app, {
    path: '/console/backups/:id/restore',
    config: access('platform.tenant.restore'),
    params: idParams,
    show: { path: '/console/backups/:id', config: access('platform.tenant.read'), values: () => ({ slug: '', name: '' }) },
    values: (form) => ({ slug: form.text('slug').trim(), name: form.text('name').trim() }),
    parse: ({ slug, name }) => parseWith(restoreInput, { ...(slug ? { slug } : {}), ...(name ? { name } : {}) }),
    submit: async (input, request) => {
      const job = await requestTenantRestore(serviceContext(request), request.params.id, input);
      return withNotice(`/console/backups/${job.id}`, `Restore into ${job.targetSlug ?? 'a new business'} queued; a job restores and checks it.`);
    },
    render: async (form, request, reply) => {
      const ctx = serviceContext(request);
      const job = await getTenantBackup(ctx, request.params.id);
      const business = await getTenantDetail(ctx, setup, job.sourceTenantId);
      const nameOf = await nameActors(ctx, [job.requestedBy]);
      return BackupPage({ job: { ...job, requestedBy: nameOf(job.requestedBy) }, business, can: backupAbilities(request), ...form, notice: noticeOf(request), chrome: chrome(request, reply) });
    },
  });
}
