import type { ServiceContext } from '../../kernel/context.ts';
import { formatMoney } from '../../kernel/money/index.ts';
import type { CardContent, DashboardCard } from '../../kernel/module/index.ts';
import { tenantTimeZone, withTenantTx } from '../../kernel/tenancy/index.ts';
import { addDays, localDate } from '../../kernel/time/index.ts';
import type { GroupBy, SalesReport } from './domain.ts';
import { REPORTS_PERMISSIONS } from './permissions.ts';
import { salesReportIn } from './sales.service.ts';

const CHART_DAYS = 14;

/** The last `days` days up to today on the business's clocks, from the sales read model. */
function recentSales(ctx: ServiceContext, days: number, groupBy: GroupBy): Promise<{ today: string; report: SalesReport }> {
  return withTenantTx(ctx, async (uow) => {
    const today = localDate(new Date(), await tenantTimeZone(uow.tx, ctx.tenantId));
    return { today, report: await salesReportIn(uow, { from: addDays(today, -(days - 1)), to: today, groupBy }) };
  });
}

/** The currency most of the money was taken in (a business sells in one, almost always). */
const mainCurrency = (report: SalesReport) => [...report.totals].sort((a, b) => b.netTakingsMinor - a.netTakingsMinor)[0]?.currency;

const dayLabel = (day: string) => `${Number(day.slice(8))}.${Number(day.slice(5, 7))}.`;

function trendOf(today: number, lastWeek: number): NonNullable<NonNullable<CardContent['headline']>['trend']> {
  if (lastWeek === 0) return today === 0 ? { direction: 'flat', text: 'same as last week' } : { direction: 'up', text: 'no sales this day last week' };
  const change = Math.round(((today - lastWeek) / lastWeek) * 100);
  if (change === 0) return { direction: 'flat', text: 'same as this day last week' };
  return { direction: change > 0 ? 'up' : 'down', text: `${change > 0 ? '+' : ''}${change}% vs this day last week` };
}

const NO_SALES = { text: 'No sales yet. Sales made on a register show up here within seconds.', action: { label: 'Open the register', href: '/pos/register' } };

export async function salesTodayCard(ctx: ServiceContext): Promise<CardContent> {
  const { today, report } = await recentSales(ctx, CHART_DAYS, 'day');
  const currency = mainCurrency(report);
  if (!currency) return { empty: NO_SALES, link: { label: 'Sales report', href: '/reports/sales' } };
  const takings = new Map(report.rows.filter((row) => row.currency === currency).map((row) => [row.key, row.netTakingsMinor]));
  const days = Array.from({ length: CHART_DAYS }, (_, index) => addDays(today, index - (CHART_DAYS - 1)));
  const todays = takings.get(today) ?? 0;
  return {
    headline: { value: formatMoney(todays, currency), caption: 'taken today', trend: trendOf(todays, takings.get(addDays(today, -7)) ?? 0) },
    chart: { points: days.map((day) => ({ label: dayLabel(day), value: takings.get(day) ?? 0 })), format: 'money', currency, caption: `Takings per day, last ${CHART_DAYS} days` },
    link: { label: 'Sales report', href: '/reports/sales' },
  };
}

export async function topProductsCard(ctx: ServiceContext): Promise<CardContent> {
  const { report } = await recentSales(ctx, 7, 'product');
  const top = [...report.rows].sort((a, b) => b.quantity - a.quantity || b.totalMinor - a.totalMinor).slice(0, 5);
  return {
    items: top.map((row) => ({ label: row.label, detail: `${row.quantity} sold · ${formatMoney(row.totalMinor, row.currency)}` })),
    empty: { text: 'No products sold in the last 7 days.' },
    link: { label: 'Sales by product', href: '/reports/sales?groupBy=product' },
  };
}

export const REPORTS_CARDS: readonly DashboardCard[] = [
  { id: 'sales-today', title: 'Sales today', area: 'business', permission: REPORTS_PERMISSIONS.salesRead, order: 10, wide: true, load: salesTodayCard },
  { id: 'top-products', title: 'Top products, last 7 days', area: 'business', permission: REPORTS_PERMISSIONS.salesRead, order: 20, load: topProductsCard },
];
