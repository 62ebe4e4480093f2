import { and, asc, eq, gte, lte, sql, type AnyColumn } from 'drizzle-orm';
import type { Tx } from '../../kernel/db/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { validationError } from '../../kernel/errors.ts';
import { tenantTimeZone, withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { localDate } from '../../kernel/time/index.ts';
import { locationsById } from '../locations/index.ts';
import { salesQueryOn, type SalesQuery, type SalesQueryInput, type SalesReport, type SalesRow } from './domain.ts';
import { reportsSalesFact } from './reports.table.ts';

const f = reportsSalesFact;
const total = (column: AnyColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

const sums = {
  quantity: total(f.quantity),
  grossMinor: total(f.grossMinor),
  discountMinor: total(f.discountMinor),
  taxMinor: total(f.taxMinor),
  netMinor: total(f.netMinor),
  totalMinor: total(f.totalMinor),
  refundQuantity: total(f.refundQuantity),
  refundMinor: total(f.refundMinor),
  refundTaxMinor: total(f.refundTaxMinor),
};

type Sums = { [K in keyof typeof sums]: number };
const row = (key: string, label: string, currency: string, values: Sums): SalesRow => ({ key, label, currency, ...values, netTakingsMinor: values.totalMinor - values.refundMinor });

/** The sales report from the read model, in the caller's tenant transaction. */
export async function salesReportIn(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, query: SalesQuery): Promise<SalesReport> {
  const where = and(
    eq(f.tenantId, uow.tenantId),
    gte(f.day, query.from),
    lte(f.day, query.to),
    query.locationId ? eq(f.locationId, query.locationId) : undefined,
  );
  let rows: SalesRow[];
  if (query.groupBy === 'day') {
    const found = await uow.tx.select({ day: f.day, currency: f.currency, ...sums }).from(f).where(where).groupBy(f.day, f.currency).orderBy(asc(f.day), asc(f.currency));
    rows = found.map(({ day, currency, ...values }) => row(day, day, currency, values));
  } else if (query.groupBy === 'location') {
    const found = await uow.tx.select({ locationId: f.locationId, currency: f.currency, ...sums }).from(f).where(where).groupBy(f.locationId, f.currency);
    const locations = await locationsById(uow);
    rows = found
      .map(({ locationId, currency, ...values }) => row(locationId, locations.get(locationId)?.name ?? locationId, currency, values))
      .sort((a, b) => a.label.localeCompare(b.label) || a.currency.localeCompare(b.currency) || a.key.localeCompare(b.key));
  } else {
    // The label is the product's name as most recently sold in the range.
    const found = await uow.tx
      .select({
        productId: f.productId,
        currency: f.currency,
        name: sql<string>`(array_agg(${f.productName} || ' (' || ${f.productSku} || ')' ORDER BY ${f.day} DESC))[1]`,
        ...sums,
      })
      .from(f)
      .where(where)
      .groupBy(f.productId, f.currency);
    rows = found
      .map(({ productId, currency, name, ...values }) => row(productId, name, currency, values))
      .sort((a, b) => a.label.localeCompare(b.label) || a.currency.localeCompare(b.currency) || a.key.localeCompare(b.key));
  }
  const byCurrency = new Map<string, SalesRow>();
  for (const entry of rows) {
    const sum = byCurrency.get(entry.currency) ?? row(entry.currency, `Total ${entry.currency}`, entry.currency, { quantity: 0, grossMinor: 0, discountMinor: 0, taxMinor: 0, netMinor: 0, totalMinor: 0, refundQuantity: 0, refundMinor: 0, refundTaxMinor: 0 });
    for (const field of ['quantity', 'grossMinor', 'discountMinor', 'taxMinor', 'netMinor', 'totalMinor', 'refundQuantity', 'refundMinor', 'refundTaxMinor', 'netTakingsMinor'] as const) sum[field] += entry[field];
    byCurrency.set(entry.currency, sum);
  }
  return { from: query.from, to: query.to, groupBy: query.groupBy, locationId: query.locationId ?? null, rows, totals: [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)) };
}

/** The query's days, left-out ones counted back from today on the business's clocks. */
export async function salesQueryIn(tx: Tx, tenantId: string, input: unknown) {
  return salesQueryOn(localDate(new Date(), await tenantTimeZone(tx, tenantId))).safeParse(input);
}

export function salesReport(ctx: ServiceContext, input: SalesQueryInput): Promise<SalesReport> {
  return withTenantTx(ctx, async (uow) => {
    const query = await salesQueryIn(uow.tx, ctx.tenantId, input);
    if (!query.success) throw validationError(query.error.issues.map((issue) => ({ in: 'querystring', path: issue.path.join('.'), message: issue.message })));
    return salesReportIn(uow, query.data);
  });
}
