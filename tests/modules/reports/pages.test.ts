import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../../src/kernel/db/index.ts';
import { startTestApp, type TestApp, type TestBrowser } from '../../support/app.ts';
import { newStaff } from '../pos/support.ts';
import { appDatabase, call, deliverAll, ok, openTillIn, sell, utcDay, type Headers } from './support.ts';

describe('reports: pages', () => {
  let t: TestApp;
  let owner: Headers;
  let browser: TestBrowser;
  let database: Database;

  before(async () => {
    t = await startTestApp();
    owner = await t.headersFor('tenant-a');
    browser = await t.browserFor('tenant-a');
    database = appDatabase(t);
  });
  after(async () => {
    await database.close();
    await t.close();
  });

  const get = (url: string, as: TestBrowser = browser) => t.app.inject({ method: 'GET', url, headers: { cookie: as.cookie, accept: 'text/html' } });

  test('the sales page: a table with caption and headers, an inline SVG chart beside it, no script needed', async () => {
    const till = await openTillIn(t, owner, 'Europe/Berlin');
    const sale = await sell(t, owner, till, [{ productId: till.product.id, quantity: 2 }]);
    await deliverAll(t, database, t.tenantA.id, 'sales-facts');

    const response = await get(`/reports/sales?from=${utcDay(sale.soldAt, -1)}&to=${utcDay(sale.soldAt, 1)}&groupBy=product&locationId=${till.locationId}`);
    assert.equal(response.statusCode, 200);
    const html = response.body;
    assert.match(html, /<caption>Sales \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}, by product/);
    assert.match(html, /<th scope="col">Product<\/th>/);
    assert.match(html, new RegExp(`<th scope="row">${till.product.name} \\(${till.product.sku}\\)</th>`));
    assert.match(html, /<svg[^>]*aria-hidden="true"[^>]*>.*<rect/s);
    assert.match(html, /<figcaption[^>]*>Net takings/);
    assert.ok(html.includes(`€${(sale.totalMinor / 100).toFixed(2)}`), 'the amount is shown in the table');
    assert.doesNotMatch(html, /<script/);
    assert.match(html, /<a href="\/reports">Reports<\/a>/, 'the nav entry');

    const bad = await get('/reports/sales?from=2026-02-30');
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /aria-invalid="true"/);
  });

  test('closed shifts link to their Z report; the overview and exports pages render', async () => {
    const till = await openTillIn(t, owner, 'Europe/Berlin');
    await sell(t, owner, till, [{ productId: till.product.id, quantity: 1 }]);
    await ok(call(t, owner, 'POST', `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 11_190 }));

    const list = await get('/reports/shifts');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /<caption>Closed shifts, most recent first<\/caption>/);
    assert.ok(list.body.includes(`href="/reports/shifts/${till.shiftId}"`));

    const z = await get(`/reports/shifts/${till.shiftId}`);
    assert.equal(z.statusCode, 200);
    assert.match(z.body, /<h1>Z report: Till /);
    assert.match(z.body, /<th scope="row">Counted cash<\/th><td class="num">€111\.90<\/td>/);

    const api = await ok<{ shiftId: string; countedCashMinor: number; varianceMinor: number }[]>(call(t, owner, 'GET', '/v1/reports/shifts'));
    const shift = api.find((entry) => entry.shiftId === till.shiftId);
    assert.deepEqual([shift?.countedCashMinor, shift?.varianceMinor], [11_190, 0]);
    const zData = await ok<{ kind: string; sales: { count: number } }>(call(t, owner, 'GET', `/v1/reports/shifts/${till.shiftId}`));
    assert.deepEqual([zData.kind, zData.sales.count], ['Z', 1]);

    assert.equal((await get('/reports')).statusCode, 200);
    assert.equal((await get('/reports/exports')).statusCode, 200);
  });

  test("a blind-close shift's expected cash and variance stay hidden without pos.shift.report, as in the POS", async () => {
    const till = await openTillIn(t, owner, 'Europe/Berlin');
    await ok(call(t, owner, 'POST', `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 10_000 }));
    const blind = await ok<{ shift: { id: string } }>(call(t, owner, 'POST', `/v1/pos/registers/${till.registerId}/shifts`, { openingFloatMinor: 5_000, blindClose: true }));
    await ok(call(t, owner, 'POST', `/v1/pos/shifts/${blind.shift.id}/close`, { countedCashMinor: 4_900 }));
    type Entry = { shiftId: string; expectedCashMinor?: number | null; varianceMinor?: number | null };
    const reader = await t.headersAs(await newStaff(t, t.tenantA, ['reports.sales.read']), t.tenantA.id);
    const seenByReader = (await ok<Entry[]>(call(t, reader, 'GET', '/v1/reports/shifts'))).find((entry) => entry.shiftId === blind.shift.id);
    assert.ok(seenByReader && !('expectedCashMinor' in seenByReader) && !('varianceMinor' in seenByReader), JSON.stringify(seenByReader));
    const seenByOwner = (await ok<Entry[]>(call(t, owner, 'GET', '/v1/reports/shifts'))).find((entry) => entry.shiftId === blind.shift.id);
    assert.deepEqual([seenByOwner?.expectedCashMinor, seenByOwner?.varianceMinor], [5_000, -100]);
  });

  test('the export form queues an export and lists it; the link downloads once the job has run', async () => {
    const posted = await t.app.inject({
      method: 'POST',
      url: '/reports/exports',
      headers: { cookie: browser.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: browser.csrfToken, report: 'shifts' }).toString(),
    });
    assert.equal(posted.statusCode, 303, posted.body);
    assert.match(String(posted.headers.location), /^\/reports\/exports\?notice=/);
    await deliverAll(t, database, t.tenantA.id, 'render-export');
    const page = await get('/reports/exports');
    const link = /href="(\/v1\/reports\/exports\/[0-9a-f-]+\/download)"/.exec(page.body)?.[1];
    assert.ok(link, page.body);
    const download = await t.app.inject({ method: 'GET', url: link, headers: { cookie: browser.cookie } });
    assert.equal(download.statusCode, 200);
    assert.match(download.body, /^shift_id,register,register_id,opened_at,closed_at,currency,counted_cash_minor,expected_cash_minor,variance_minor\r\n/);
  });

  test('the API is in /openapi.json with each operation\'s permission', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    const paths = (response.json() as { paths: Record<string, Record<string, { 'x-permission'?: string }>> }).paths;
    assert.equal(paths['/v1/reports/sales']?.get?.['x-permission'], 'reports.sales.read');
    assert.equal(paths['/v1/reports/stock-valuation']?.get?.['x-permission'], 'reports.stock.read');
    assert.equal(paths['/v1/reports/exports']?.post?.['x-permission'], 'reports.export.create');
    assert.equal(paths['/reports/sales'], undefined, 'pages stay out of the document');
  });

  test('without reports permissions the pages are refused and the nav has no Reports entry', async () => {
    const cashier = await newStaff(t, t.tenantA, ['catalog.product.read']);
    const as = await t.browserAs({ userId: cashier, tenantId: t.tenantA.id });
    assert.equal((await get('/reports/sales', as)).statusCode, 403);
    assert.doesNotMatch((await get('/', as)).body, /href="\/reports"/);
  });
});
