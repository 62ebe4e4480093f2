import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, screenshotsFor, signIn } from './support/browser.ts';
import { demoServerAndBrowser } from './support/session.ts';

/** Links a crawl does not follow: they sign out, leave the HTML pages, or download files. */
const NOT_PAGES = [/^\/sign-out/, /^\/docs/, /^\/openapi\.json/, /^\/metrics/, /^\/assets\//, /^\/v1\//, /\.(csv|txt|json|png|svg)$/];
const MOST_PAGES = 80;

const e2e = demoServerAndBrowser();

/** Every page reachable by links from `/`, breadth first: each must load and pass axe-core. */
async function crawl(page: Page, shots: ReturnType<typeof screenshotsFor>): Promise<string[]> {
  const seen = new Set<string>(['/']);
  const queue = ['/'];
  const visited: string[] = [];
  while (queue.length > 0 && visited.length < MOST_PAGES) {
    const pathname = queue.shift() as string;
    const response = await page.goto(`${e2e.server.url}${pathname}`);
    assert.ok(response?.ok(), `${pathname} answered ${response?.status()}`);
    await assertAccessible(page);
    await shots.take(page, pathname === '/' ? 'home' : pathname);
    visited.push(pathname);
    const links = await page.$$eval('a[href]', (anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
    for (const href of links) {
      if (!href.startsWith('/') || href.startsWith('//')) continue;
      const target = href.split('#')[0] as string;
      if (!target || seen.has(target) || NOT_PAGES.some((pattern) => pattern.test(target))) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return visited;
}

describe('every page passes axe-core with no serious or critical violations', () => {
  test('signed out: sign-in and the other public pages', async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    const shots = screenshotsFor('accessibility-public');
    for (const pathname of ['/sign-in', '/forgot-password']) {
      const response = await page.goto(`${e2e.server.url}${pathname}`);
      if (response?.status() === 404) continue;
      assert.ok(response?.ok(), `${pathname} answered ${response?.status()}`);
      await assertAccessible(page);
      await shots.take(page, pathname);
    }
    await context.close();
  });

  for (const who of ['owner@demo-retail.example', 'admin@platform.example']) {
    test(`signed in as ${who}: every page reachable from home`, async () => {
      const context = await e2e.browser.newContext();
      const page = await context.newPage();
      const password = e2e.server.passwords[who];
      assert.ok(password, `demo password of ${who} printed`);
      await signIn(page, e2e.server.url, who, password);
      const visited = await crawl(page, screenshotsFor(`accessibility-${who.split('@')[1]?.split('.')[0]}`));
      assert.ok(visited.length >= 3, `crawled only ${visited.join(', ')}`);
      await context.close();
    });
  }
});
