import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../../src/kernel/db/index.ts';
import { localDate as dayIn } from '../../../src/kernel/time/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { appDatabase, call, deliverAll, ok, openTillIn, sell, utcDay, type Headers, type ReportTill, type SaleBody } from './support.ts';

interface Row {
  key: string;
  label: string;
  currency: string;
  quantity: number;
  grossMinor: number;
  discountMinor: number;
  taxMinor: number;
  netMinor: number;
  totalMinor: number;
  refundQuantity: number;
  refundMinor: number;
  refundTaxMinor: number;
  netTakingsMinor: number;
}
interface Report {
  from: string;
  to: string;
  rows: Row[];
  totals: Row[];
}

const sumOf = (lines: SaleBody['lines'], productId: string) => {
  const mine = lines.filter((line) => line.productId === productId);
  const add = (pick: (line: SaleBody['lines'][number]) => number) => mine.reduce((sum, line) => sum + pick(line), 0);
  return {
    quantity: add((line) => line.quantity),
    grossMinor: add((line) => line.grossMinor),
    discountMinor: add((line) => line.lineDiscountMinor + line.ticketDiscountMinor),
    taxMinor: add((line) => line.taxMinor),
    netMinor: add((line) => line.netMinor),
    totalMinor: add((line) => line.totalMinor),
  };
};

