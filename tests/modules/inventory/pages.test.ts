import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { startTestApp, type TestApp, type TestBrowser } from '../../support/app.ts';
import { ownerQuery } from '../../support/catalog.ts';
import { findTag, findTags, hasTag, pageText } from '../../support/html.ts';
import { createLocationVia, newProduct, ok, onHand, receive } from './support.ts';

const A = 'tenant-a';

function assertHtml(response: LightMyRequestResponse, status = 200): string {
  assert.equal(response.statusCode, status, response.body.slice(0, 2000));
  assert.match(String(response.headers['content-type']), /^text\/html/);
  return response.body;
}

describe('inventory pages', () => {
  let t: TestApp;
  let browser: TestBrowser;
  before(async () => {
    t = await startTestApp();
    browser = await t.browserFor(A);
  });
  after(() => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: browser.cookie, accept: 'text/html' } });
  const post = (url: string, fields: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: browser.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: browser.csrfToken, ...fields }).toString(),
    });

  test('stock overview shows on hand, in transit, reorder point and a low-stock marker, with a history link', async () => {
    const location = await createLocationVia(t, A, { name: 'Overview shop' });
    const product = await newProduct(t, A);
    await receive(t, A, location.id, product, 2);
    await ok(t, A, 'PUT', `/v1/inventory/locations/${location.id}/products/${product}/reorder`, { reorderPoint: 3 });
    const html = assertHtml(await get(`/inventory?locationId=${location.id}`));
    assert.match(html, /<h1>Stock<\/h1>/);
    const headers = findTags(html, 'th').map((th) => th.attributes.scope);
    assert.ok(headers.length >= 6 && headers.every((scope) => scope === 'col'));
    assert.match(pageText(html), /Low stock/);
    assert.ok(hasTag(html, 'a', { href: `/inventory/locations/${location.id}/products/${product}/history` }));
    assert.ok(findTag(html, 'label', { for: 'field-locationId' }));

    const historyUrl = `/inventory/locations/${location.id}/products/${product}/history`;
    const history = assertHtml(await get(historyUrl));
    assert.match(pageText(history), /Receipt/);
    assert.match(pageText(history), /\+2/);
    assert.equal(findTag(history, 'input', { id: 'field-reorderPoint' }).attributes.value, '3');

    const saved = await post(`/inventory/locations/${location.id}/products/${product}/reorder`, { reorderPoint: '1', reorderQuantity: '12' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 1000));
    const stock = await ok<{ reorderPoint: number; reorderQuantity: number; low: boolean }[]>(t, A, 'GET', `/v1/inventory/locations/${location.id}/stock`);
    assert.deepEqual(stock.map(({ reorderPoint, reorderQuantity, low }) => ({ reorderPoint, reorderQuantity, low })), [{ reorderPoint: 1, reorderQuantity: 12, low: false }]);
    const bad = assertHtml(await post(`/inventory/locations/${location.id}/products/${product}/reorder`, { reorderPoint: '-1', reorderQuantity: '' }), 422);
    assert.ok(bad.includes('id="field-reorderPoint-error"'));
  });

  test('the receive form books goods in; a bad quantity comes back with the error next to the field', async () => {
    const location = await createLocationVia(t, A);
    const product = await newProduct(t, A);
    const form = assertHtml(await get('/inventory/receive'));
    assert.ok(hasTag(form, 'input', { name: '_csrf', type: 'hidden' }));
    for (const name of ['locationId', 'productId', 'quantity']) assert.ok(findTag(form, 'label', { for: `field-${name}` }));

    const done = await post('/inventory/receive', { locationId: location.id, productId: product, quantity: '7', reference: 'DN-77', note: '' });
    assert.equal(done.statusCode, 303, done.body.slice(0, 1000));
    assert.equal(await onHand(t, location.id, product), 7);

    const bad = assertHtml(await post('/inventory/receive', { locationId: location.id, productId: product, quantity: '1.5', reference: '', note: '' }), 422);
    assert.ok(bad.includes('id="field-quantity-error"'));
    assert.equal(await onHand(t, location.id, product), 7);

    const adjust = await post('/inventory/adjust', { locationId: location.id, productId: product, quantity: '-9', note: 'broken' });
    const refused = assertHtml(adjust, 409);
    assert.match(pageText(refused), /Not enough stock/);
    assert.equal(await onHand(t, location.id, product), 7);
  });

  test('a count can be started, entered, reviewed and posted from its pages', async () => {
    const location = await createLocationVia(t, A, { name: 'Count shop' });
    const product = await newProduct(t, A);
    await receive(t, A, location.id, product, 5);
    const start = await post('/inventory/counts', { locationId: location.id });
    assert.equal(start.statusCode, 303);
    const detailUrl = String(start.headers.location);
    const detail = assertHtml(await get(detailUrl));
    assert.match(detail, /<h1>Stock count of Count shop<\/h1>/);
    const input = findTag(detail, 'input', { name: `counted.${product}` });
    assert.ok(input.attributes['aria-label']);

    assert.equal((await post(`${detailUrl}/lines`, { [`counted.${product}`]: '4' })).statusCode, 303);
    const review = assertHtml(await get(detailUrl));
    assert.match(pageText(review), /-1/);
    assert.equal((await post(`${detailUrl}/post`, {})).statusCode, 303);
    assert.equal(await onHand(t, location.id, product), 4);
    assert.ok(hasTag(assertHtml(await get('/inventory/counts')), 'a', { href: detailUrl }));
  });

  test('a transfer can be created, sent and received from its pages; settings save the negative-stock choice', async () => {
    const [from, to] = [await createLocationVia(t, A), await createLocationVia(t, A)];
    const product = await newProduct(t, A);
    await receive(t, A, from.id, product, 4);
    const created = await post('/inventory/transfers', { fromLocationId: from.id, toLocationId: to.id, productId: product, quantity: '3', note: '' });
    assert.equal(created.statusCode, 303, created.body.slice(0, 1000));
    const url = String(created.headers.location);
    assert.equal((await post(`${url}/send`, {})).statusCode, 303);
    const inTransit = assertHtml(await get(url));
    assert.match(pageText(inTransit), /In transit/);
    assert.equal((await post(`${url}/receive`, { [`received.${product}`]: '2' })).statusCode, 303);
    assert.equal(await onHand(t, to.id, product), 2);
    assert.match(pageText(assertHtml(await get(url))), /Received/);

    assertHtml(await get('/inventory/settings'));
    assert.equal((await post('/inventory/settings', { allowNegativeStock: 'true' })).statusCode, 303);
    const { rows } = await ownerQuery(t, 'SELECT allow_negative_stock FROM inventory_setting WHERE tenant_id = $1', [t.tenantA.id]);
    assert.deepEqual(rows, [{ allow_negative_stock: true }]);
    assertHtml(await post('/inventory/settings', { allowNegativeStock: 'maybe' }), 422);
  });
});
