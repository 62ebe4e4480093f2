import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../support/app.ts';

describe('Cache-Control on answers to requests with credentials', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  test('API answers to a bearer token are no-store: data, errors and a refused token alike', async () => {
    const headers = await t.headersFor('tenant-a');
    for (const response of [
      await get('/v1/catalog/products', headers),
      await get('/v1/me/permissions', headers),
      await get('/v1/catalog/products/00000000-0000-4000-8000-000000000000', headers),
      await get('/v1/catalog/products', { authorization: 'Bearer not-a-token' }),
    ]) {
      assert.match(String(response.headers['content-type']), /^application\/json/, response.body);
      assert.equal(response.headers['cache-control'], 'no-store', `${response.statusCode} ${response.body.slice(0, 200)}`);
    }
  });

  test("a signed-in browser's JSON and pages are no-store; the stylesheet it loads stays cacheable", async () => {
    const browser = await t.browserFor('tenant-a');
    const json = await get('/v1/me/permissions', { cookie: browser.cookie });
    assert.equal(json.statusCode, 200, json.body);
    assert.equal(json.headers['cache-control'], 'no-store');
    assert.equal((await get('/', { cookie: browser.cookie, accept: 'text/html' })).headers['cache-control'], 'no-store');
    assert.equal((await get('/assets/plinth.css', { cookie: browser.cookie })).headers['cache-control'], 'public, max-age=3600');
  });

  test('anonymous public answers are left as they are', async () => {
    assert.equal((await get('/health')).headers['cache-control'], undefined);
    assert.equal((await get('/assets/plinth.css')).headers['cache-control'], 'public, max-age=3600');
  });
});
