import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { setStaffPin } from '../../src/kernel/identity/index.ts';
import { assertAccessible, screenshotsFor, signIn } from './support/browser.ts';
import { demoServerAndBrowser } from './support/session.ts';
import { until } from '../support/wait.ts';

const OWNER = 'owner@demo-retail.example';
const OWNER_PIN = '482913';
const CASHIER_PIN = '739154';
const HAMMER_BARCODE = '4006381333931';
const SYNC_WITHIN_MS = 45_000;

const e2e = demoServerAndBrowser();

const waitForUnsynced = (page: Page, count: number) =>
  page.waitForFunction((expected) => document.querySelector('#unsynced-count strong')?.textContent === String(expected), count, { timeout: SYNC_WITHIN_MS });

/** Fails naming the element when it reaches below or right of the first screen (no scrolling allowed). */
async function assertInFirstViewport(page: Page, name: string | RegExp): Promise<void> {
  const viewport = page.viewportSize();
  assert.ok(viewport);
  const box = await page.getByRole('button', { name }).boundingBox();
  assert.ok(box, `${String(name)} is shown`);
  assert.ok(box.y >= 0 && box.y + box.height <= viewport.height, `${String(name)} lies within the first ${viewport.height} px (bottom at ${Math.round(box.y + box.height)})`);
  assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `${String(name)} lies within the ${viewport.width} px width`);
}

async function assertNoScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => ({ x: document.documentElement.scrollWidth - window.innerWidth, y: document.documentElement.scrollHeight - window.innerHeight }));
  assert.ok(overflow.x <= 0, `no horizontal overflow (${overflow.x} px)`);
  assert.ok(overflow.y <= 0, `the selling screen fits the viewport (${overflow.y} px below)`);
}

