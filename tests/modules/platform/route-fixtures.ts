import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { exportTenant } from '../../../src/kernel/tenancy/backup/index.ts';
import { api, page, unique, value, type FixtureScope, type Resource, type RouteFixture } from '../../support/route-fixtures.ts';

/**
 * Platform console resources. Their routes are checked with members of the platform tenant, and
 * businesses are named by id across tenants (not tenant-scoped). Set-up writes with the owner's
 * pool where going through the console would itself need a platform member.
 */
async function signedUpBusiness(s: FixtureScope): Promise<string> {
  const tag = unique();
  const payload = { businessName: `Matrix ${tag}`, slug: `matrix-${tag}`, edition: 'retail', ownerName: 'Matrix owner', email: `matrix-${tag}@example.test`, password: 'amber-willow-harbour-7' };
  const response = await s.t.app.inject({ method: 'POST', url: '/v1/platform/signups', payload });
  if (response.statusCode !== 201) throw new Error(`set-up sign-up answered ${response.statusCode}: ${response.body}`);
  return (response.json() as { data: { tenantId: string } }).data.tenantId;
}
const businessIn = (status: 'pending' | 'active' | 'suspended'): Resource => ({
  create: async (s) => {
    const id = await signedUpBusiness(s);
    if (status !== 'pending') await s.t.database.pool.query('UPDATE tenant SET status = $1 WHERE id = $2', [status, id]);
    return id;
  },
  tenantScoped: false,
});
const PENDING_BUSINESS = { id: businessIn('pending') };
export const ACTIVE_BUSINESS = { id: businessIn('active') };
const SUSPENDED_BUSINESS = { id: businessIn('suspended') };
const newPlan = () => ({ key: `matrix-${unique()}`, name: 'Matrix plan', priceMinor: 2900, currency: 'EUR', interval: 'month', maxMembers: 50, modules: null });
async function planId(s: FixtureScope): Promise<string> {
  const plan = newPlan();
  const { rows } = await s.t.database.pool.query<{ id: string }>(
    `INSERT INTO platform_plan (key, name, price_minor, currency, interval, max_members) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [plan.key, plan.name, plan.priceMinor, plan.currency, plan.interval, plan.maxMembers],
  );
  return (rows[0] as { id: string }).id;
}
const PLAN = { id: { create: planId, tenantScoped: false } };
const planForm = () => ({ key: `matrix-${unique()}`, name: 'Matrix plan', price: '29.00', currency: 'EUR', interval: 'month', stripePriceId: '', maxMembers: '5', maxLocations: '', maxTerminals: '2', allModules: 'true' });
const announcementWindow = () => ({ startsAt: new Date(Date.now() + 86_400_000).toISOString(), endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString() });
const newAnnouncement = () => ({ title: `Matrix ${unique()}`, body: 'Nothing to see.', ...announcementWindow() });
const ANNOUNCEMENT = {
  id: {
    create: async (s: FixtureScope) => {
      const { rows } = await s.t.database.pool.query<{ id: string }>(
        `INSERT INTO platform_announcement (kind, title, body, severity, audience, visible_from, starts_at, ends_at)
         VALUES ('announcement', 'Matrix', 'Matrix body', 'info', 'tenants', now() + interval '1 day', now() + interval '1 day', now() + interval '2 days') RETURNING id`,
      );
      return (rows[0] as { id: string }).id;
    },
    tenantScoped: false,
  },
};
/** A finished backup of a new active business, written into the app's backup folder the way the job writes it. */
const DONE_BACKUP = {
  id: {
    create: async (s: FixtureScope) => {
      const tenantId = await ACTIVE_BUSINESS.id.create(s);
      const id = randomUUID();
      const filePath = path.join(s.t.config.backupDir, `matrix-${id}.jsonl.gz`);
      const { sha256, sizeBytes } = await exportTenant(s.t.app.db, { backupId: id, tenantId, filePath });
      await s.t.database.pool.query(
        `INSERT INTO tenant_backup (id, kind, source_tenant_id, status, file_path, size_bytes, sha256, requested_by) VALUES ($1, 'backup', $2, 'done', $3, $4, $5, 'matrix')`,
        [id, tenantId, filePath, sizeBytes, sha256],
      );
      return id;
    },
    tenantScoped: false,
  },
};
const signupForm = () => {
  const tag = unique();
  return { businessName: `Matrix ${tag}`, slug: `matrix-${tag}`, edition: 'retail', ownerName: 'Matrix owner', email: `matrix-${tag}@example.test`, password: 'amber-willow-harbour-7' };
};

export const routeFixtures: Record<string, RouteFixture> = {
  // Platform: public sign-up, then the console (members of the platform tenant only).
  'GET /signup': page(),
  'POST /signup': page({ body: signupForm }),
  'POST /v1/platform/signups': api({ body: signupForm }),
  'GET /v1/platform/tenants': api(),
  'GET /v1/platform/tenants/:id': api({ params: ACTIVE_BUSINESS }),
  'POST /v1/platform/tenants/:id/approve': api({ params: PENDING_BUSINESS }),
  'POST /v1/platform/tenants/:id/reject': api({ params: PENDING_BUSINESS, body: { reason: 'Not a business we can serve.' } }),
  'POST /v1/platform/tenants/:id/suspend': api({ params: ACTIVE_BUSINESS, body: { reason: 'Unpaid invoices.' } }),
  'POST /v1/platform/tenants/:id/resume': api({ params: SUSPENDED_BUSINESS }),
  'POST /v1/platform/tenants/:id/close': api({ params: ACTIVE_BUSINESS, body: {} }),
  'PUT /v1/platform/tenants/:id/modules/:module': api({ params: { ...ACTIVE_BUSINESS, module: value('catalog') }, body: { enabled: false } }),
  'PUT /v1/platform/tenants/:id/flags/:flag': api({ params: { ...ACTIVE_BUSINESS, flag: value('beta.matrix') }, body: { enabled: true } }),
  'PUT /v1/platform/tenants/:id/plan': api({ params: ACTIVE_BUSINESS, body: async (s) => ({ planId: await planId(s) }) }),
  'GET /v1/platform/plans': api(),
  'POST /v1/platform/plans': api({ body: newPlan }),
  'GET /v1/platform/plans/:id': api({ params: PLAN }),
  'PUT /v1/platform/plans/:id': api({ params: PLAN, body: newPlan }),
  'GET /v1/platform/announcements': api(),
  'POST /v1/platform/announcements': api({ body: newAnnouncement }),
  'POST /v1/platform/announcements/:id/withdraw': api({ params: ANNOUNCEMENT }),
  'GET /v1/platform/tenants/:id/backups': api({ params: ACTIVE_BUSINESS }),
  'POST /v1/platform/tenants/:id/backups': api({ params: ACTIVE_BUSINESS }),
  'GET /v1/platform/backups/:id': api({ params: DONE_BACKUP }),
  'GET /v1/platform/backups/:id/download': api({ params: DONE_BACKUP }),
  'POST /v1/platform/backups/:id/restore': api({ params: DONE_BACKUP, body: {} }),
  'GET /console/tenants': page(),
  'GET /console/tenants/:id': page({ params: ACTIVE_BUSINESS }),
  'POST /console/tenants/:id/approve': page({ params: PENDING_BUSINESS }),
  'POST /console/tenants/:id/reject': page({ params: PENDING_BUSINESS, body: { reason: 'Not a business we can serve.' } }),
  'POST /console/tenants/:id/suspend': page({ params: ACTIVE_BUSINESS, body: { reason: 'Unpaid invoices.' } }),
  'POST /console/tenants/:id/resume': page({ params: SUSPENDED_BUSINESS }),
  'POST /console/tenants/:id/close': page({ params: ACTIVE_BUSINESS, body: { reason: '' } }),
  'POST /console/tenants/:id/modules': page({ params: ACTIVE_BUSINESS, body: { module: 'catalog', enabled: 'false' } }),
  'POST /console/tenants/:id/flags': page({ params: ACTIVE_BUSINESS, body: { flag: 'beta.matrix', enabled: 'true' } }),
  'POST /console/tenants/:id/plan': page({ params: ACTIVE_BUSINESS, body: async (s) => ({ planId: await planId(s) }) }),
  'POST /console/tenants/:id/backups': page({ params: ACTIVE_BUSINESS }),
  'GET /console/backups/:id': page({ params: DONE_BACKUP }),
  'POST /console/backups/:id/restore': page({ params: DONE_BACKUP, body: { slug: '', name: '' } }),
  'GET /console/plans': page(),
  'GET /console/plans/new': page(),
  'POST /console/plans': page({ body: planForm }),
  'GET /console/plans/:id/edit': page({ params: PLAN }),
  'POST /console/plans/:id': page({ params: PLAN, body: planForm }),
  'GET /console/announcements': page(),
  'POST /console/announcements': page({ body: () => ({ kind: 'announcement', severity: 'info', audience: 'all', ...newAnnouncement() }) }),
  'POST /console/announcements/:id/withdraw': page({ params: ANNOUNCEMENT }),
};
