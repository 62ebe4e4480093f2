import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { assertAccessible, screenshotsFor, signIn } from './support/browser.ts';
import { demoServerAndBrowser } from './support/session.ts';

const ADMIN = 'admin@platform.example';
const BUSINESS = { name: 'Lantern & Co', slug: 'lantern-co', ownerName: 'Lena Lantern', email: 'lena@lantern-co.example', password: 'bright-wick-oil-7319' };
const PRODUCT = { name: 'Storm lantern', sku: 'LN-STORM-1' };
const PIN = '731946';
const REPORT_WITHIN_MS = 30_000;

const e2e = demoServerAndBrowser();

/** Submits the form holding `button` and waits for the page that answers it. */
async function submit(page: Page, button: ReturnType<Page['getByRole']>): Promise<void> {
  await Promise.all([page.waitForNavigation(), button.click()]);
}

/** Signs the cashier in at the till (the PIN is already typed) and waits for the shift form. */
async function pinSignIn(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Open a shift' }).waitFor();
}

describe('a new retail business, from sign-up to its first sale in the sales report', () => {
  test('sign-up, approval, catalog, stock, a split-tender sale, shift close and the report', async (t) => {
    const shots = screenshotsFor('retail-flow');
    const adminPassword = e2e.server.passwords[ADMIN];
    assert.ok(adminPassword, `demo password of ${ADMIN} printed`);
    const pageErrors: string[] = [];

    // 1. The business applies at /signup: a pending tenant nobody can use yet.
    const applicant = await e2e.browser.newContext();
    const signupPage = await applicant.newPage();
    await signupPage.goto(`${e2e.server.url}/signup`);
    await signupPage.getByRole('heading', { name: 'Sign up your business' }).waitFor();
    await assertAccessible(signupPage);
    await signupPage.getByLabel('Business name').fill(BUSINESS.name);
    await signupPage.getByLabel('Address').fill(BUSINESS.slug);
    await signupPage.getByLabel('Kind of business').selectOption('retail');
    await signupPage.getByLabel('Your name').fill(BUSINESS.ownerName);
    await signupPage.getByLabel('Email').fill(BUSINESS.email);
    await signupPage.getByLabel('Password').fill(BUSINESS.password);
    await shots.take(signupPage, 'signup-form');
    await submit(signupPage, signupPage.getByRole('button', { name: 'Apply' }));
    await signupPage.getByRole('heading', { name: 'Application received' }).waitFor();
    await signupPage.getByRole('status').getByText(BUSINESS.slug).waitFor();
    await assertAccessible(signupPage);
    await shots.take(signupPage, 'signup-received');
    const [pending] = await e2e.query<{ id: string; status: string; edition: string }>('SELECT id, status, edition FROM tenant WHERE slug = $1', [BUSINESS.slug]);
    assert.deepEqual(pending && { status: pending.status, edition: pending.edition }, { status: 'pending', edition: 'retail' });
    assert.ok(pending);
    const tenantId = pending.id;
    assert.equal((await e2e.query('SELECT 1 FROM tenant_member WHERE tenant_id = $1', [tenantId])).length, 0, 'a pending business has no member');

    // Before approval the applicant's account reaches nothing of the business.
    await signIn(signupPage, e2e.server.url, BUSINESS.email, BUSINESS.password);
    const early = await signupPage.goto(`${e2e.server.url}/catalog/products/new`);
    assert.equal(early?.status(), 403, 'the product form is closed before approval');
    assert.equal(await signupPage.getByRole('heading', { name: 'New product' }).count(), 0, 'no product form before approval');
    await applicant.close();

    // The platform operator approves it in the console.
    const operator = await e2e.browser.newContext();
    const consolePage = await operator.newPage();
    consolePage.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(consolePage, e2e.server.url, ADMIN, adminPassword);
    await consolePage.goto(`${e2e.server.url}/console/tenants`);
    await consolePage.getByRole('heading', { name: 'Businesses' }).waitFor();
    await consolePage.getByLabel('Search name, address or owner email').fill(BUSINESS.slug);
    await consolePage.getByLabel('Status').selectOption('pending');
    await submit(consolePage, consolePage.getByRole('button', { name: 'Filter' }));
    const row = consolePage.getByRole('row').filter({ hasText: BUSINESS.email });
    assert.equal(await row.count(), 1, 'the pending business is listed once');
    assert.match(await row.innerText(), /pending/);
    await assertAccessible(consolePage);
    await shots.take(consolePage, 'console-pending');
    await submit(consolePage, row.getByRole('link', { name: BUSINESS.name }));
    await consolePage.getByRole('heading', { name: BUSINESS.name }).first().waitFor();
    await assertAccessible(consolePage);
    await shots.take(consolePage, 'console-business');
    await submit(consolePage, consolePage.getByRole('button', { name: 'Approve' }));
    await consolePage.getByText(`Approved ${BUSINESS.name}.`).waitFor();
    await shots.take(consolePage, 'console-approved');
    await operator.close();
    const [approved] = await e2e.query<{ status: string }>('SELECT status FROM tenant WHERE id = $1', [tenantId]);
    assert.equal(approved?.status, 'active');

    // 2. The owner signs in (now seated as owner), adds a product, a location and stock.
    const [owner] = await e2e.query<{ id: string }>('SELECT id FROM app_user WHERE email = $1', [BUSINESS.email]);
    assert.ok(owner, 'the applicant has an account');
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    t.after(async () => {
      if (page.isClosed()) return;
      const said = await page.locator('[role="alert"]').allInnerTexts().catch(() => []);
      if (said.some((text) => text.trim())) t.diagnostic(`alerts on ${page.url()}: ${said.join(' | ')}`);
    });
    await signIn(page, e2e.server.url, BUSINESS.email, BUSINESS.password);

    await page.goto(`${e2e.server.url}/catalog/products/new`);
    await page.getByRole('heading', { name: 'New product' }).waitFor();
    await page.getByLabel('Name').fill(PRODUCT.name);
    await page.getByLabel('SKU').fill(PRODUCT.sku);
    await page.getByLabel('Price').fill('24.50');
    await page.getByLabel('Currency').fill('EUR');
    await page.getByLabel('Unit cost').fill('9.80');
    await page.getByLabel('Active (can be sold)').check();
    await assertAccessible(page);
    await shots.take(page, 'new-product');
    await submit(page, page.getByRole('button', { name: 'Create product' }));
    const [product] = await e2e.query<{ id: string; price_minor: number }>('SELECT id, price_minor::int AS price_minor FROM catalog_product WHERE tenant_id = $1 AND sku = $2', [tenantId, PRODUCT.sku]);
    assert.equal(product?.price_minor, 2450);

    await page.goto(`${e2e.server.url}/locations`);
    await page.getByRole('heading', { name: 'Locations' }).waitFor();
    const newLocation = page.getByRole('region', { name: 'New location' });
    await newLocation.getByLabel('Name').fill('Harbour shop');
    await newLocation.getByLabel('Code').fill('HARBOUR');
    await newLocation.getByLabel('Address').fill('1 Quay Street');
    await newLocation.getByLabel('Time zone').selectOption('UTC');
    await assertAccessible(page);
    await shots.take(page, 'locations');
    await submit(page, newLocation.getByRole('button', { name: 'Create location' }));
    await page.getByRole('cell', { name: 'Harbour shop' }).or(page.getByRole('link', { name: 'Harbour shop' })).first().waitFor();
    const [location] = await e2e.query<{ id: string }>("SELECT id FROM locations_location WHERE tenant_id = $1 AND code = 'HARBOUR'", [tenantId]);
    assert.ok(location, 'the location was created');

    await page.goto(`${e2e.server.url}/inventory/receive`);
    await page.getByRole('heading', { name: 'Receive goods' }).waitFor();
    await page.getByLabel('Location').selectOption(location.id);
    await page.getByLabel('Product').selectOption(product.id);
    await page.getByLabel('Quantity received').fill('20');
    await page.getByLabel('Delivery reference').fill('DN-1001');
    await assertAccessible(page);
    await shots.take(page, 'receive-goods');
    await submit(page, page.getByRole('button', { name: 'Receive goods' }));
    await page.getByText('Goods received.').waitFor();
    await shots.take(page, 'stock');
    const stock = async () =>
      (await e2e.query<{ on_hand: number }>('SELECT on_hand::int AS on_hand FROM inventory_stock WHERE tenant_id = $1 AND location_id = $2 AND product_id = $3', [tenantId, location.id, product.id]))[0]?.on_hand;
    assert.equal(await stock(), 20);

    // 3. The till. The owner sets their PIN on the security page, creates the register in the back office and pairs this browser with it.
    await page.goto(`${e2e.server.url}/account/security`);
    await page.getByLabel('New PIN').fill(PIN);
    await submit(page, page.getByRole('button', { name: 'Set PIN' }));
    await page.getByText('Your till PIN is set.').waitFor();
    await assertAccessible(page);
    await shots.take(page, 'till-pin');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registers' }).click();
    await page.getByRole('heading', { name: 'Registers', level: 1 }).waitFor();
    const newRegister = page.getByRole('region', { name: 'New register' });
    await newRegister.getByLabel('Location').selectOption(location.id);
    await newRegister.getByLabel('Name').fill('Harbour till');
    await newRegister.getByLabel('Code', { exact: true }).fill('H1');
    await newRegister.getByLabel('Currency').fill('EUR');
    await newRegister.getByLabel('Prices include tax').check();
    await newRegister.getByLabel('Tax code').fill('STD');
    await newRegister.getByLabel('Tax label').fill('VAT 19%');
    await newRegister.getByLabel('Tax rate (%)').fill('19');
    await assertAccessible(page);
    await shots.take(page, 'new-register');
    await submit(page, newRegister.getByRole('button', { name: 'Create register' }));
    await page.getByText('Created Harbour till.').waitFor();
    const registerRow = page.getByRole('region', { name: 'Harbour shop (HARBOUR)' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Harbour till' }) });
    assert.match(await registerRow.innerText(), /H1\s+No terminal\s+Closed\s+Active/);
    await assertAccessible(page);
    await shots.take(page, 'registers');
    const [register] = await e2e.query<{ tax_rates: unknown; currency: string; device_id: string | null }>('SELECT tax_rates, currency, device_id FROM pos_register WHERE tenant_id = $1', [tenantId]);
    assert.deepEqual(register && [register.tax_rates, register.currency, register.device_id], [[{ code: 'STD', label: 'VAT 19%', rateBp: 1900 }], 'EUR', null]);

    // Pairing hands the new terminal to the till in this browser, which goes straight to the cashier sign-in.
    await submit(page, registerRow.getByRole('button', { name: 'Pair this browser with Harbour till' }));
    await page.getByRole('heading', { name: 'Cashier sign-in' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/pos/register');
    assert.equal(new URL(page.url()).hash, '', 'the terminal secret leaves the address bar');
    const [paired] = await e2e.query<{ device_id: string | null }>('SELECT device_id FROM pos_register WHERE tenant_id = $1', [tenantId]);
    assert.ok(paired?.device_id, 'the register is bound to the new terminal');
    await page.getByLabel('Cashier').selectOption(owner.id);
    await page.getByLabel('PIN').fill(PIN);
    await assertAccessible(page);
    await shots.take(page, 'cashier-sign-in');
    await pinSignIn(page);
    await page.getByLabel('Opening float (EUR)').fill('100.00');
    await page.getByRole('button', { name: 'Open shift' }).click();
    await page.getByRole('heading', { name: 'Ticket' }).waitFor();

    // Two lanterns (€49.00): €20.00 by card, €30.00 cash, €1.00 change.
    await page.getByRole('list', { name: 'Products' }).getByRole('button', { name: PRODUCT.name }).click();
    await page.getByRole('rowheader', { name: PRODUCT.name }).waitFor();
    await page.getByRole('button', { name: `One more ${PRODUCT.name}` }).click();
    await page.getByRole('cell', { name: '€49.00' }).first().waitFor();
    await page.getByLabel(/Amount tendered/).fill('20.00');
    await page.getByRole('button', { name: 'Card (F3)' }).click();
    await page.getByLabel(/Amount tendered/).fill('30');
    await page.getByRole('button', { name: 'Cash (F2)' }).click();
    await page.getByText('Change: €1.00').first().waitFor();
    await assertAccessible(page);
    await shots.take(page, 'split-tender');
    await page.getByRole('button', { name: 'Complete sale (F9)' }).click();
    await page.getByRole('heading', { name: /^Receipt / }).waitFor();
    await shots.take(page, 'sale-recorded');

    const sales = await e2e.query<{ id: string; total_minor: number }>('SELECT id, total_minor::int AS total_minor FROM pos_sale WHERE tenant_id = $1', [tenantId]);
    assert.equal(sales.length, 1, 'exactly one sale');
    const [sale] = sales;
    assert.equal(sale?.total_minor, 4900);

    // The printable receipt opens in its own tab.
    const [receipt] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Print receipt' }).click()]);
    receipt.on('pageerror', (error) => pageErrors.push(error.message));
    await receipt.waitForLoadState();
    assert.equal(new URL(receipt.url()).pathname, `/pos/receipts/${sale.id}`);
    const slip = receipt.getByRole('article', { name: /^Receipt / });
    await slip.waitFor();
    const slipText = await slip.innerText();
    for (const expected of [new RegExp(`^${BUSINESS.name}$`, 'm'), /^Harbour shop$/m, new RegExp(`^2 × ${PRODUCT.name}\\s+49\\.00$`, 'm'), /^Total EUR\s+49\.00$/m, /^Card\s+20\.00$/m, /^Cash\s+30\.00$/m, /^Change\s+1\.00$/m])
      assert.match(slipText, expected);
    await assertAccessible(receipt);
    await shots.take(receipt, 'receipt');
    await receipt.close();

    // Close the shift: float 100 + cash 30 − change 1 = 129 in the drawer.
    await page.getByRole('button', { name: 'Close shift' }).click();
    await page.getByRole('heading', { name: 'Close shift' }).waitFor();
    await page.getByText(/Expected cash in the drawer: €129\.00/).waitFor();
    await page.getByLabel('Counted cash (EUR)').fill('129.00');
    await assertAccessible(page);
    await shots.take(page, 'close-shift');
    await page.getByRole('button', { name: 'Close shift' }).click();
    await page.getByText(/Shift closed \(Z report\): 1 sales, €49\.00; counted €129\.00, variance €0\.00/).waitFor();
    await page.getByRole('heading', { name: 'Open a shift' }).waitFor();
    await shots.take(page, 'shift-closed');
    const shifts = await e2e.query<{ status: string }>('SELECT status FROM pos_shift WHERE tenant_id = $1', [tenantId]);
    assert.deepEqual(
      shifts.map((shift) => shift.status),
      ['closed'],
    );

    // The database: stock down by two, one sale movement, the sale audited.
    assert.equal(await stock(), 18);
    const movements = await e2e.query<{ reference: string; quantity: number }>(
      "SELECT reference, quantity::int AS quantity FROM inventory_movement WHERE tenant_id = $1 AND kind = 'sale'",
      [tenantId],
    );
    assert.deepEqual(
      movements.map((movement) => [movement.reference, Math.abs(movement.quantity)]),
      [[`pos.sale:${sale.id}`, 2]],
    );
    const audits = await e2e.query<{ action: string; data: { totalMinor: number; tenders: { kind: string; amountMinor: number }[] } }>(
      "SELECT action, data FROM audit_event WHERE tenant_id = $1 AND target_id = $2 AND action LIKE 'pos.sale.%'",
      [tenantId, sale.id],
    );
    assert.deepEqual(
      audits.map((audit) => audit.action),
      ['pos.sale.completed'],
    );
    assert.equal(audits[0]?.data.totalMinor, 4900);
    assert.deepEqual(
      audits[0]?.data.tenders.map((tender) => [tender.kind, tender.amountMinor]),
      [
        ['card', 2000],
        ['cash', 2900],
      ],
    );

    // 4. The sales report, fed by a background job: reload until the sale's row is there.
    const reportUrl = `${e2e.server.url}/reports/sales?groupBy=product`;
    const deadline = Date.now() + REPORT_WITHIN_MS;
    const reportRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: PRODUCT.name }) });
    await page.goto(reportUrl);
    while ((await reportRow.count()) === 0) {
      assert.ok(Date.now() < deadline, `the sale reached /reports/sales within ${REPORT_WITHIN_MS} ms`);
      await page.waitForTimeout(500);
      await page.goto(reportUrl);
    }
    const reportText = await reportRow.innerText();
    assert.match(reportText, /€49\.00/, `report row: ${reportText}`);
    await assertAccessible(page);
    await shots.take(page, 'sales-report');

    assert.deepEqual(pageErrors, []);
    await context.close();
  });
});
