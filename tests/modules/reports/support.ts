import { randomBytes, randomUUID } from 'node:crypto';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import { APP_ROLE, createDatabase, type Database } from '../../../src/kernel/db/index.ts';
import { deliverEvent, type EventHandlerDefinition, type HandlerJobData } from '../../../src/kernel/jobs/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { reportsModule } from '../../../src/modules/reports/index.ts';
import type { TestApp } from '../../support/app.ts';
import { call, ok, type Headers } from '../pos/support.ts';

export { call, ok, type Headers };
const unique = () => randomBytes(4).toString('hex');
const log = createLogger('silent');

/** The app role's pool, as the jobs runtime hands handlers (row-level security applies). */
export function appDatabase(t: TestApp): Database {
  return createDatabase(t.database.url, { poolMax: 3, log, role: APP_ROLE });
}

function handlerOf(name: string): { name: string; definition: EventHandlerDefinition } {
  const definition = (reportsModule.eventHandlers ?? []).find((candidate) => candidate.name === name);
  if (!definition) throw new Error(`reports declares no handler ${name}`);
  return { name: `reports.${name}`, definition };
}

/** The outbox events of these types of a tenant not yet handed to `handler` in this test, oldest first, as the dispatcher makes jobs of them. */
export async function outboxJobs(t: TestApp, tenantId: string, types: readonly string[], handler: string): Promise<HandlerJobData[]> {
  const { rows } = await t.database.pool.query<{ id: string; type: string; payload: Record<string, unknown>; occurred_at: Date }>(
    'SELECT id, type, payload, occurred_at FROM jobs_outbox WHERE tenant_id = $1 AND type = ANY($2) ORDER BY occurred_at, id',
    [tenantId, types],
  );
  return rows.map((row) => ({ id: row.id, type: row.type, tenantId, payload: row.payload, occurredAt: row.occurred_at.toISOString(), handler }));
}

/**
 * Delivers every outbox event of the handler's types in the tenant through the jobs runtime's
 * deliverEvent (the tenant transaction that records the handler and event id). Answers how many
 * ran now; ones delivered before are skipped by the runtime, as on a redelivery.
 */
export async function deliverAll(t: TestApp, database: Database, tenantId: string, name: 'sales-facts' | 'render-export'): Promise<number> {
  const handler = handlerOf(name);
  let ran = 0;
  for (const job of await outboxJobs(t, tenantId, handler.definition.events, handler.name)) if (await deliverEvent(database, log, handler, job)) ran += 1;
  return ran;
}

/** A location in `timeZone` holding stock of a fresh product (prices include 19 % tax), a register there and an open shift. */
export async function openTillIn(t: TestApp, owner: Headers, timeZone: string, options: { price?: number; cost?: number; stock?: number } = {}) {
  const tag = unique();
  const location = await ok<{ id: string; name: string }>(call(t, owner, 'POST', '/v1/locations', { name: `Report shop ${tag}`, code: `R${tag}`, timeZone }));
  const product = await ok<{ id: string; name: string; sku: string }>(
    call(t, owner, 'POST', '/v1/catalog/products', { name: `Lamp ${tag}`, sku: `LMP-${tag}`, priceMinor: options.price ?? 1190, currency: 'EUR', ...(options.cost === undefined ? {} : { costMinor: options.cost }) }),
  );
  const other = await ok<{ id: string; name: string; sku: string }>(call(t, owner, 'POST', '/v1/catalog/products', { name: `Bulb ${tag}`, sku: `BLB-${tag}`, priceMinor: 535, currency: 'EUR' }));
  await ok(call(t, owner, 'POST', '/v1/inventory/receipts', { locationId: location.id, lines: [{ productId: product.id, quantity: options.stock ?? 50 }, { productId: other.id, quantity: options.stock ?? 50 }] }));
  const register = await ok<{ id: string }>(
    call(t, owner, 'POST', '/v1/pos/registers', {
      locationId: location.id,
      name: `Till ${tag}`,
      code: `T${tag}`,
      currency: 'EUR',
      pricesIncludeTax: true,
      taxRates: [
        { code: 'STD', label: 'VAT 19%', rateBp: 1900 },
        { code: 'RED', label: 'VAT 7%', rateBp: 700 },
      ],
      defaultTaxCode: 'STD',
      maxDiscountBp: 5000,
    }),
  );
  const shift = await ok<{ shift: { id: string } }>(call(t, owner, 'POST', `/v1/pos/registers/${register.id}/shifts`, { openingFloatMinor: 10_000 }));
  return { locationId: location.id, locationName: location.name, registerId: register.id, shiftId: shift.shift.id, product, other };
}
export type ReportTill = Awaited<ReturnType<typeof openTillIn>>;

export interface SaleLine {
  lineNo: number;
  productId: string;
  quantity: number;
  grossMinor: number;
  lineDiscountMinor: number;
  ticketDiscountMinor: number;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}
export interface SaleBody {
  id: string;
  soldAt: string;
  totalMinor: number;
  lines: SaleLine[];
}

/** Rings up a sale paid in cash (exactly, with the server's total) and answers it. */
export async function sell(t: TestApp, owner: Headers, till: ReportTill, lines: Record<string, unknown>[], extra: Record<string, unknown> = {}): Promise<SaleBody> {
  const id = randomUUID();
  const body = { id, registerId: till.registerId, shiftId: till.shiftId, soldAt: new Date().toISOString(), lines, tenders: [{ kind: 'cash', amountMinor: 1_000_000 }], ...extra };
  return ok<SaleBody>(call(t, owner, 'POST', '/v1/pos/sales', body));
}

export function systemContext(t: TestApp, tenantId: string): ServiceContext {
  return { db: t.app.db, tenantId, actor: { kind: 'system', process: 'reports-test' }, requestId: `test-${randomUUID()}`, log: t.app.log };
}

/** The UTC calendar day `days` away from `iso`. */
export const utcDay = (iso: string | number, days = 0) => new Date(new Date(iso).getTime() + days * 86_400_000).toISOString().slice(0, 10);
