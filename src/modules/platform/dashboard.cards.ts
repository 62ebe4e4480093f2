import { and, count, desc, eq, gte, ne, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../kernel/context.ts';
import type { CardContent, DashboardCard } from '../../kernel/module/index.ts';
import { PLATFORM_TENANT_ID, tenantTable, type TenantStatus } from '../../kernel/tenancy/index.ts';
import { formatDate } from '../../kernel/time/index.ts';
import { platformPlan, platformTenantPlan } from './platform.table.ts';

const customers = ne(tenantTable.id, PLATFORM_TENANT_ID);
const STATUS_ORDER: readonly TenantStatus[] = ['pending', 'active', 'suspended', 'closed'];
const STATUS_WORDS: Record<TenantStatus, string> = { pending: 'Waiting for approval', active: 'Active', suspended: 'Suspended', closed: 'Closed' };
const WEEKS = 12;
const DAY_MS = 86_400_000;

async function businessesCard(ctx: ServiceContext): Promise<CardContent> {
  const rows = await ctx.db.select({ status: tenantTable.status, count: count() }).from(tenantTable).where(customers).groupBy(tenantTable.status);
  const byStatus = new Map(rows.map((row) => [row.status, row.count]));
  const active = byStatus.get('active') ?? 0;
  return {
    headline: { value: String(active), caption: active === 1 ? 'active business' : 'active businesses' },
    items: STATUS_ORDER.map((status) => ({ label: STATUS_WORDS[status], detail: String(byStatus.get(status) ?? 0), href: `/console/tenants?status=${status}` })),
    link: { label: 'All businesses', href: '/console/tenants' },
  };
}

/** Businesses signed up per week (Monday to Sunday, UTC), the last twelve weeks. */
async function signupsCard(ctx: ServiceContext): Promise<CardContent> {
  const now = new Date();
  const thisMonday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7)));
  const since = new Date(thisMonday.getTime() - (WEEKS - 1) * 7 * DAY_MS);
  const week = sql<string>`to_char(date_trunc('week', ${tenantTable.createdAt} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;
  const rows = await ctx.db.select({ week, count: count() }).from(tenantTable).where(and(customers, gte(tenantTable.createdAt, since))).groupBy(week);
  const byWeek = new Map(rows.map((row) => [row.week, row.count]));
  const weeks = Array.from({ length: WEEKS }, (_, index) => new Date(since.getTime() + index * 7 * DAY_MS));
  const points = weeks.map((monday) => ({ label: formatDate(monday, 'UTC').replace(/ \d{4}$/, ''), value: byWeek.get(monday.toISOString().slice(0, 10)) ?? 0 }));
  const thisWeek = points.at(-1)?.value ?? 0;
  return {
    headline: { value: String(thisWeek), caption: thisWeek === 1 ? 'sign-up this week' : 'sign-ups this week' },
    chart: { points, format: 'count', caption: `Sign-ups per week, last ${WEEKS} weeks` },
    link: { label: 'Waiting for approval', href: '/console/tenants?status=pending' },
  };
}

/** Businesses (not closed) on each plan, most first; those on none as well. */
async function plansCard(ctx: ServiceContext): Promise<CardContent> {
  const rows = await ctx.db
    .select({ plan: platformPlan.name, count: count() })
    .from(tenantTable)
    .leftJoin(platformTenantPlan, eq(platformTenantPlan.businessTenantId, tenantTable.id))
    .leftJoin(platformPlan, eq(platformPlan.id, platformTenantPlan.planId))
    .where(and(customers, ne(tenantTable.status, 'closed')))
    .groupBy(platformPlan.name)
    .orderBy(desc(count()));
  return {
    items: rows.map((row) => ({ label: row.plan ?? 'No plan yet', detail: String(row.count) })),
    empty: { text: 'No businesses yet.' },
    link: { label: 'Plans', href: '/console/plans' },
  };
}

export const PLATFORM_CARDS: readonly DashboardCard[] = [
  { id: 'businesses', title: 'Businesses', area: 'platform', permission: 'platform.tenant.read', order: 10, load: businessesCard },
  { id: 'signups', title: 'Sign-ups', area: 'platform', permission: 'platform.tenant.read', order: 20, wide: true, load: signupsCard },
  { id: 'subscriptions', title: 'Subscriptions by plan', area: 'platform', permission: 'platform.plan.read', order: 30, load: plansCard },
];
