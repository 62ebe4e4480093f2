import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { verifyAuditChain } from '../../../src/kernel/audit/index.ts';
import { APP_ROLE, createDatabase, type Database } from '../../../src/kernel/db/index.ts';
import { deliverEvent, type HandlerJobData } from '../../../src/kernel/jobs/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { backupHandlers } from '../../../src/kernel/tenancy/backup/index.ts';
import { PLATFORM_TENANT_ID } from '../../../src/kernel/tenancy/index.ts';
import type { BackupView } from '../../../src/modules/platform/domain/backups.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { seedBusiness } from '../../kernel/tenancy/backup-support.ts';
import { auditActions, call, expectError, platformAdmin } from './support.ts';

const log = createLogger('silent');

describe('platform: backups and restores of a business', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof platformAdmin>>;
  let jobsDb: Database;
  let backupDir: string;

  before(async () => {
    backupDir = await mkdtemp(path.join(tmpdir(), 'plinth-backups-'));
    t = await startTestApp({ BACKUP_DIR: backupDir });
    admin = await platformAdmin(t);
    jobsDb = createDatabase(t.database.url, { poolMax: 3, log, role: APP_ROLE });
    await seedBusiness(t, t.tenantA);
    await seedBusiness(t, t.tenantB);
  });
  after(async () => {
    await jobsDb.close();
    await t.close();
    await rm(backupDir, { recursive: true, force: true });
  });

  /** Runs the platform's queued backup jobs the way the worker does (deliverEvent, as the app role). */
  async function runJobs(): Promise<number> {
    const { rows } = await t.database.pool.query<{ id: string; type: string; payload: Record<string, unknown>; occurred_at: Date }>(
      `SELECT id, type, payload, occurred_at FROM jobs_outbox WHERE tenant_id = $1 AND type LIKE 'tenancy.%' ORDER BY occurred_at, id`,
      [PLATFORM_TENANT_ID],
    );
    let ran = 0;
    for (const definition of backupHandlers) {
      const handler = { name: `tenancy.${definition.name}`, definition };
      for (const row of rows.filter((candidate) => definition.events.some((type) => type === candidate.type))) {
        const job: HandlerJobData = { id: row.id, type: row.type, tenantId: PLATFORM_TENANT_ID, payload: row.payload, occurredAt: row.occurred_at.toISOString(), handler: handler.name };
        if (await deliverEvent(jobsDb, log, handler, job)) ran += 1;
      }
    }
    return ran;
  }
  const get = async (id: string) => {
    const response = await call(t, 'GET', `/v1/platform/backups/${id}`, admin.headers);
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { data: BackupView }).data;
  };

  test('API: back up, download, restore into a new business, and the check that proves it', async () => {
    const queued = await call(t, 'POST', `/v1/platform/tenants/${t.tenantA.id}/backups`, admin.headers);
    assert.equal(queued.statusCode, 202, queued.body);
    const backup = (queued.json() as { data: BackupView }).data;
    assert.equal(backup.status, 'queued');
    expectError(await call(t, 'POST', `/v1/platform/backups/${backup.id}/restore`, admin.headers, {}), 409, 'CONFLICT', 'PLATFORM_BACKUP_NOT_RESTORABLE');

    assert.equal(await runJobs(), 1);
    assert.equal(await runJobs(), 0, 'a redelivered job does nothing');
    const done = await get(backup.id);
    assert.equal(done.status, 'done', done.error ?? '');
    assert.ok((done.sizeBytes ?? 0) > 0 && (done.rowCount ?? 0) > 0 && done.sha256);
    assert.ok((done.tables?.catalog_product?.rows ?? 0) >= 3);

    const download = await call(t, 'GET', `/v1/platform/backups/${backup.id}/download`, admin.headers);
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/gzip');
    assert.match(String(download.headers['content-disposition']), /^attachment; filename="tenant-a-/);
    const { rows: files } = await t.database.pool.query<{ file_path: string }>('SELECT file_path FROM tenant_backup WHERE id = $1', [backup.id]);
    assert.equal(path.dirname(files[0]?.file_path ?? ''), backupDir, 'written to BACKUP_DIR');
    const header = JSON.parse(gunzipSync(download.rawPayload).toString('utf8').split('\n')[0] as string) as { source: { tenantId: string } };
    assert.equal(header.source.tenantId, t.tenantA.id);

    const restoreQueued = await call(t, 'POST', `/v1/platform/backups/${backup.id}/restore`, admin.headers, { slug: 'tenant-a-copy', name: 'Tenant A (copy)' });
    assert.equal(restoreQueued.statusCode, 202, restoreQueued.body);
    const restore = (restoreQueued.json() as { data: BackupView }).data;
    expectError(await call(t, 'POST', `/v1/platform/backups/${backup.id}/restore`, admin.headers, { slug: 'tenant-a-copy' }), 409, 'CONFLICT', 'PLATFORM_SLUG_TAKEN');
    expectError(await call(t, 'POST', `/v1/platform/backups/${backup.id}/restore`, admin.headers, { slug: 'tenant-a' }), 409, 'CONFLICT', 'PLATFORM_SLUG_TAKEN');
    assert.equal(await runJobs(), 1);

    const restored = await get(restore.id);
    assert.equal(restored.status, 'done', restored.error ?? '');
    assert.ok(restored.restoredTenantId);
    assert.deepEqual(restored.verification?.mismatches, []);
    assert.equal(restored.verification?.ok, true);
    assert.equal((await verifyAuditChain(t.app.db, restored.restoredTenantId)).ok, true);
    const tenant = await call(t, 'GET', `/v1/platform/tenants/${restored.restoredTenantId}`, admin.headers);
    assert.deepEqual(
      (({ slug, name, status, edition }) => ({ slug, name, status, edition }))((tenant.json() as { data: { slug: string; name: string; status: string; edition: string } }).data),
      { slug: 'tenant-a-copy', name: 'Tenant A (copy)', status: 'suspended', edition: t.tenantA.edition },
    );

    const list = await call(t, 'GET', `/v1/platform/tenants/${t.tenantA.id}/backups`, admin.headers);
    assert.deepEqual((list.json() as { data: BackupView[] }).data.map((job) => [job.kind, job.status]), [['restore', 'done'], ['backup', 'done']]);
    assert.deepEqual(await auditActions(t, PLATFORM_TENANT_ID, t.tenantA.id), [
      'platform.tenant.backup_requested',
      'platform.tenant.backup_downloaded',
      'platform.tenant.restore_requested',
    ]);
    assert.deepEqual(await auditActions(t, PLATFORM_TENANT_ID, backup.id), ['tenancy.backup.completed']);
    assert.deepEqual(await auditActions(t, PLATFORM_TENANT_ID, restore.id), ['tenancy.backup.restored']);
    assert.deepEqual(await auditActions(t, t.tenantA.id, t.tenantA.id), ['platform.tenant.backup_requested'], "the business's own chain records the copy");
  });

  test('a damaged file fails its restore and creates nothing', async () => {
    const backup = (
      (await call(t, 'POST', `/v1/platform/tenants/${t.tenantB.id}/backups`, admin.headers)).json() as { data: BackupView }
    ).data;
    await runJobs();
    const { rows } = await t.database.pool.query<{ file_path: string }>('SELECT file_path FROM tenant_backup WHERE id = $1', [backup.id]);
    await appendFile(rows[0]?.file_path as string, 'x');
    const restore = ((await call(t, 'POST', `/v1/platform/backups/${backup.id}/restore`, admin.headers, { slug: 'tenant-b-copy' })).json() as { data: BackupView }).data;
    await runJobs();
    const failed = await get(restore.id);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /differs from the file that was written/);
    assert.equal((await t.database.pool.query("SELECT 1 FROM tenant WHERE slug = 'tenant-b-copy'")).rowCount, 0);
    assert.deepEqual(await auditActions(t, PLATFORM_TENANT_ID, restore.id), ['tenancy.backup.failed']);
  });

  test('pages: the business page lists backups with download and restore, without JavaScript', async () => {
    const browser = await t.browserAs({ userId: admin.userId, tenantId: PLATFORM_TENANT_ID });
    const form = (url: string, fields: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: browser.csrfToken, ...fields }).toString() });
    const page = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: browser.cookie, accept: 'text/html' } });

    const queued = await form(`/console/tenants/${t.tenantA.id}/backups`);
    assert.equal(queued.statusCode, 303, queued.body);
    const backupPath = String(queued.headers.location).split('?')[0] as string;
    assert.match((await page(String(queued.headers.location))).body, /Backup queued/);
    await runJobs();

    const detail = await page(`/console/tenants/${t.tenantA.id}`);
    assert.match(detail.body, /<h2 id="backups-heading">Backups<\/h2>/);
    assert.match(detail.body, /Back up now/);
    const downloadUrl = `/v1/platform/backups/${backupPath.split('/').pop()}/download`;
    assert.match(detail.body, new RegExp(`href="${downloadUrl}"`));
    const downloaded = await t.app.inject({ method: 'GET', url: downloadUrl, headers: { cookie: browser.cookie } });
    assert.equal(downloaded.statusCode, 200, 'the link works with the browser session');
    assert.equal(downloaded.headers['content-type'], 'application/gzip');

    const backupPage = await page(backupPath);
    assert.match(backupPage.body, /<label for="field-slug">Address of the new business \(optional\)<\/label>/);
    const refused = await form(`${backupPath}/restore`, { slug: 'Not A Slug!', name: '' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /aria-invalid="true"/);

    const restoring = await form(`${backupPath}/restore`, { slug: 'tenant-a-page-copy', name: '' });
    assert.equal(restoring.statusCode, 303, restoring.body);
    await runJobs();
    const result = await page(String(restoring.headers.location).split('?')[0] as string);
    assert.match(result.body, /Verified: every table matches/);
    const newTenant = /href="\/console\/tenants\/([0-9a-f-]{36})">Tenant A \(restored/.exec(result.body);
    assert.ok(newTenant, 'links the new business');
    assert.equal((await page(`/console/tenants/${newTenant[1]}`)).statusCode, 200);
  });

  test('a business member gets AUTHZ on every backup route, and no file', async () => {
    const headers = await t.headersFor('tenant-a');
    const [backup] = (await t.database.pool.query<{ id: string }>("SELECT id FROM tenant_backup WHERE kind = 'backup' AND status = 'done' LIMIT 1")).rows;
    expectError(await call(t, 'GET', `/v1/platform/tenants/${t.tenantA.id}/backups`, headers), 403, 'AUTHZ');
    expectError(await call(t, 'POST', `/v1/platform/tenants/${t.tenantA.id}/backups`, headers), 403, 'AUTHZ');
    expectError(await call(t, 'GET', `/v1/platform/backups/${backup?.id}/download`, headers), 403, 'AUTHZ');
    expectError(await call(t, 'POST', `/v1/platform/backups/${backup?.id}/restore`, headers, {}), 403, 'AUTHZ');
  });
});
