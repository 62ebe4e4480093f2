import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, screenshotsFor, signIn } from './support/browser.ts';
import { demoServerAndBrowser } from './support/session.ts';

const e2e = demoServerAndBrowser();

/** The people the demo prints a sign-in for: each demo business's owner, a till cashier and the platform administrator. */
const PEOPLE = [
  'owner@demo-retail.example',
  'owner@demo-cafe.example',
  'owner@demo-kitchen.example',
  'owner@demo-onprem.example',
  'owner@demo-community.example',
  'cashier@demo-retail.example',
  'admin@platform.example',
];
const VIEWPORTS = [
  { width: 1366, height: 900 },
  { width: 1024, height: 768 },
] as const;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Links that leave the HTML pages (sign-out, API docs, downloads). */
const NOT_PAGES = [/^\/sign-out/, /^\/docs/, /^\/openapi\.json/, /^\/v1\//, /\.(csv|txt|json)$/];

/** Every distinct same-site link of the page's navigation landmarks (the shell may group them). */
async function navigationLinks(page: Page): Promise<string[]> {
  const hrefs = await page.$$eval('nav a[href]', (anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
  const pages = hrefs.map((href) => href.split('#')[0] as string).filter((href) => href.startsWith('/') && !href.startsWith('//') && !NOT_PAGES.some((pattern) => pattern.test(href)));
  return [...new Set(pages)];
}

/** What a person would object to on the page as it is now: ids in the text, a page wider than the window. */
async function readabilityProblems(page: Page, width: number): Promise<string[]> {
  const problems: string[] = [];
  const text = await page.evaluate(() => document.body.innerText);
  const uuid = UUID.exec(text);
  if (uuid) problems.push(`an id on screen: …${text.slice(Math.max(0, uuid.index - 40), uuid.index + 40).replace(/\s+/g, ' ')}…`);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  if (scrollWidth > width) problems.push(`${scrollWidth} px wide at a ${width} px window`);
  return problems;
}

describe('every navigation item of every demo sign-in is readable, fits 1024 px and passes axe-core', () => {
  for (const who of PEOPLE) {
    test(who, async () => {
      const password = e2e.server.passwords[who];
      assert.ok(password, `demo password of ${who} printed`);
      const context = await e2e.browser.newContext({ viewport: VIEWPORTS[0] });
      const page = await context.newPage();
      await signIn(page, e2e.server.url, who, password);
      const landing = new URL(page.url()).pathname;
      // Until every landing page carries the menu, the account page (everyone has one) shows it.
      if ((await navigationLinks(page)).length === 0) await page.goto(`${e2e.server.url}/account`);
      const items = [...new Set([landing, ...(await navigationLinks(page))])];
      assert.ok(items.length >= 2, `${who} sees navigation: ${items.join(', ')}`);
      const shots = VIEWPORTS.map((viewport) => screenshotsFor(`every-nav-item/${who.replace(/[@.]/g, '-')}/${viewport.width}x${viewport.height}`));
      const problems: string[] = [];
      for (const item of items) {
        for (const [index, viewport] of VIEWPORTS.entries()) {
          await page.setViewportSize(viewport);
          const response = await page.goto(`${e2e.server.url}${item}`);
          if (!response?.ok()) {
            problems.push(`${item}: answered ${response?.status()}`);
            break;
          }
          await shots[index]?.take(page, item);
          problems.push(...(await readabilityProblems(page, viewport.width)).map((problem) => `${item}: ${problem}`));
          // axe-core once per page: its rules do not depend on the window size.
          if (index === 0) await assertAccessible(page).catch((error: Error) => problems.push(`${item}: ${error.message.slice(0, 800)}`));
        }
      }
      await context.close();
      assert.deepEqual(problems, [], `${who}: ${problems.length} problems`);
    });
  }
});
