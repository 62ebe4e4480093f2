import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { MIN_FILL_MS } from '../../src/modules/enquiries/domain/spam-guard.ts';
import { assertAccessible, screenshotsFor, signIn } from './support/browser.ts';
import { demoServerAndBrowser } from './support/session.ts';

const e2e = demoServerAndBrowser();
const OWNER = 'owner@demo-kitchen.example';
const WIDTHS = [1366, 1024] as const;

function camera(name: string) {
  const shots = screenshotsFor(name);
  return async (page: Page, step: string) => {
    await assertAccessible(page);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      await shots.take(page, `${step}-${width}`);
    }
  };
}

test('a visitor requests access on the kitchen’s site; staff contact, qualify and close it with a reason', async () => {
  const shoot = camera('kitchen-enquiry-flow');
  const url = e2e.server.url;
  const visitor = await (await e2e.browser.newContext({ javaScriptEnabled: false })).newPage();

  await visitor.goto(`${url}/site/demo-kitchen/request-access`);
  await shoot(visitor, 'request-access');
  await visitor.getByLabel('Your name').fill('Noor Haddad');
  await visitor.getByLabel('Email').fill('noor-at-example');
  await visitor.getByLabel(/Anything we should know/).fill('Sesame allergy; lunches Monday to Friday.');
  // The form refuses to count a submission sent sooner than a person could fill it in.
  await visitor.waitForTimeout(MIN_FILL_MS);
  await Promise.all([visitor.waitForNavigation(), visitor.getByRole('button', { name: 'Request access' }).click()]);
  assert.match(await visitor.locator('main').innerText(), /Enter an email address/);
  await shoot(visitor, 'request-access-refused');
  await visitor.getByLabel('Email').fill('noor@example.com');
  await Promise.all([visitor.waitForNavigation(), visitor.getByRole('button', { name: 'Request access' }).click()]);
  assert.equal(new URL(visitor.url()).pathname, '/site/demo-kitchen/thanks');
  await shoot(visitor, 'thanks');
  await visitor.goto(`${url}/site/demo-kitchen/enquire`);
  await shoot(visitor, 'enquire');

  const staff = await (await e2e.browser.newContext()).newPage();
  const password = e2e.server.passwords[OWNER];
  assert.ok(password, 'the demo kitchen’s owner is among the demo sign-ins');
  await signIn(staff, url, OWNER, password);
  await staff.goto(`${url}/enquiries`);
  await shoot(staff, 'pipeline');
  await Promise.all([staff.waitForNavigation(), staff.getByRole('link', { name: 'Noor Haddad' }).click()]);
  await shoot(staff, 'enquiry-new');
  await Promise.all([staff.waitForNavigation(), staff.getByRole('button', { name: 'Mark contacted' }).click()]);
  await Promise.all([staff.waitForNavigation(), staff.getByRole('button', { name: 'Mark qualified' }).click()]);
  await shoot(staff, 'enquiry-qualified');
  await staff.getByLabel('Close with a reason').fill('Moved outside our delivery area.');
  await Promise.all([staff.waitForNavigation(), staff.getByRole('button', { name: 'Close enquiry' }).click()]);
  assert.match(await staff.locator('main').innerText(), /Moved outside our delivery area\./);
  await shoot(staff, 'enquiry-closed');

  const audit = await e2e.query<{ action: string }>(
    "SELECT a.action FROM audit_event a JOIN enquiries_enquiry e ON e.tenant_id = a.tenant_id AND e.id::text = a.target_id WHERE e.email = 'noor@example.com' ORDER BY a.occurred_at",
  );
  assert.deepEqual(
    audit.map((row) => row.action),
    ['enquiries.enquiry.received', 'enquiries.enquiry.contacted', 'enquiries.enquiry.qualified', 'enquiries.enquiry.closed'],
  );
});
