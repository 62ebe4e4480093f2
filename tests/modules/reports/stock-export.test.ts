import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { Database } from '../../../src/kernel/db/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { newStaff } from '../pos/support.ts';
import { appDatabase, call, deliverAll, ok, openTillIn, sell, utcDay, type Headers } from './support.ts';

interface ValuationLine {
  locationId: string;
  productId: string;
  onHand: number;
  unitCostMinor?: number | null;
  valueMinor?: number | null;
}
interface Valuation {
  costVisible: boolean;
  lines: ValuationLine[];
  locations: { locationId: string; onHand: number; valueMinor?: number | null; unvaluedProducts?: number }[];
}
interface ExportView {
  id: string;
  status: string;
  rowCount: number | null;
  downloadUrl: string | null;
}

describe('reports: stock valuation and CSV exports', () => {
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

  const staff = async (permissions: string[]) => t.headersAs(await newStaff(t, t.tenantA, permissions), tenantId);

  test('stock valuation: on hand × cost with catalog.product_cost.read, quantities only without it', async () => {
    const till = await openTillIn(t, owner, 'Europe/Berlin', { cost: 420, stock: 12 });
    await sell(t, owner, till, [{ productId: till.product.id, quantity: 2 }]);

    const withCost = await ok<Valuation>(call(t, await staff(['reports.stock.read', 'catalog.product_cost.read']), 'GET', '/v1/reports/stock-valuation'));
    assert.equal(withCost.costVisible, true);
    const lamp = withCost.lines.find((line) => line.locationId === till.locationId && line.productId === till.product.id);
    const bulb = withCost.lines.find((line) => line.locationId === till.locationId && line.productId === till.other.id);
    assert.deepEqual([lamp?.onHand, lamp?.unitCostMinor, lamp?.valueMinor], [10, 420, 4200]);
    assert.deepEqual([bulb?.onHand, bulb?.unitCostMinor, bulb?.valueMinor], [12, null, null], 'a product without cost has no value');
    const location = withCost.locations.find((entry) => entry.locationId === till.locationId);
    assert.deepEqual([location?.onHand, location?.valueMinor, location?.unvaluedProducts], [22, 4200, 1]);

    const quantitiesOnly = await ok<Valuation>(call(t, await staff(['reports.stock.read']), 'GET', '/v1/reports/stock-valuation'));
    assert.equal(quantitiesOnly.costVisible, false);
    const hidden = quantitiesOnly.lines.find((line) => line.locationId === till.locationId && line.productId === till.product.id);
    assert.equal(hidden?.onHand, 10);
    assert.ok(hidden && !('unitCostMinor' in hidden) && !('valueMinor' in hidden), JSON.stringify(hidden));
    assert.ok(quantitiesOnly.locations.every((entry) => !('valueMinor' in entry)));

    // The page: cost columns only for those who may see costs; quantities for everyone with the report.
    const pageOf = async (permissions: string[]) => {
      const user = await newStaff(t, t.tenantA, permissions);
      const browser = await t.browserAs({ userId: user, tenantId });
      return (await t.app.inject({ method: 'GET', url: '/reports/stock-valuation', headers: { cookie: browser.cookie, accept: 'text/html' } })).body;
    };
    const costly = await pageOf(['reports.stock.read', 'catalog.product_cost.read']);
    assert.match(costly, /<th scope="col" class="num">Unit cost<\/th>/);
    assert.match(costly, /€42\.00/);
    const plain = await pageOf(['reports.stock.read']);
    assert.doesNotMatch(plain, /Unit cost/);
    assert.doesNotMatch(plain, /€42\.00/);
    assert.match(plain, /Costs are hidden/);
    assert.match(plain, /<svg[^>]*aria-hidden="true"/);

    assert.equal((await call(t, await staff(['reports.sales.read']), 'GET', '/v1/reports/stock-valuation')).statusCode, 403);
  });

  test('export round trip: request → job → download; the CSV equals the report table', async () => {
    const till = await openTillIn(t, owner, 'Europe/Berlin');
    const sale = await sell(t, owner, till, [
      { productId: till.product.id, quantity: 2 },
      { productId: till.other.id, quantity: 3, taxCode: 'RED' },
    ]);
    await deliverAll(t, database, tenantId, 'sales-facts');
    const params = { from: utcDay(sale.soldAt, -1), to: utcDay(sale.soldAt, 1), groupBy: 'product', locationId: till.locationId };

    const exporter = await staff(['reports.export.create', 'reports.sales.read']);
    const requested = await call(t, exporter, 'POST', '/v1/reports/exports', { report: 'sales', params });
    assert.equal(requested.statusCode, 202, requested.body);
    const queued = (requested.json() as { data: ExportView }).data;
    assert.deepEqual([queued.status, queued.downloadUrl], ['queued', null]);
    const early = await call(t, exporter, 'GET', `/v1/reports/exports/${queued.id}/download`);
    assert.equal(early.statusCode, 409);

    const audited = await t.database.pool.query('SELECT data FROM audit_event WHERE tenant_id = $1 AND action = $2 AND target_id = $3', [tenantId, 'reports.export.requested', queued.id]);
    assert.equal(audited.rowCount, 1);

    // The job: the event delivered through the runtime's deliverEvent; a redelivery changes nothing.
    assert.equal(await deliverAll(t, database, tenantId, 'render-export'), 1);
    assert.equal(await deliverAll(t, database, tenantId, 'render-export'), 0);
    const done = await ok<ExportView>(call(t, exporter, 'GET', `/v1/reports/exports/${queued.id}`));
    assert.equal(done.status, 'done');
    assert.equal(done.downloadUrl, `/v1/reports/exports/${queued.id}/download`);

    const download = await call(t, exporter, 'GET', done.downloadUrl);
    assert.equal(download.statusCode, 200);
    assert.match(String(download.headers['content-type']), /^text\/csv/);
    assert.match(String(download.headers['content-disposition']), /^attachment; filename="sales-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.csv"$/);
    const records = parse(download.body, { columns: true }) as Record<string, string>[];

    const table = await ok<{ rows: Record<string, string | number>[] }>(call(t, owner, 'GET', `/v1/reports/sales?${new URLSearchParams(params).toString()}`));
    assert.equal(table.rows.length, 2);
    assert.equal(done.rowCount, 2);
    assert.deepEqual(
      records.map((record) => ({
        label: record.product,
        key: record.key,
        currency: record.currency,
        quantity: Number(record.quantity),
        grossMinor: Number(record.gross_minor),
        discountMinor: Number(record.discount_minor),
        taxMinor: Number(record.tax_minor),
        netMinor: Number(record.net_minor),
        totalMinor: Number(record.total_minor),
        refundQuantity: Number(record.refund_quantity),
        refundMinor: Number(record.refund_minor),
        refundTaxMinor: Number(record.refund_tax_minor),
        netTakingsMinor: Number(record.net_takings_minor),
      })),
      table.rows,
    );
    assert.equal(records.reduce((sum, record) => sum + Number(record.total_minor), 0), sale.totalMinor);
    const downloads = await t.database.pool.query('SELECT 1 FROM audit_event WHERE tenant_id = $1 AND action = $2 AND target_id = $3', [tenantId, 'reports.export.downloaded', queued.id]);
    assert.equal(downloads.rowCount, 1);
  });

  test('a stock export keeps to what the requester could see: no cost columns without the cost permission', async () => {
    const till = await openTillIn(t, owner, 'Europe/Berlin', { cost: 300, stock: 4 });
    const asked = async (permissions: string[]) => {
      const headers = await staff(['reports.export.create', 'reports.stock.read', ...permissions]);
      const view = await ok<ExportView>(call(t, headers, 'POST', '/v1/reports/exports', { report: 'stock-valuation' }));
      return { headers, id: view.id };
    };
    const plain = await asked([]);
    const costly = await asked(['catalog.product_cost.read']);
    assert.equal(await deliverAll(t, database, tenantId, 'render-export'), 2);

    const csvOf = async ({ headers, id }: { headers: Headers; id: string }) => parse((await call(t, headers, 'GET', `/v1/reports/exports/${id}/download`)).body, { columns: true }) as Record<string, string>[];
    const plainRows = (await csvOf(plain)).filter((row) => row.location_id === till.locationId);
    assert.equal(plainRows.length, 2);
    assert.ok(plainRows.every((row) => !('unit_cost_minor' in row) && !('value_minor' in row)), JSON.stringify(plainRows[0]));
    const lamp = (await csvOf(costly)).find((row) => row.location_id === till.locationId && row.product_id === till.product.id);
    assert.deepEqual([lamp?.on_hand, lamp?.unit_cost_minor, lamp?.value_minor], ['4', '300', '1200']);
  });

  test('exporting a report needs its read permission too; costs stay with those who may see them', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const sales = { report: 'sales', params: { from: day, to: day, groupBy: 'day' } };
    const exportOnly = await staff(['reports.export.create']);
    for (const body of [sales, { report: 'shifts' }, { report: 'stock-valuation' }]) {
      const refused = await call(t, exportOnly, 'POST', '/v1/reports/exports', body);
      assert.equal(refused.statusCode, 403, `${body.report}: ${refused.body}`);
      assert.equal((refused.json() as { error: { details: { reason: string } } }).error.details.reason, 'PERMISSION_REQUIRED');
    }
    const salesReader = await staff(['reports.export.create', 'reports.sales.read']);
    assert.equal((await call(t, salesReader, 'POST', '/v1/reports/exports', sales)).statusCode, 202);
    assert.equal((await call(t, salesReader, 'POST', '/v1/reports/exports', { report: 'shifts' })).statusCode, 202);
    assert.equal((await call(t, salesReader, 'POST', '/v1/reports/exports', { report: 'stock-valuation' })).statusCode, 403, 'sales, not stock');
    const before = await t.database.pool.query("SELECT count(*)::int AS n FROM reports_export WHERE tenant_id = $1 AND report = 'stock-valuation'", [tenantId]);

    // The form on the report pages goes through the same rule.
    const browser = await t.browserAs({ userId: await newStaff(t, t.tenantA, ['reports.export.create', 'reports.sales.read']), tenantId });
    const form = await t.app.inject({
      method: 'POST',
      url: '/reports/exports',
      headers: { cookie: browser.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: browser.csrfToken, report: 'stock-valuation' }).toString(),
    });
    assert.equal(form.statusCode, 403);
    const after = await t.database.pool.query("SELECT count(*)::int AS n FROM reports_export WHERE tenant_id = $1 AND report = 'stock-valuation'", [tenantId]);
    assert.deepEqual(after.rows, before.rows, 'nothing queued');

    // Someone else's finished export: reading or downloading it needs the same permissions as asking for it.
    const costly = await ok<ExportView>(call(t, await staff(['reports.export.create', 'reports.stock.read', 'catalog.product_cost.read']), 'POST', '/v1/reports/exports', { report: 'stock-valuation' }));
    const ownersShifts = await ok<ExportView>(call(t, owner, 'POST', '/v1/reports/exports', { report: 'shifts' }));
    await deliverAll(t, database, tenantId, 'render-export');
    assert.equal((await call(t, salesReader, 'GET', `/v1/reports/exports/${ownersShifts.id}/download`)).statusCode, 200, 'a report without cost columns needs no cost permission');
    for (const url of [`/v1/reports/exports/${costly.id}`, `/v1/reports/exports/${costly.id}/download`])
      assert.equal((await call(t, salesReader, 'GET', url)).statusCode, 403, url);
    assert.ok(!(await ok<ExportView[]>(call(t, salesReader, 'GET', '/v1/reports/exports'))).some((entry) => entry.id === costly.id), 'the list leaves it out');
    const stockReader = await staff(['reports.export.create', 'reports.stock.read']);
    assert.equal((await call(t, stockReader, 'GET', `/v1/reports/exports/${costly.id}`)).statusCode, 200);
    const withoutCost = await call(t, stockReader, 'GET', `/v1/reports/exports/${costly.id}/download`);
    assert.equal(withoutCost.statusCode, 403, 'its cost columns are not for someone without the cost permission');
    assert.doesNotMatch(withoutCost.body, /unit_cost_minor/);
  });

  test("exports are the tenant's own: another business gets 404 for an id, and its list never shows them", async () => {
    const mine = await ok<ExportView>(call(t, owner, 'POST', '/v1/reports/exports', { report: 'shifts' }));
    await deliverAll(t, database, tenantId, 'render-export');
    const other = await t.headersFor('tenant-reports-c');
    for (const url of [`/v1/reports/exports/${mine.id}`, `/v1/reports/exports/${mine.id}/download`]) {
      const response = await call(t, other, 'GET', url);
      assert.equal(response.statusCode, 404, `${url}: ${response.body}`);
    }
    const theirs = await ok<ExportView[]>(call(t, other, 'GET', '/v1/reports/exports'));
    assert.ok(!theirs.some((entry) => entry.id === mine.id));
  });

  test('an export request is validated', async () => {
    for (const body of [{ report: 'payroll' }, { report: 'sales', params: { from: '2026-13-01' } }, { report: 'stock-valuation', params: { extra: 1 } }]) {
      const response = await call(t, owner, 'POST', '/v1/reports/exports', body);
      assert.equal(response.statusCode, 400, `${JSON.stringify(body)}: ${response.body}`);
    }
  });
});