describe('the till on a tablet', () => {
  test('pay buttons in the first screen at 1024×768; a cashier sells, refunds and voids (with a manager PIN) without leaving the register', async (t) => {
    const shots = screenshotsFor('register-till');
    const password = e2e.server.passwords[OWNER];
    assert.ok(password, `demo password of ${OWNER} printed`);
    const [tenant] = await e2e.query<{ id: string }>("SELECT id FROM tenant WHERE slug = 'demo-retail'");
    const [owner] = await e2e.query<{ id: string }>('SELECT id FROM app_user WHERE email = $1', [OWNER]);
    assert.ok(tenant && owner);

    // The demo's cashier (the shop's Cashier role: may sell, may not refund or void alone) gets a PIN, the hammer a barcode.
    const scope = { db: e2e.server.database.db, tenantId: tenant.id };
    const [cashier] = await e2e.query<{ id: string }>("SELECT id FROM app_user WHERE email = 'cashier@demo-retail.example'");
    assert.ok(cashier, 'the demo has a cashier');
    assert.deepEqual(await setStaffPin(scope, cashier.id, CASHIER_PIN), { ok: true });
    assert.deepEqual(await setStaffPin(scope, owner.id, OWNER_PIN), { ok: true });
    await e2e.query("UPDATE catalog_product SET barcode = $2, category = 'Hand tools' WHERE tenant_id = $1 AND sku = 'HW-HAM-16'", [tenant.id, HAMMER_BARCODE]);
    await e2e.query("UPDATE catalog_product SET category = 'Fixings' WHERE tenant_id = $1 AND sku IN ('HW-SCR-440', 'HW-TAPE-25')", [tenant.id]);
    // The demo starts with 90 days of history: only sales made from here on are this test's.
    const earlier = new Set((await e2e.query<{ id: string }>('SELECT id FROM pos_sale WHERE tenant_id = $1', [tenant.id])).map((row) => row.id));

    const context = await e2e.browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    t.after(async () => {
      if (page.isClosed()) return;
      const said = await page.locator('[role="alert"]').allInnerTexts().catch(() => []);
      if (said.some((text) => text.trim())) t.diagnostic(`register alerts: ${said.join(' | ')}`);
    });
    // The manager sets up the till in this browser; then the cashier signs in with a PIN.
    await signIn(page, e2e.server.url, OWNER, password);
    await page.goto(`${e2e.server.url}/pos/register`);
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0, 'no back-office menu on the till');
    await page.getByRole('button', { name: "Register this browser as the till's terminal" }).click();
    await page.getByRole('heading', { name: 'Cashier sign-in' }).waitFor();
    await page.getByLabel('Cashier').selectOption(cashier.id);
    await page.getByLabel('PIN').fill(CASHIER_PIN);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Open a shift' }).waitFor();
    await page.getByLabel('Opening float (EUR)').fill('100.00');
    await page.getByRole('button', { name: 'Open shift' }).click();
    await page.getByRole('heading', { name: 'Ticket' }).waitFor();
    await waitForUnsynced(page, 0);

    // Sale 1: the scanner types the hammer's barcode and Enter; the tape is tapped in its category.
    await page.keyboard.type(HAMMER_BARCODE);
    await page.keyboard.press('Enter');
    await page.getByRole('rowheader', { name: 'Claw hammer 16 oz' }).waitFor();
    await page.getByRole('button', { name: 'Fixings' }).click();
    await page.getByRole('button', { name: /Masking tape 25 mm/ }).click();
    await page.getByRole('rowheader', { name: 'Masking tape 25 mm' }).waitFor();
    await shots.take(page, '1024x768-ticket');
    for (const button of ['Cash (F2)', 'Card (F3)', 'Voucher (F4)', 'Complete sale (F9)']) await assertInFirstViewport(page, button);
    await assertNoScroll(page);
    await assertAccessible(page);
    await page.setViewportSize({ width: 1366, height: 900 });
    await shots.take(page, '1366x900-ticket');
    await assertInFirstViewport(page, 'Complete sale (F9)');
    await assertNoScroll(page);
    await page.setViewportSize({ width: 1024, height: 768 });

    // A code that names no product says so instead of adding the first search result.
    await page.getByLabel(/Search products/).fill('4000000000000');
    await page.keyboard.press('Enter');
    await page.getByText('No product has the barcode 4000000000000.').waitFor();

    await page.keyboard.press('F2');
    await page.getByRole('button', { name: 'Complete sale (F9)' }).click();
    await waitForUnsynced(page, 0);
    await page.getByRole('heading', { name: /^Receipt / }).waitFor();

    // Sale 2, by card.
    await page.getByRole('button', { name: /Wood screws/ }).click();
    await page.getByRole('button', { name: 'Card (F3)' }).click();
    await page.getByRole('button', { name: 'Complete sale (F9)' }).click();
    await until('both sales reached the server', async () => (await e2e.query<{ id: string }>('SELECT id FROM pos_sale WHERE tenant_id = $1', [tenant.id])).filter((row) => !earlier.has(row.id)).length === 2, SYNC_WITHIN_MS);
    await waitForUnsynced(page, 0);
    const sales = (await e2e.query<{ id: string; sale_number: string; total_minor: number }>('SELECT id, sale_number, total_minor FROM pos_sale WHERE tenant_id = $1 ORDER BY sold_at', [tenant.id])).filter((row) => !earlier.has(row.id));
    assert.equal(sales.length, 2);
    const [first, second] = sales as [(typeof sales)[number], (typeof sales)[number]];

    // Refund the hammer of sale 1: the cashier's role may not refund alone, so a manager approves with a PIN.
    await page.getByRole('button', { name: 'Sales & refunds' }).click();
    await page.getByRole('heading', { name: 'Sales and refunds' }).waitFor();
    await page.getByRole('button', { name: `Refund Sale ${first.sale_number}` }).click();
    await page.getByLabel(/Masking tape 25 mm \(sold 1\)/).fill('0');
    await page.getByLabel('Reason').fill('Handle cracked');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByText('A manager must approve this: choose the manager and enter their PIN.').waitFor();
    await page.getByLabel('Manager', { exact: true }).selectOption(owner.id);
    await page.getByLabel('Manager PIN').fill(OWNER_PIN);
    await assertAccessible(page);
    await shots.take(page, 'refund-manager-approval');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByText(`Sale ${first.sale_number}: refunded €18.99.`).waitFor();

    // Void sale 2 (its shift is still open), approved the same way.
    await page.getByRole('button', { name: `Void Sale ${second.sale_number}` }).click();
    await page.getByLabel('Reason').fill('Rang up by mistake');
    await page.getByRole('button', { name: 'Void sale', exact: true }).click();
    await page.getByLabel('Manager PIN').fill(OWNER_PIN);
    await page.getByLabel('Manager', { exact: true }).selectOption(owner.id);
    await page.getByRole('button', { name: 'Void sale', exact: true }).click();
    await page.getByText(new RegExp(`Sale ${second.sale_number}: voided`)).waitFor();
    await shots.take(page, 'sales-refunded-and-voided');

    const corrections = await e2e.query<{ sale_id: string; kind: string; amount_minor: number; approved_by: string | null; reason: string }>(
      'SELECT sale_id, kind, amount_minor, approved_by, reason FROM pos_refund WHERE tenant_id = $1 ORDER BY created_at',
      [tenant.id],
    ).then((rows) => rows.filter((row) => !earlier.has(row.sale_id)));
    assert.deepEqual(corrections, [
      { sale_id: first.id, kind: 'refund', amount_minor: 1899, approved_by: owner.id, reason: 'Handle cracked' },
      { sale_id: second.id, kind: 'void', amount_minor: second.total_minor, approved_by: owner.id, reason: 'Rang up by mistake' },
    ]);

    // Cash out and the X report, on the register too.
    await page.getByRole('button', { name: 'Cash in/out' }).click();
    await page.getByLabel('Cash out').check();
    await page.getByLabel('Amount (EUR)').fill('5.00');
    await page.getByLabel('Reason').fill('Window cleaner');
    await page.getByRole('button', { name: 'Record cash out' }).click();
    await page.getByText('€5.00 taken out of the drawer.').waitFor();
    await page.getByRole('button', { name: 'X report' }).click();
    await page.getByRole('heading', { name: 'X report (shift so far)' }).waitFor();
    // 100.00 float + 22.48 cash sale − 18.99 cash refund − 5.00 paid out.
    await page.getByText('€98.49').waitFor();
    await assertAccessible(page);
    await shots.take(page, 'x-report');
    await page.getByRole('button', { name: 'Back to products' }).click();
    await page.getByRole('list', { name: 'Products' }).waitFor();
    assert.ok(new URL(page.url()).pathname === '/pos/register', 'never left the register');
    assert.deepEqual(pageErrors, []);
    await context.close();
  });
});
