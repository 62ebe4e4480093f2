import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, screenshotsFor, signIn } from './support/browser.ts';
import { demoServerAndBrowser } from './support/session.ts';

const e2e = demoServerAndBrowser();
const ADMIN = 'owner@demo-community.example';
const WIDTHS = [1366, 1024] as const;

/** Each page checked with axe-core and shot at both widths. */
function camera(test: string) {
  const shots = screenshotsFor(test);
  return async (page: Page, name: string) => {
    await assertAccessible(page);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      await shots.take(page, `${name}-${width}`);
    }
  };
}

async function lastCode(email: string): Promise<string> {
  const rows = await e2e.query<{ data: { code: string } }>("SELECT data FROM notify_delivery WHERE recipient = $1 AND template = 'community.sign_in_code' ORDER BY created_at DESC LIMIT 1", [email]);
  return (rows[0] as { data: { code: string } }).data.code;
}

/** The menu's items by group (the Dashboard link above them is everyone's). */
const navOf = (page: Page) => page.locator('nav[aria-label="Main"] section a').allInnerTexts();

test('an administrator verifies, invites; a newcomer registers, is approved, posts; another member comments and completes it, live on the newcomer’s page', async () => {
  const shoot = camera('mutualaid-flow');
  const url = e2e.server.url;
  const adminContext = await e2e.browser.newContext();
  const admin = await adminContext.newPage();
  const password = e2e.server.passwords[ADMIN];
  assert.ok(password, 'the demo community’s administrator is among the demo sign-ins');

  // The administrator's sign-in starts half-authenticated, and is verified with the emailed code.
  await signIn(admin, url, ADMIN, password);
  await admin.goto(`${url}/requests`);
  assert.deepEqual(await navOf(admin), ['Verify sign-in', 'Requests']);
  await shoot(admin, 'feed-half-authenticated');
  await admin.goto(`${url}/verify`);
  await shoot(admin, 'verify');
  await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Email me a code' }).click()]);
  await admin.getByLabel('Code from the email').fill(await lastCode(ADMIN));
  await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Verify', exact: true }).click()]);
  await shoot(admin, 'verified');
  await admin.goto(`${url}/requests`);
  assert.ok((await navOf(admin)).includes('Invites'));
  await shoot(admin, 'feed');

  // An invite that asks for approval.
  await admin.goto(`${url}/invites`);
  await admin.getByLabel('When they join').selectOption('approval');
  await admin.getByLabel('Personal note (optional, shown on the invite)').fill('Welcome, neighbour! See you at the food share.');
  await admin.getByLabel('Suggested username (optional)').fill('neighbour');
  await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Create invite' }).click()]);
  const link = (await admin.locator('code.invite-link').innerText()).trim();
  await shoot(admin, 'invites');

  // The newcomer registers from it and waits for approval.
  const newcomerContext = await e2e.browser.newContext();
  const newcomer = await newcomerContext.newPage();
  await newcomer.goto(link);
  await shoot(newcomer, 'join');
  await newcomer.getByLabel('Your name').fill('Nora Newcomer');
  await newcomer.getByLabel('Email (sign-in codes are sent here)').fill('nora@newcomer.example');
  await newcomer.getByLabel('Password').fill('a long and private passphrase');
  await Promise.all([newcomer.waitForNavigation(), newcomer.getByRole('button', { name: 'Join' }).click()]);
  assert.equal(new URL(newcomer.url()).pathname, '/verify');
  await shoot(newcomer, 'awaiting-approval');

  // The administrator approves the sign-in.
  await admin.goto(`${url}/admin/sessions`);
  await shoot(admin, 'sessions');
  const row = admin.locator('tr', { hasText: '@neighbour' });
  await Promise.all([admin.waitForNavigation(), row.getByRole('button', { name: 'Approve' }).click()]);
  await shoot(admin, 'sessions-approved');

  // The newcomer, verified now, posts a request and keeps its page open.
  await newcomer.goto(`${url}/requests`);
  assert.ok((await navOf(newcomer)).includes('Invites'));
  await newcomer.getByText('Ask for help').click();
  await newcomer.getByLabel('What do you need?').fill('Help carrying a wardrobe upstairs');
  await newcomer.getByLabel('Details (when, where, how others can help)').fill('Saturday 10:00, third floor, no lift. Two people would be perfect.');
  await Promise.all([newcomer.waitForNavigation(), newcomer.getByRole('button', { name: 'Post request' }).click()]);
  const requestUrl = newcomer.url();
  await newcomer.waitForSelector('[data-island="request-live"][data-hydrated="true"]');
  await shoot(newcomer, 'request');

  // Another member comments and completes it; the newcomer's open page shows both without a reload.
  await admin.goto(requestUrl);
  await admin.getByLabel('Comment').fill('I can come with my brother at 10.');
  await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Comment', exact: true }).click()]);
  await newcomer.getByText('I can come with my brother at 10.').waitFor({ timeout: 10_000 });
  await Promise.all([admin.waitForNavigation(), admin.getByRole('button', { name: 'Mark completed' }).click()]);
  await newcomer.locator('[data-live-status="completed"]').waitFor({ timeout: 10_000 });
  await shoot(newcomer, 'request-live-completed');
  await shoot(admin, 'request-admin');
  await adminContext.close();
  await newcomerContext.close();
});
