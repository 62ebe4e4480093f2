import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../support/app.ts';
import { findTags } from '../../../support/html.ts';
import type { RegisterBootstrap } from '../../../../src/modules/pos/register/bootstrap.ts';
import { call, newStaff, ok, openTill, type Headers } from '../support.ts';

describe('the register page /pos/register', () => {
  let t: TestApp;
  let owner: Headers;

  before(async () => {
    t = await startTestApp();
    owner = await t.headersFor('tenant-a');
  });
  after(() => t.close());

  const get = async (url: string, cookie?: string) => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  test('renders the island with its data as inert JSON and loads only same-origin module scripts (CSP script-src self)', async () => {
    const till = await openTill(t, owner);
    const archived = await openTill(t, owner);
    await ok(call(t, owner, 'PATCH', `/v1/pos/registers/${archived.registerId}`, { archived: true }));
    const browser = await t.browserFor('tenant-a');
    const response = await get('/pos/register', browser.cookie);
    assert.equal(response.statusCode, 200, response.body.slice(0, 500));
    assert.match(String(response.headers['content-type']), /^text\/html/);

    const csp = String(response.headers['content-security-policy']);
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? /default-src ([^;]*)/.exec(csp)?.[1];
    assert.equal(scriptSrc, "'self'", csp);

    const scripts = findTags(response.body, 'script');
    const modules = scripts.filter((tag) => tag.attributes.type === 'module');
    const data = scripts.filter((tag) => tag.attributes.type === 'application/json');
    assert.equal(modules.length, 1);
    assert.equal(data.length, 1);
    assert.equal(scripts.length, 2, 'no other (inline) script');
    const src = modules[0]?.attributes.src ?? '';
    assert.match(src, /^\/assets\/islands\/pos-register\.[A-Z0-9]{8}\.js$/);

    const json = /<script type="application\/json" data-island-props>(.*?)<\/script>/s.exec(response.body)?.[1] ?? '';
    const bootstrap = JSON.parse(json) as RegisterBootstrap;
    assert.equal(bootstrap.tenantSlug, 'tenant-a');
    assert.ok(bootstrap.csrfToken.length > 10);
    // openShiftId is left out: the POS service reports it null for now (its correlated subquery; see the report).
    assert.deepEqual(
      bootstrap.registers.filter((register) => register.id === till.registerId).map((register) => [register.currency, register.defaultTaxCode]),
      [['EUR', 'STD']],
    );
    assert.ok(!bootstrap.registers.some((register) => register.id === archived.registerId), 'archived registers are not offered');
    const product = bootstrap.products.find((candidate) => candidate.id === till.productId);
    assert.deepEqual(Object.keys(product ?? {}).sort(), ['barcode', 'category', 'currency', 'id', 'imageUrl', 'name', 'priceMinor', 'sku'], 'prices, never costs');
    assert.ok(bootstrap.staff.length >= 1);
    assert.match(response.body, /id="unsynced-count"/, 'the server renders the register shell (with its live region) before any script runs');
    assert.match(response.body, /<noscript>/);
    assert.doesNotMatch(response.body, /aria-label="Main"/, 'a full-screen till: no back-office menu');

    const bundle = await get(src);
    assert.equal(bundle.statusCode, 200);
    assert.equal(bundle.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.match(String(bundle.headers['cache-control']), /immutable/);
  });

  test('needs pos.sale.create: refused to a member without it and to the signed out', async () => {
    const readerId = await newStaff(t, t.tenantA, ['catalog.product.read']);
    const reader = await t.browserAs({ userId: readerId, tenantId: t.tenantA.id });
    const refused = await get('/pos/register', reader.cookie);
    assert.equal(refused.statusCode, 403);
    const cashierId = await newStaff(t, t.tenantA, ['pos.sale.create']);
    const cashier = await t.browserAs({ userId: cashierId, tenantId: t.tenantA.id });
    assert.equal((await get('/pos/register', cashier.cookie)).statusCode, 200);
    const anonymous = await get('/pos/register');
    assert.ok([302, 303, 401].includes(anonymous.statusCode), `signed out: ${anonymous.statusCode}`);
    assert.doesNotMatch(anonymous.body, /data-island-props/);
  });

  test('the service worker: a stable, uncached URL whose script names the versioned shell and every asset it precaches', async () => {
    const browser = await t.browserFor('tenant-a');
    const page = await get('/pos/register', browser.cookie);
    const src = /<script type="module" src="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const worker = await get('/pos/register-sw.js');
    assert.equal(worker.statusCode, 200);
    assert.equal(worker.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(worker.headers['cache-control'], 'no-cache');
    const shell = JSON.parse(/^self\.__PLINTH_REGISTER_SHELL__=(.*?);\n/.exec(worker.body)?.[1] ?? 'null') as { version: string; shellUrl: string; assets: string[] };
    assert.equal(shell.shellUrl, '/pos/register');
    assert.match(shell.version, /^[0-9a-f]{16}-[0-9a-f]{12}$/);
    assert.ok(shell.assets.includes(src), 'the page script is precached');
    assert.ok(shell.assets.includes('/assets/plinth.css') && shell.assets.includes('/pos/register.css'));
    for (const asset of shell.assets) assert.equal((await get(asset)).statusCode, 200, asset);
    assert.ok(!shell.assets.some((asset) => asset.includes('pos-register-sw')), 'the worker does not cache itself');

    const css = await get('/pos/register.css');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    assert.match(css.body, /\.register-grid/);
  });
});
