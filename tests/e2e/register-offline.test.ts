import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, screenshotsFor, signIn } from './support/browser.ts';
import { demoServerAndBrowser } from './support/session.ts';

const OWNER = 'owner@demo-retail.example';
const PIN = '482913';
const SYNC_WITHIN_MS = 45_000;

const e2e = demoServerAndBrowser();

/** Waits until the register's live region shows `count` unsynced sales. */
async function waitForUnsynced(page: Page, count: number, timeout = SYNC_WITHIN_MS): Promise<void> {
  await page.waitForFunction((expected) => document.querySelector('#unsynced-count strong')?.textContent === String(expected), count, { timeout });
}

/** The sales this browser queued, read from the register's IndexedDB. */
function queuedSales(page: Page): Promise<{ id: string; status: string }[]> {
  return page.evaluate(
    () =>
      new Promise<{ id: string; status: string }[]>((resolve, reject) => {
        const open = indexedDB.open('plinth-register');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('sales', 'readonly').objectStore('sales').getAll();
          request.onsuccess = () => {
            resolve((request.result as { id: string; status: string }[]).map(({ id, status }) => ({ id, status })));
            open.result.close();
          };
          request.onerror = () => reject(request.error);
        };
      }),
  );
}

describe('the register sells offline and syncs each sale exactly once', () => {
  test('two offline sales queue, show as unsynced, then sync once each when back online', async (t) => {
    const shots = screenshotsFor('register-offline');
    const password = e2e.server.passwords[OWNER];
    assert.ok(password, `demo password of ${OWNER} printed`);
    const [owner] = await e2e.query<{ id: string; display_name: string }>('SELECT id, display_name FROM app_user WHERE email = $1', [OWNER]);
    assert.ok(owner, 'the demo owner exists');
    const [tenant] = await e2e.query<{ id: string }>("SELECT id FROM tenant WHERE slug = 'demo-retail'");
    assert.ok(tenant);
    const stockOf = async (sku: string) =>
      (
        await e2e.query<{ on_hand: number }>(
          `SELECT s.on_hand FROM inventory_stock s JOIN catalog_product p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
           JOIN locations_location l ON l.tenant_id = s.tenant_id AND l.id = s.location_id
           WHERE s.tenant_id = $1 AND p.sku = $2 AND l.code = 'SHOP'`,
          [tenant.id, sku],
        )
      )[0]?.on_hand;
    const hammerBefore = await stockOf('HW-HAM-16');
    const tapeBefore = await stockOf('HW-TAPE-25');
    assert.equal(typeof hammerBefore, 'number');

    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, e2e.server.url, OWNER, password);
    // On failure: what the register said, and what it looked like.
    t.after(async () => {
      if (page.isClosed()) return;
      const said = await page.locator('[role="alert"]').allInnerTexts().catch(() => []);
      if (said.some((text) => text.trim())) t.diagnostic(`register alerts: ${said.join(' | ')}`);
    });

    // The demo seeds no staff PIN: the owner sets their own through the public API (session + CSRF).
    await page.goto(`${e2e.server.url}/pos/register`);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const pinSet = await page.request.put(`${e2e.server.url}/v1/me/pin`, { data: { pin: PIN }, headers: { 'x-csrf-token': csrf } });
    assert.equal(pinSet.status(), 204, await pinSet.text());
    const voucher = await page.request.post(`${e2e.server.url}/v1/pos/vouchers`, { data: { code: 'DEMO-GIFT-10', currency: 'EUR', amountMinor: 1000 }, headers: { 'x-csrf-token': csrf } });
    assert.equal(voucher.status(), 201, await voucher.text());

    // Set up: this browser becomes the till of the demo register (a new terminal, bound to it).
    await page.getByRole('heading', { name: 'Set up this till' }).waitFor();
    await assertAccessible(page);
    await shots.take(page, 'setup');
    await page.getByRole('button', { name: "Register this browser as the till's terminal" }).click();

    // Cashier PIN sign-in, then open a shift.
    await page.getByRole('heading', { name: 'Cashier sign-in' }).waitFor();
    await page.getByLabel('Cashier').selectOption(owner.id);
    await page.getByLabel('PIN').fill(PIN);
    await assertAccessible(page);
    await shots.take(page, 'cashier-sign-in');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Open a shift' }).waitFor();
    await page.getByLabel('Opening float (EUR)').fill('100.00');
    await page.getByRole('button', { name: 'Open shift' }).click();
    await page.getByRole('heading', { name: 'Ticket' }).waitFor();
    await waitForUnsynced(page, 0);
    await assertAccessible(page);
    await shots.take(page, 'selling-online');

    // The service worker has the page and its assets before the network goes.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });

    // The demo starts with 90 days of history: only sales made from here on are this test's.
    const earlier = new Set((await e2e.query<{ id: string }>('SELECT id FROM pos_sale WHERE tenant_id = $1', [tenant.id])).map((row) => row.id));
    const newSales = async () => (await e2e.query<{ id: string }>('SELECT id FROM pos_sale WHERE tenant_id = $1 ORDER BY id', [tenant.id])).filter((row) => !earlier.has(row.id));

    await context.setOffline(true);
    await page.waitForFunction(() => !navigator.onLine);

    // Sale 1, by keyboard: search by SKU, Enter adds, + makes it two, F2 pays cash exactly, F9 completes.
    await page.getByLabel(/Search products/).fill('HW-HAM-16');
    await page.keyboard.press('Enter');
    await page.getByRole('rowheader', { name: 'Claw hammer 16 oz' }).waitFor();
    await page.keyboard.press('+');
    await page.getByRole('cell', { name: '€37.98' }).waitFor();
    await page.keyboard.press('F2');
    await page.keyboard.press('F9');
    await waitForUnsynced(page, 1);
    await page.getByRole('heading', { name: 'NOT YET SYNCED — provisional receipt' }).waitFor();

    // A reload while offline still shows the register (service worker), with its queue (IndexedDB).
    await page.reload();
    await page.getByRole('heading', { name: 'Ticket' }).waitFor();
    await waitForUnsynced(page, 1);
    await page.getByRole('heading', { name: 'NOT YET SYNCED — provisional receipt' }).waitFor();

    // Sale 2, by touch: split tender, 2.00 by card and 5.00 cash (change 3.51).
    await page.getByRole('button', { name: /Masking tape 25 mm/ }).click();
    await page.getByLabel(/Amount tendered/).fill('2.00');
    await page.getByRole('button', { name: 'Card (F3)' }).click();
    await page.getByLabel(/Amount tendered/).fill('5');
    await page.getByRole('button', { name: 'Cash (F2)' }).click();
    await page.getByText('Change: €3.51').first().waitFor();
    await page.getByRole('button', { name: 'Complete sale (F9)' }).click();
    await waitForUnsynced(page, 2);
    await page.getByRole('heading', { name: 'NOT YET SYNCED — provisional receipt' }).waitFor();
    await assertAccessible(page);
    await shots.take(page, 'offline-two-unsynced');

    const queued = await queuedSales(page);
    assert.equal(queued.length, 2);
    assert.ok(queued.every((sale) => sale.status === 'pending'));
    assert.equal((await newSales()).length, 0, 'nothing reached the server while offline');

    // Back online. The first answer is lost on the way back (the server committed, the till saw a
    // timeout): the queue sends that sale again and the server's id dedupe answers the same sale.
    let posts = 0;
    let droppedAnswer = false;
    await page.route('**/v1/pos/sales', async (route) => {
      posts++;
      if (droppedAnswer) return route.continue();
      droppedAnswer = true;
      await route.fetch();
      await route.abort('timedout');
    });
    await context.setOffline(false);
    await waitForUnsynced(page, 0);
    await page.getByRole('heading', { name: /^Receipt / }).waitFor();
    await shots.take(page, 'synced');
    assert.ok(posts >= 3, `the lost answer made the till send one sale twice (${posts} posts)`);

    const recorded = await newSales();
    assert.deepEqual(
      recorded.map((row) => row.id),
      queued.map((sale) => sale.id).sort(),
      'exactly the two queued sales, each once',
    );
    const movements = await e2e.query<{ reference: string; n: number }>(
      "SELECT reference, count(*)::int AS n FROM inventory_movement WHERE tenant_id = $1 AND kind = 'sale' GROUP BY reference ORDER BY reference",
      [tenant.id],
    );
    assert.deepEqual(
      movements.filter((row) => !earlier.has(row.reference.replace('pos.sale:', ''))).map((row) => [row.reference, row.n]),
      queued.map((sale) => [`pos.sale:${sale.id}`, 1]).sort(),
      'one stock movement per sale',
    );
    assert.equal(await stockOf('HW-HAM-16'), (hammerBefore as number) - 2);
    assert.equal(await stockOf('HW-TAPE-25'), (tapeBefore as number) - 1);
    assert.ok((await queuedSales(page)).every((sale) => sale.status === 'synced'));
    await page.unroute('**/v1/pos/sales');

    // A sale the server cannot take yet (its answers are lost) stays unsynced — and every tab of
    // this till shows it: a second tab reads the same queue.
    // This one is split between a voucher (its balance checked online) and cash.
    await context.route('**/v1/pos/sales', (route) => route.abort('connectionrefused'));
    // Type to search from anywhere on the screen: the keys land in the search field; Enter adds.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.type('screws');
    assert.equal(await page.getByLabel(/Search products/).inputValue(), 'screws');
    await page.keyboard.press('Enter');
    await page.getByRole('rowheader', { name: /Wood screws/ }).waitFor();
    await page.getByLabel('Voucher code').fill('DEMO-GIFT-10');
    await page.getByLabel(/Amount tendered/).fill('20');
    await page.getByRole('button', { name: 'Voucher (F4)' }).click();
    await page.getByText('Voucher can pay at most the €6.49 still due (only cash gives change).').waitFor();
    await page.getByLabel(/Amount tendered/).fill('2');
    await page.keyboard.press('F4');
    await page.getByRole('list', { name: 'Tenders' }).getByText('Voucher DEMO-GIFT-10: €2.00').waitFor();
    await page.keyboard.press('F2');
    await page.keyboard.press('F9');
    await waitForUnsynced(page, 1);
    const secondTab = await context.newPage();
    await secondTab.goto(`${e2e.server.url}/pos/register`);
    await waitForUnsynced(secondTab, 1);
    await secondTab.close();

    // Closing the shift with an unsynced sale takes a manager's PIN.
    await page.getByRole('button', { name: 'Close shift' }).click();
    await page.getByRole('heading', { name: 'Close shift' }).waitFor();
    await page.getByText('Manager override: 1 unsynced sale on this till').waitFor();
    await page.getByText(/Expected cash in the drawer: €139\.47/).waitFor();
    await page.getByLabel('Counted cash (EUR)').fill('139.47');
    await page.getByRole('button', { name: 'Close shift' }).click();
    await page.getByText('Unsynced sales remain: a manager must approve with their PIN.').waitFor();
    await assertAccessible(page);
    await shots.take(page, 'close-shift-needs-override');
    await page.getByLabel('Manager', { exact: true }).selectOption(owner.id);
    await page.getByLabel('Manager PIN').fill(PIN);
    await page.getByRole('button', { name: 'Close shift' }).click();
    await page.getByText(/Shift closed \(Z report\): 2 sales, €41\.47; counted €139\.47, variance €0\.00/).waitFor();
    await page.getByRole('heading', { name: 'Open a shift' }).waitFor();
    const [closed] = await e2e.query<{ status: string; unsynced_count: number; close_approved_by: string | null }>(
      'SELECT status, unsynced_count, close_approved_by FROM pos_shift WHERE tenant_id = $1 ORDER BY opened_at DESC LIMIT 1',
      [tenant.id],
    );
    assert.equal(closed?.status, 'closed');
    assert.equal(closed?.unsynced_count, 1);

    // The held sale goes in late once the server is reachable (the cashier may accept late sales).
    await context.unroute('**/v1/pos/sales');
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await waitForUnsynced(page, 0);
    assert.equal((await newSales()).length, 3);
    const [spent] = await e2e.query<{ balance_minor: number }>("SELECT balance_minor FROM pos_voucher WHERE tenant_id = $1 AND code = 'DEMO-GIFT-10'", [tenant.id]);
    assert.equal(spent?.balance_minor, 800, 'the voucher paid 2.00, once');

    // Switch cashier: back to PIN sign-in.
    await page.getByRole('button', { name: 'Switch cashier' }).click();
    await page.getByRole('heading', { name: 'Cashier sign-in' }).waitFor();
    await shots.take(page, 'switched-cashier');

    // The next shift closes blind: the cashier counts without being shown the expected cash.
    await page.getByLabel('Cashier').selectOption(owner.id);
    await page.getByLabel('PIN').fill(PIN);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Open a shift' }).waitFor();
    await page.getByLabel('Opening float (EUR)').fill('50');
    await page.getByLabel(/Blind close/).check();
    await page.getByRole('button', { name: 'Open shift' }).click();
    await page.getByRole('heading', { name: 'Ticket' }).waitFor();
    await page.getByRole('button', { name: 'Close shift' }).click();
    await page.getByText('Blind close: count the drawer without the expected amount.').waitFor();
    assert.equal(await page.getByText(/Expected cash in the drawer/).count(), 0);
    await page.getByLabel('Counted cash (EUR)').fill('48.00');
    await page.getByRole('button', { name: 'Close shift' }).click();
    await page.getByText(/Shift closed \(Z report\): 0 sales, €0\.00; counted €48\.00, variance -?€-?2\.00/).waitFor();
    assert.deepEqual(pageErrors, []);
    await context.close();
  });
});
