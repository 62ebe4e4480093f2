import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createProductVia } from '../../support/catalog.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** The page's text as a person reads it: no tags, attributes (links, values) left out. */
const visibleText = (html: string) => html.replace(/<(script|style)[\s\S]*?<\/\1>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the audit page', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
    await createProductVia(t, 'tenant-a', { name: 'Audited anvil', sku: 'AUD-ANVIL' });
  });
  after(() => t.close());

  const auditPage = async (query = '') => {
    const browser = await t.browserFor('tenant-a');
    return t.app.inject({ method: 'GET', url: `/audit${query}`, headers: { cookie: browser.cookie, accept: 'text/html' } });
  };

  test('says who did what to which record in words, never by id, with the CSV of the same filters', async () => {
    const response = await auditPage();
    assert.equal(response.statusCode, 200, response.body);
    const text = visibleText(response.body);
    assert.match(text, /Owner of tenant-a \(API token\)/);
    assert.match(text, /Product created/);
    assert.match(text, /Product: Audited anvil/);
    assert.doesNotMatch(text, UUID);
    assert.match(response.body, /href="\/v1\/audit\/events\.csv\?"/);
  });

  test('filters by action, by who and by day, and keeps the filters in the CSV link', async () => {
    const byAction = visibleText((await auditPage('?action=catalog.product.updated')).body);
    assert.match(byAction, /No entries match these filters/);
    const owner = await t.ownerOf('tenant-a');
    const mine = await auditPage(`?actor=${encodeURIComponent(`api:${owner.userId}`)}&action=catalog.product.created`);
    assert.match(visibleText(mine.body), /Audited anvil/);
    assert.match(mine.body, /events\.csv\?actor=api%3A[0-9a-f-]+&amp;action=catalog\.product\.created"/);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    assert.match(visibleText((await auditPage(`?from=${tomorrow}`)).body), /No entries match these filters/);
  });

  test('a mistyped day is said next to its field, not answered with an error page', async () => {
    const response = await auditPage('?from=2026-02-30');
    assert.equal(response.statusCode, 200);
    assert.match(visibleText(response.body), /Enter a day such as 2026-12-01/);
  });
});
