import { and, desc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import type { Db } from '../../kernel/db/index.ts';
import { emit } from '../../kernel/jobs/index.ts';
import type { PageBanner } from '../../kernel/module/index.ts';
import { PLATFORM_TENANT_ID, tenantTable, withTenantTx } from '../../kernel/tenancy/index.ts';
import { formatDateTime } from '../../kernel/time/index.ts';
import type { AnnouncementInput } from './domain/inputs.ts';
import type { Announcement, PlatformSetup } from './domain/types.ts';
import { platformErrors } from './errors.ts';
import { platformAnnouncement } from './platform.table.ts';

/** How long before a maintenance window its banner starts warning, unless set. */
export const MAINTENANCE_NOTICE_MS = 3 * 24 * 60 * 60 * 1000;
const target = (id: string) => ({ type: 'platform.announcement', id });

function toAnnouncement(row: typeof platformAnnouncement.$inferSelect): Announcement {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    severity: row.severity,
    audience: row.audience,
    editions: row.audienceEditions,
    tenantIds: row.audienceTenantIds,
    visibleFrom: row.visibleFrom.toISOString(),
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    withdrawnAt: row.withdrawnAt?.toISOString() ?? null,
  };
}

export async function listAnnouncements(ctx: ServiceContext): Promise<Announcement[]> {
  const rows = await ctx.db.select().from(platformAnnouncement).orderBy(desc(platformAnnouncement.startsAt), desc(platformAnnouncement.createdAt)).limit(200);
  return rows.map(toAnnouncement);
}

/** Publishes an announcement or maintenance window; its audience must name served editions and existing businesses. */
export async function createAnnouncement(ctx: ServiceContext, setup: Pick<PlatformSetup, 'editions'>, input: AnnouncementInput): Promise<Announcement> {
  const visibleFrom = input.kind === 'maintenance' ? (input.announceFrom ?? new Date(input.startsAt.getTime() - MAINTENANCE_NOTICE_MS)) : input.startsAt;
  if (input.audience === 'editions') {
    const unknown = input.editions.filter((edition) => !setup.editions.some((offered) => offered.id === edition));
    if (unknown.length > 0) throw platformErrors.audienceUnknown('editions', `Editions ${unknown.join(', ')} are not served here.`);
  }
  return withTenantTx(ctx, async (uow) => {
    if (input.audience === 'tenants') {
      const ids = [...new Set(input.tenantIds)];
      const found = await uow.tx.select({ id: tenantTable.id }).from(tenantTable).where(inArray(tenantTable.id, ids));
      if (found.length !== ids.length) throw platformErrors.audienceUnknown('tenantIds', 'Some of the businesses named do not exist.');
    }
    const [row] = await uow.tx
      .insert(platformAnnouncement)
      .values({
        kind: input.kind,
        title: input.title,
        body: input.body,
        severity: input.severity,
        audience: input.audience,
        // Only the list the audience uses is kept, so a row never targets more than it says.
        audienceEditions: input.audience === 'editions' ? input.editions : [],
        audienceTenantIds: input.audience === 'tenants' ? input.tenantIds : [],
        visibleFrom,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
      })
      .returning();
    if (!row) throw new Error('insert into platform_announcement returned no row');
    const created = toAnnouncement(row);
    emit(uow, { type: `platform.${input.kind}.published`, payload: { announcementId: created.id, audience: created.audience } });
    recordAudit(uow, { action: `platform.${input.kind}.published`, target: target(created.id), data: { announcement: { ...created, id: undefined } } });
    return created;
  });
}

/** Takes an announcement down at once (idempotent); it stays listed in the console. */
export async function withdrawAnnouncement(ctx: ServiceContext, id: string): Promise<Announcement> {
  return withTenantTx(ctx, async (uow) => {
    const [current] = await uow.tx.select().from(platformAnnouncement).where(eq(platformAnnouncement.id, id)).for('update');
    if (!current) throw platformErrors.announcementNotFound();
    if (current.withdrawnAt) return toAnnouncement(current);
    const [row] = await uow.tx.update(platformAnnouncement).set({ withdrawnAt: sql`now()` }).where(eq(platformAnnouncement.id, id)).returning();
    if (!row) throw platformErrors.announcementNotFound();
    emit(uow, { type: `platform.${row.kind}.withdrawn`, payload: { announcementId: id } });
    recordAudit(uow, { action: `platform.${row.kind}.withdrawn`, target: target(id), data: { title: row.title } });
    return toAnnouncement(row);
  });
}

/**
 * The banners a business sees now: live announcements and maintenance windows aimed at all
 * businesses, at its edition or at it by name. "All" means the customer businesses: the platform
 * tenant sees only what names it. Maintenance shows ahead of its window as a schedule.
 */
export async function bannersFor(db: Db, tenant: { id: string; edition: string; timeZone: string }, now = new Date()): Promise<PageBanner[]> {
  const rows = await db
    .select()
    .from(platformAnnouncement)
    .where(
      and(
        isNull(platformAnnouncement.withdrawnAt),
        lte(platformAnnouncement.visibleFrom, now),
        gt(platformAnnouncement.endsAt, now),
        or(
          tenant.id === PLATFORM_TENANT_ID ? sql`false` : eq(platformAnnouncement.audience, 'all'),
          and(eq(platformAnnouncement.audience, 'editions'), sql`${tenant.edition} = ANY(${platformAnnouncement.audienceEditions})`),
          and(eq(platformAnnouncement.audience, 'tenants'), sql`${tenant.id}::uuid = ANY(${platformAnnouncement.audienceTenantIds})`),
        ),
      ),
    )
    .orderBy(platformAnnouncement.startsAt)
    .limit(5);
  return rows.map((row) => {
    if (row.kind !== 'maintenance') return { id: row.id, severity: row.severity, title: row.title, body: row.body };
    // On the business's clocks, like every time its pages show.
    const at = (instant: Date) => formatDateTime(instant, tenant.timeZone);
    const window = `${at(row.startsAt)} – ${at(row.endsAt)}`;
    const title = row.startsAt > now ? `Scheduled maintenance on ${window}: ${row.title}` : `Maintenance in progress until ${at(row.endsAt)}: ${row.title}`;
    return { id: row.id, severity: row.severity, title, body: row.body };
  });
}
