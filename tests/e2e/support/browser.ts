import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { generate } from 'otplib';

/** Debian's Chromium (`apt-get install chromium`); a browser is never downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

/** Headless Chromium as the machine allows it: root needs no sandbox, and the closed network refuses background calls. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Writes each screenshot of a test to tests/e2e/screenshots/<test>/, numbered in the order taken. */
export function screenshotsFor(test: string) {
  const folder = path.join(SCREENSHOTS, test);
  let taken = 0;
  return {
    folder,
    async take(page: Page, name: string): Promise<string> {
      await mkdir(folder, { recursive: true });
      taken++;
      const file = path.join(folder, `${String(taken).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
}

/** axe-core on the page as it is now: fails on any serious or critical violation, naming rule and elements. */
export async function assertAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const blocking = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  assert.deepEqual(
    blocking.map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`),
    [],
    `accessibility violations on ${page.url()}`,
  );
}

/** Signs in through the sign-in form, as a person would. */
/** A role that demands two-step sign-in: add the key shown to an "app" (otplib), confirm its code, pass the recovery codes. */
async function enrolTwoStep(page: Page): Promise<void> {
  const secret = (await page.locator('#totp-secret').innerText()).replace(/\s+/g, '');
  await page.getByLabel('Code from your authenticator app').fill(await generate({ secret }));
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Turn on' }).click()]);
  assert.ok((await page.locator('#recovery-codes li').count()) > 0, 'the recovery codes are shown once enrolled');
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'I have saved them' }).click()]);
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /sign in/i }).click()]);
  if (new URL(page.url()).pathname === '/sign-in/two-step') await enrolTwoStep(page);
  const alert = await page.getByRole('alert').allInnerTexts();
  assert.ok(!new URL(page.url()).pathname.startsWith('/sign-in'), `still on the sign-in page: ${alert.join(' ')}`);
}
