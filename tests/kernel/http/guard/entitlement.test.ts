import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { HTTPMethods, LightMyRequestResponse } from 'fastify';
import { planEditions, type EditionPlan } from '../../../../src/editions/compose.ts';
import { startTestApp, type TestApp } from '../../../support/app.ts';
import { withoutCsrfTokens } from '../../../support/html.ts';

/** A business of the kitchen edition (catalog and support only), made before its owner so the owner joins it. */
async function kitchenBusiness(t: TestApp, slug: string): Promise<void> {
  await t.database.pool.query("INSERT INTO tenant (slug, name, edition) VALUES ($1, 'Balance Kitchen', 'kitchen')", [slug]);
  await t.ownerOf(slug);
}

/** Modules of the retail edition's till and stock that the kitchen edition does not list. */
const TILL_ROUTES: readonly [HTTPMethods, string][] = [
  ['GET', '/v1/pos/registers'],
  ['POST', '/v1/pos/registers'],
  ['POST', '/v1/pos/sales'],
  ['GET', '/v1/inventory/counts'],
  ['POST', '/v1/inventory/receipts'],
  ['GET', '/v1/locations'],
  ['GET', '/v1/reports/stock-valuation'],
  ['POST', '/v1/reports/exports'],
];
const TILL_PAGES = ['/pos/register', '/pos/registers', '/inventory', '/inventory/counts', '/locations', '/reports', '/reports/exports'];
const TILL_LINKS = /href="\/(pos|inventory|locations|reports)\b/;

/** What a url that matches no route at all answers (its path then put back), to compare with. */
async function missingRouteAnswer(t: TestApp, method: HTTPMethods, url: string, headers: Record<string, string>): Promise<{ status: number; type: string; body: string }> {
  const response = await t.app.inject({ method, url: `/no-such-route${url}`, headers });
  return { status: response.statusCode, type: String(response.headers['content-type']), body: withoutCsrfTokens(response.body.replaceAll(`/no-such-route${url}`, url)) };
}

async function assertLooksMissing(t: TestApp, response: LightMyRequestResponse, method: HTTPMethods, url: string, headers: Record<string, string>): Promise<void> {
  const missing = await missingRouteAnswer(t, method, url, headers);
  assert.equal(response.statusCode, 404, `${method} ${url}: ${response.body.slice(0, 300)}`);
  assert.deepEqual({ status: response.statusCode, type: String(response.headers['content-type']), body: withoutCsrfTokens(response.body) }, missing, `${method} ${url} answers otherwise than a missing route`);
}

describe('entitlement: a business uses only the modules of its edition', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await kitchenBusiness(t, 'kitchen-shop');
  });
  after(() => t.close());

  test('the kitchen owner gets NOT_FOUND, exactly as for a missing route, for registers, stock, locations, reports and POS (API)', async () => {
    const headers = await t.headersFor('kitchen-shop');
    for (const [method, url] of TILL_ROUTES) {
      const response = await t.app.inject({ method, url, headers, ...(method === 'POST' ? { payload: {} } : {}) });
      await assertLooksMissing(t, response, method, url, headers);
      assert.deepEqual(response.json(), { error: { code: 'NOT_FOUND', message: `No route for ${method} ${url}.` } });
    }
    // The edition's own modules answer as before.
    assert.equal((await t.app.inject({ url: '/v1/catalog/products', headers })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/v1/support/tickets', headers })).statusCode, 200);
    // The retail owner, holding the same owner role, still uses them.
    assert.equal((await t.app.inject({ url: '/v1/pos/registers', headers: await t.headersFor('tenant-a') })).statusCode, 200);
  });

  test('their pages are the normal 404 page, form posts included, and the navigation shows none of them', async () => {
    const browser = await t.browserFor('kitchen-shop');
    const headers = { cookie: browser.cookie, accept: 'text/html' };
    for (const url of TILL_PAGES) await assertLooksMissing(t, await t.app.inject({ url, headers }), 'GET', url, headers);
    const post = { ...headers, 'content-type': 'application/x-www-form-urlencoded' };
    const form = await t.app.inject({ method: 'POST', url: '/pos/registers', headers: post, payload: `_csrf=${encodeURIComponent(browser.csrfToken)}&name=Till` });
    await assertLooksMissing(t, form, 'POST', '/pos/registers', post);

    const products = await t.app.inject({ url: '/catalog/products', headers });
    assert.equal(products.statusCode, 200);
    assert.match(products.body, /href="\/catalog\/products"/);
    assert.match(products.body, /href="\/support"/);
    assert.doesNotMatch(products.body, TILL_LINKS);
  });

  test('a plan or a switch that leaves a module out makes its routes missing too', async () => {
    const headers = await t.headersFor('tenant-a');
    await t.database.pool.query("INSERT INTO tenant_module_toggle (tenant_id, module_id, enabled) VALUES ($1, 'reports', false)", [t.tenantA.id]);
    try {
      await assertLooksMissing(t, await t.app.inject({ url: '/v1/reports/shifts', headers }), 'GET', '/v1/reports/shifts', headers);
      assert.equal((await t.app.inject({ url: '/v1/pos/registers', headers })).statusCode, 200);
    } finally {
      await t.database.pool.query("DELETE FROM tenant_module_toggle WHERE tenant_id = $1 AND module_id = 'reports'", [t.tenantA.id]);
    }
    assert.equal((await t.app.inject({ url: '/v1/reports/shifts', headers })).statusCode, 200);
  });
});

describe("entitlement follows the edition's module list, without code changes", () => {
  let t: TestApp;
  before(async () => {
    const full = planEditions({ editions: undefined });
    const tillModules = full.modules.filter((module) => ['locations', 'inventory', 'pos'].includes(module.id));
    // The kitchen edition as if its definition listed the till too: the same mounted modules, another list.
    const plan: EditionPlan = { ...full, editions: full.editions.map((edition) => (edition.id === 'kitchen' ? { ...edition, modules: [...edition.modules, ...tillModules] } : edition)) };
    t = await startTestApp({}, { plan });
    await kitchenBusiness(t, 'kitchen-shop');
  });
  after(() => t.close());

  test('a kitchen edition listing locations, inventory and pos lets its owner use them and shows them; reports stays missing', async () => {
    const headers = await t.headersFor('kitchen-shop');
    assert.equal((await t.app.inject({ url: '/v1/pos/registers', headers })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/v1/inventory/counts', headers })).statusCode, 200);
    await assertLooksMissing(t, await t.app.inject({ url: '/v1/reports/shifts', headers }), 'GET', '/v1/reports/shifts', headers);

    const browser = await t.browserFor('kitchen-shop');
    const page = await t.app.inject({ url: '/catalog/products', headers: { cookie: browser.cookie, accept: 'text/html' } });
    assert.match(page.body, /href="\/pos\/registers"/);
    assert.match(page.body, /href="\/inventory"/);
    assert.doesNotMatch(page.body, /href="\/reports"/);
  });
});
