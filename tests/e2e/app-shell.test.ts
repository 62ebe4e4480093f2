import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, screenshotsFor, signIn } from './support/browser.ts';
import { demoServerAndBrowser } from './support/session.ts';

const e2e = demoServerAndBrowser();

const VIEWPORTS = [
  { width: 1366, height: 900 },
  { width: 1024, height: 768 },
] as const;

/** How far the page is wider than the window (0 when nothing spills sideways). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** The main navigation's links, as the shell shows them. */
const navLinks = (page: Page) =>
  page.$$eval('nav[aria-label="Main"] a', (anchors) => anchors.map((anchor) => ({ label: anchor.textContent?.trim() ?? '', href: anchor.getAttribute('href') ?? '' })));

const LANDINGS = [
  { who: 'owner@demo-retail.example', heading: 'Dashboard', groups: ['Sell', 'Catalog & stock', 'Reports', 'People', 'Settings'], absent: ['Businesses'] },
  { who: 'owner@demo-kitchen.example', heading: 'Dashboard', groups: ['People', 'Settings'], absent: ['Registers', 'Stock', 'Register', 'Businesses'] },
  { who: 'admin@platform.example', heading: 'Platform console', groups: ['Platform'], absent: ['Products', 'Register', 'Stock'] },
] as const;

describe('the app shell: landing on the dashboard, grouped navigation that fits the screen', () => {
  for (const { who, heading, groups, absent } of LANDINGS) {
    for (const viewport of VIEWPORTS) {
      test(`${who} at ${viewport.width}×${viewport.height}`, async () => {
        const context = await e2e.browser.newContext({ viewport });
        const page = await context.newPage();
        const password = e2e.server.passwords[who];
        assert.ok(password, `demo password of ${who} printed`);
        await signIn(page, e2e.server.url, who, password);
        assert.equal(new URL(page.url()).pathname, '/dashboard', 'signed-in people land on the dashboard');
        assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).split('\n')[0], heading);
        const shots = screenshotsFor(`app-shell-${who.split('@')[1]?.split('.')[0]}-${viewport.width}`);
        await shots.take(page, 'dashboard');
        await assertAccessible(page);
        assert.ok((await overflow(page)) <= 0, `the dashboard spills ${await overflow(page)} px sideways`);

        const sections = await page.$$eval('nav[aria-label="Main"] h2', (headings) => headings.map((h2) => h2.textContent?.trim() ?? ''));
        for (const group of groups) assert.ok(sections.includes(group), `group ${group} in ${sections.join(', ')}`);
        const links = await navLinks(page);
        for (const label of absent)
          assert.ok(!links.some((link) => link.label === label), `${who} sees no "${label}" (${links.map((link) => link.label).join(', ')})`);
        for (const link of links) {
          const response = await page.goto(`${e2e.server.url}${link.href}`);
          assert.ok(response?.ok(), `${link.label} (${link.href}) answered ${response?.status()}`);
          await shots.take(page, link.href);
          assert.ok((await overflow(page)) <= 0, `${link.href} spills ${await overflow(page)} px sideways at ${viewport.width}`);
        }
        await context.close();
      });
    }
  }

  test('a missing page says so inside the layout, with a way back', async () => {
    const context = await e2e.browser.newContext({ viewport: VIEWPORTS[1] });
    const page = await context.newPage();
    await signIn(page, e2e.server.url, 'owner@demo-retail.example', e2e.server.passwords['owner@demo-retail.example'] ?? '');
    const response = await page.goto(`${e2e.server.url}/nope-404`);
    assert.equal(response?.status(), 404);
    const text = await page.locator('main').innerText();
    assert.match(text, /Page not found/);
    assert.doesNotMatch(text, /No route for/);
    assert.ok((await navLinks(page)).length > 3, 'the navigation stays on the 404 page');
    assert.ok(await page.getByRole('link', { name: 'Go to the start page' }).isVisible());
    await assertAccessible(page);
    await screenshotsFor('app-shell-404').take(page, 'not-found');
    await context.close();
  });

  test('narrow screens fold the navigation into a menu that opens without script', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, e2e.server.url, 'owner@demo-retail.example', e2e.server.passwords['owner@demo-retail.example'] ?? '');
    const products = page.locator('nav[aria-label="Main"] a', { hasText: 'Products' });
    assert.equal(await products.isVisible(), false, 'folded away at first');
    await page.locator('.app-nav > summary').click();
    assert.equal(await products.isVisible(), true, 'the menu opens');
    assert.ok((await overflow(page)) <= 0);
    await screenshotsFor('app-shell-narrow').take(page, 'menu-open');
    await context.close();
  });
});
