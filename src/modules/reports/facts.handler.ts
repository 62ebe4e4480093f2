import { sql } from 'drizzle-orm';
import type { ServiceContext } from '../../kernel/context.ts';
import { defineEventHandler, type DomainEvent, type EventType } from '../../kernel/jobs/index.ts';
import { tenantTimeZone } from '../../kernel/tenancy/index.ts';
import { localDate } from '../../kernel/time/index.ts';
import { locationsById } from '../locations/index.ts';
import { loadSale, type Sale } from '../pos/index.ts';
import { reportsSalesFact } from './reports.table.ts';
import type { UnitOfWork } from '../../kernel/tenancy/index.ts';

export const SALES_EVENTS = ['pos.sale.completed', 'pos.sale.refunded', 'pos.sale.voided'] as const satisfies readonly EventType[];
type SalesEvent = (typeof SALES_EVENTS)[number];

/** What one event adds to one fact row (negative to take a voided sale out). */
export interface FactDelta {
  day: string;
  locationId: string;
  productId: string;
  currency: string;
  productName: string;
  productSku: string;
  quantity: number;
  grossMinor: number;
  discountMinor: number;
  taxMinor: number;
  netMinor: number;
  totalMinor: number;
  refundQuantity: number;
  refundMinor: number;
  refundTaxMinor: number;
}

const ZERO = { quantity: 0, grossMinor: 0, discountMinor: 0, taxMinor: 0, netMinor: 0, totalMinor: 0, refundQuantity: 0, refundMinor: 0, refundTaxMinor: 0 };
const SUMMED = ['quantity', 'grossMinor', 'discountMinor', 'taxMinor', 'netMinor', 'totalMinor', 'refundQuantity', 'refundMinor', 'refundTaxMinor'] as const;

/** Deltas of one (day, location, product, currency) merged, so one statement never names a row twice. */
function merge(deltas: readonly FactDelta[]): FactDelta[] {
  const merged = new Map<string, FactDelta>();
  for (const delta of deltas) {
    const key = `${delta.day}|${delta.locationId}|${delta.productId}|${delta.currency}`;
    const entry = merged.get(key);
    if (!entry) merged.set(key, { ...delta });
    else for (const field of SUMMED) entry[field] += delta[field];
  }
  // A fixed order, so parallel deliveries touching the same rows lock them in the same order.
  return [...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, delta]) => delta);
}

/** Adds the deltas to the tenant's fact rows (created at zero when missing), in the handler's transaction. */
export async function addFacts(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, deltas: readonly FactDelta[]): Promise<void> {
  const rows = merge(deltas);
  if (rows.length === 0) return;
  const f = reportsSalesFact;
  const add = (column: (typeof f)[(typeof SUMMED)[number]], name: string) => sql`${column} + excluded.${sql.identifier(name)}`;
  await uow.tx
    .insert(f)
    .values(rows.map((row) => ({ tenantId: uow.tenantId, ...row })))
    .onConflictDoUpdate({
      target: [f.tenantId, f.day, f.locationId, f.productId, f.currency],
      set: {
        productName: sql`excluded.product_name`,
        productSku: sql`excluded.product_sku`,
        quantity: add(f.quantity, 'quantity'),
        grossMinor: add(f.grossMinor, 'gross_minor'),
        discountMinor: add(f.discountMinor, 'discount_minor'),
        taxMinor: add(f.taxMinor, 'tax_minor'),
        netMinor: add(f.netMinor, 'net_minor'),
        totalMinor: add(f.totalMinor, 'total_minor'),
        refundQuantity: add(f.refundQuantity, 'refund_quantity'),
        refundMinor: add(f.refundMinor, 'refund_minor'),
        refundTaxMinor: add(f.refundTaxMinor, 'refund_tax_minor'),
        updatedAt: sql`now()`,
      },
    });
}

/** The sale, read through the POS's public interface in the handler's transaction; the event comes after its commit. */
async function saleOf(uow: UnitOfWork, event: DomainEvent<SalesEvent>): Promise<Sale> {
  const { saleId } = event.payload;
  const sale = await loadSale(uow, saleId);
  // Cannot happen for a committed sale of this tenant; failing makes the job retry and, at last, a dead letter to look at.
  if (!sale) throw new Error(`${event.type} ${event.id}: sale ${saleId} not found`);
  return sale;
}

/** A sale's day is the day on its shop's clocks (the business's, were the location gone). */
async function timeZoneOf(uow: UnitOfWork, locationId: string): Promise<string> {
  return (await locationsById(uow)).get(locationId)?.timeZone ?? (await tenantTimeZone(uow.tx, uow.tenantId));
}

/** The sold (not voided) lines of a sale as deltas on the sale's day, times `sign` (−1 takes the sale out again). */
export function saleDeltas(sale: Sale, day: string, sign: 1 | -1): FactDelta[] {
  return sale.lines
    .filter((line) => !line.voided)
    .map((line) => ({
      ...ZERO,
      day,
      locationId: sale.locationId,
      productId: line.productId,
      currency: sale.currency,
      productName: line.name,
      productSku: line.sku,
      quantity: sign * line.quantity,
      grossMinor: sign * line.grossMinor,
      discountMinor: sign * (line.lineDiscountMinor + line.ticketDiscountMinor),
      taxMinor: sign * line.taxMinor,
      netMinor: sign * line.netMinor,
      totalMinor: sign * line.totalMinor,
    }));
}

/**
 * `pos.sale.completed` adds the sale's lines on the day it was rung up (in its location's zone);
 * `pos.sale.refunded` adds the refunded lines' money on the day of the refund; `pos.sale.voided`
 * takes the whole sale out of its own day again (a void undoes a sale of a still open shift).
 * Sale lines carry the amounts the payload does not (gross, discounts, net), so the handler reads
 * the sale through pos's loadSale in its own transaction; their amounts never change afterwards.
 */
export async function handleSalesEvent(uow: UnitOfWork, event: DomainEvent<SalesEvent>): Promise<void> {
  const sale = await saleOf(uow, event);
  const timeZone = await timeZoneOf(uow, sale.locationId);
  if (event.type === 'pos.sale.completed') {
    await addFacts(uow, saleDeltas(sale, localDate(new Date(sale.soldAt), timeZone), 1));
    return;
  }
  if (event.type === 'pos.sale.voided') {
    await addFacts(uow, saleDeltas(sale, localDate(new Date(sale.soldAt), timeZone), -1));
    return;
  }
  if (event.type === 'pos.sale.refunded') {
    const day = localDate(new Date(event.occurredAt), timeZone);
    const byLine = new Map(sale.lines.map((line) => [line.lineNo, line]));
    await addFacts(
      uow,
      event.payload.lines.map((line) => ({
        ...ZERO,
        day,
        locationId: sale.locationId,
        productId: line.productId,
        currency: sale.currency,
        productName: byLine.get(line.lineNo)?.name ?? line.productId,
        productSku: byLine.get(line.lineNo)?.sku ?? '',
        refundQuantity: line.quantity,
        refundMinor: line.amountMinor,
        refundTaxMinor: line.taxMinor,
      })),
    );
  }
}

export const salesFactsHandler = defineEventHandler({
  name: 'sales-facts',
  events: SALES_EVENTS,
  handle: handleSalesEvent,
});