describe('reports: sales facts from POS events', () => {
  let t: TestApp;
  let owner: Headers;
  let database: Database;
  let tenantId: string;

  before(async () => {
    t = await startTestApp();
    owner = await t.headersFor('tenant-a');
    tenantId = t.tenantA.id;
    database = appDatabase(t);
  });
  after(async () => {
    await database.close();
    await t.close();
  });

  const report = (query: Record<string, string>, headers: Headers = owner) => ok<Report>(call(t, headers, 'GET', `/v1/reports/sales?${new URLSearchParams(query).toString()}`));
  const factRows = async (locationId: string) =>
    (await t.database.pool.query<{ day: string; product_id: string; quantity: number; total_minor: string; refund_minor: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, product_id, quantity, total_minor::text, refund_minor::text FROM reports_sales_fact WHERE tenant_id = $1 AND location_id = $2 ORDER BY day, product_id`,
      [tenantId, locationId],
    )).rows;

  test('sales, refunds and voids become facts that match the sales; redelivery adds nothing', async () => {
    const till: ReportTill = await openTillIn(t, owner, 'Europe/Berlin');
    const first = await sell(t, owner, till, [
      { productId: till.product.id, quantity: 3, discount: { kind: 'percent', value: 1000 } },
      { productId: till.other.id, quantity: 2, taxCode: 'RED' },
    ], { ticketDiscount: { kind: 'amount', value: 100 } });
    const second = await sell(t, owner, till, [{ productId: till.product.id, quantity: 1 }]);
    const voided = await sell(t, owner, till, [{ productId: till.other.id, quantity: 4 }]);
    assert.ok(first.lines.some((line) => line.lineDiscountMinor > 0) && first.lines.some((line) => line.ticketDiscountMinor > 0), 'the sale carries both kinds of discount');

    // Nothing is in the read model until the events are delivered.
    const day = dayIn(new Date(first.soldAt), 'Europe/Berlin');
    const range = { from: utcDay(first.soldAt, -1), to: utcDay(first.soldAt, 1), groupBy: 'product', locationId: till.locationId };
    assert.deepEqual((await report(range)).rows, []);

    assert.equal(await deliverAll(t, database, tenantId, 'sales-facts'), 3);
    assert.equal(await deliverAll(t, database, tenantId, 'sales-facts'), 0, 'a redelivered event is skipped');

    const refund = await ok<{ amountMinor: number; taxMinor: number; lines: { productId: string; quantity: number; amountMinor: number; taxMinor: number }[] }>(
      call(t, owner, 'POST', `/v1/pos/sales/${first.id}/refunds`, { id: randomUUID(), registerId: till.registerId, reason: 'Broken', lines: [{ lineNo: 1, quantity: 1 }] }),
    );
    await ok(call(t, owner, 'POST', `/v1/pos/sales/${voided.id}/void`, { id: randomUUID(), registerId: till.registerId, reason: 'Rung up by mistake' }));
    assert.equal(await deliverAll(t, database, tenantId, 'sales-facts'), 2, 'the refund and the void');
    assert.equal(await deliverAll(t, database, tenantId, 'sales-facts'), 0);

    const byProduct = await report(range);
    const lamp = byProduct.rows.find((row) => row.key === till.product.id);
    const bulb = byProduct.rows.find((row) => row.key === till.other.id);
    assert.ok(lamp && bulb, JSON.stringify(byProduct.rows));
    const lampSold = sumOf([...first.lines, ...second.lines], till.product.id);
    const bulbSold = sumOf(first.lines, till.other.id);
    const refundLine = refund.lines[0];
    assert.ok(refundLine);
    assert.deepEqual(
      { ...lamp },
      {
        key: till.product.id,
        label: `${till.product.name} (${till.product.sku})`,
        currency: 'EUR',
        ...lampSold,
        refundQuantity: 1,
        refundMinor: refundLine.amountMinor,
        refundTaxMinor: refundLine.taxMinor,
        netTakingsMinor: lampSold.totalMinor - refundLine.amountMinor,
      },
    );
    // The voided sale of 4 bulbs is taken out again: only the first sale's 2 remain.
    assert.deepEqual({ quantity: bulb.quantity, totalMinor: bulb.totalMinor, refundMinor: bulb.refundMinor }, { quantity: 2, totalMinor: bulbSold.totalMinor, refundMinor: 0 });

    // Totals tie out to what the POS charged for the sales that stand.
    const [total] = byProduct.totals;
    assert.equal(byProduct.totals.length, 1);
    assert.equal(total?.totalMinor, first.totalMinor + second.totalMinor);
    assert.equal(total?.refundMinor, refund.amountMinor);
    assert.equal(total?.netTakingsMinor, first.totalMinor + second.totalMinor - refund.amountMinor);
    assert.equal(total?.grossMinor - total.discountMinor, total.totalMinor, 'prices include tax: gross less discounts is what was paid');
    assert.equal(total?.netMinor + total.taxMinor, total.totalMinor);

    // Grouped by day and by location, the same sums.
    const byDay = await report({ ...range, groupBy: 'day' });
    assert.deepEqual(byDay.rows.map((row) => [row.key, row.totalMinor, row.refundMinor]), [[day, first.totalMinor + second.totalMinor, refund.amountMinor]]);
    const byLocation = await report({ ...range, groupBy: 'location' });
    assert.deepEqual(byLocation.rows.map((row) => [row.key, row.label, row.netTakingsMinor]), [[till.locationId, till.locationName, total?.netTakingsMinor]]);

    // Delivered again from scratch (as after a lost acknowledgement), nothing changes.
    const before = await factRows(till.locationId);
    assert.equal(await deliverAll(t, database, tenantId, 'sales-facts'), 0);
    assert.deepEqual(await factRows(till.locationId), before);
  });

  test("sales fall on the day of their location's time zone", async () => {
    // UTC+14 and UTC−11 are 25 hours apart: the same instant is never the same day in both.
    const east = await openTillIn(t, owner, 'Pacific/Kiritimati');
    const west = await openTillIn(t, owner, 'Pacific/Pago_Pago');
    const eastSale = await sell(t, owner, east, [{ productId: east.product.id, quantity: 1 }]);
    const westSale = await sell(t, owner, west, [{ productId: west.product.id, quantity: 1 }]);
    await deliverAll(t, database, tenantId, 'sales-facts');

    const eastDay = utcDay(new Date(eastSale.soldAt).getTime() + 14 * 3_600_000);
    const westDay = utcDay(new Date(westSale.soldAt).getTime() - 11 * 3_600_000);
    assert.notEqual(eastDay, westDay);
    assert.deepEqual((await factRows(east.locationId)).map((row) => row.day), [eastDay]);
    assert.deepEqual((await factRows(west.locationId)).map((row) => row.day), [westDay]);

    // A report of one day holds only the sale whose local day it is.
    const onlyEast = await report({ from: eastDay, to: eastDay, groupBy: 'location' });
    assert.ok(onlyEast.rows.some((row) => row.key === east.locationId));
    assert.ok(!onlyEast.rows.some((row) => row.key === west.locationId));
  });

  test('dayIn: calendar days across zones and daylight-saving changes', () => {
    assert.equal(dayIn(new Date('2026-03-01T11:30:00Z'), 'Pacific/Auckland'), '2026-03-02');
    assert.equal(dayIn(new Date('2026-03-01T05:00:00Z'), 'America/Los_Angeles'), '2026-02-28');
    assert.equal(dayIn(new Date('2026-03-29T22:30:00Z'), 'Europe/Berlin'), '2026-03-30', 'after the spring change Berlin is UTC+2');
    assert.equal(dayIn(new Date('2026-01-15T22:30:00Z'), 'Europe/Berlin'), '2026-01-15', 'in winter Berlin is UTC+1');
    assert.equal(dayIn(new Date('2026-01-15T23:59:59Z'), 'UTC'), '2026-01-15');
  });

  test('query validation: bad dates, reversed and over-long ranges are refused', async () => {
    for (const query of [{ from: '2026-02-30' }, { from: '2026-03-02', to: '2026-03-01' }, { from: '2024-01-01', to: '2026-01-01' }, { groupBy: 'hour' }]) {
      const response = await call(t, owner, 'GET', `/v1/reports/sales?${new URLSearchParams(query).toString()}`);
      assert.equal(response.statusCode, 400, `${JSON.stringify(query)}: ${response.body}`);
    }
  });

  test("tenant isolation: another business sees none of these facts, and its events never touch this tenant's", async () => {
    const otherOwner = await t.headersFor('tenant-reports-c');
    const other = await openTillIn(t, otherOwner, 'Europe/Berlin');
    const sale = await sell(t, otherOwner, other, [{ productId: other.product.id, quantity: 2 }]);
    const otherTenant = (await t.database.pool.query<{ id: string }>("SELECT id FROM tenant WHERE slug = 'tenant-reports-c'")).rows[0]?.id as string;
    const mineBefore = await report({ from: utcDay(sale.soldAt, -2), to: utcDay(sale.soldAt, 2), groupBy: 'location' });
    assert.equal(await deliverAll(t, database, otherTenant, 'sales-facts'), 1);

    const theirs = await report({ from: utcDay(sale.soldAt, -2), to: utcDay(sale.soldAt, 2), groupBy: 'location' }, otherOwner);
    assert.deepEqual(theirs.rows.map((row) => [row.key, row.totalMinor]), [[other.locationId, sale.totalMinor]]);
    const mine = await report({ from: utcDay(sale.soldAt, -2), to: utcDay(sale.soldAt, 2), groupBy: 'location' });
    assert.deepEqual(mine, mineBefore);
    assert.ok(!mine.rows.some((row) => row.key === other.locationId));
    // A location filter naming the other tenant's location finds nothing.
    assert.deepEqual((await report({ from: utcDay(sale.soldAt, -2), to: utcDay(sale.soldAt, 2), locationId: other.locationId })).rows, []);
  });

  test('permissions: reports.sales.read is needed for the sales report', async () => {
    const { newStaff } = await import('../pos/support.ts');
    const nobody = await t.headersAs(await newStaff(t, t.tenantA, ['catalog.product.read']), tenantId);
    const refused = await call(t, nobody, 'GET', '/v1/reports/sales');
    assert.equal(refused.statusCode, 403);
    const reader = await t.headersAs(await newStaff(t, t.tenantA, ['reports.sales.read']), tenantId);
    assert.equal((await call(t, reader, 'GET', '/v1/reports/sales')).statusCode, 200);
  });
});
