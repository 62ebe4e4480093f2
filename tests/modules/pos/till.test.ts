import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { auditCount, call, cashSale, newStaff, ok, openTill, pinSignIn, type Headers } from './support.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}
interface Report {
  kind: string;
  shift: { id: string; status: string };
  sales: { count: number; totalMinor: number; discountMinor: number; taxMinor: number };
  tenders: { cash: number; card: number; voucher: number };
  refunds: { count: number; amountMinor: number; byTender: { cash: number; card: number; voucher: number } };
  voids: { saleCount: number; lineCount: number; lineAmountMinor: number };
  taxes: { code: string; taxMinor: number }[];
  cash: { openingFloatMinor: number; paidInMinor: number; paidOutMinor: number; expectedMinor?: number; countedMinor: number | null; varianceMinor: number | null };
}

const CASHIER = ['pos.sale.create', 'pos.sale.read', 'pos.shift.operate'];
const MANAGER = [...CASHIER, 'pos.discount.apply', 'pos.discount.unlimited', 'pos.price.override', 'pos.ticket.refund', 'pos.ticket.void', 'pos.quantity.negative', 'pos.shift.report', 'pos.shift.close_unsynced', 'pos.sale.late'];

describe('POS till: staff restrictions, overrides, shifts, receipts, tenancy', () => {
  let t: TestApp;
  let owner: Headers;

  before(async () => {
    t = await startTestApp();
    owner = await t.headersFor('tenant-a');
  });
  after(() => t.close());

  const post = (headers: Headers, url: string, body: unknown) => call(t, headers, 'POST', url, body);

  test('restrictions follow the staff member signed in at the till, not the device; a manager PIN overrides once, audited with both', async () => {
    const till = await openTill(t, owner, { terminal: true });
    const terminal = till.terminal as { id: string; deviceSecret: string };
    const cashierId = await newStaff(t, t.tenantA, CASHIER);
    const managerId = await newStaff(t, t.tenantA, MANAGER);
    const asCashier = await pinSignIn(t, t.tenantA, terminal, cashierId, '739146');
    const asManager = await pinSignIn(t, t.tenantA, terminal, managerId, '861527');
    const discounted = () => cashSale(till, { lines: [{ productId: till.productId, quantity: 1, discount: { kind: 'percent', value: 1000 } }], tenders: [{ kind: 'cash', amountMinor: 383 }] });

    const refused = await post(asCashier, '/v1/pos/sales', discounted());
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal((refused.json() as ErrorBody).error.details?.permission, 'pos.discount.apply');
    const allowed = await post(asManager, '/v1/pos/sales', discounted());
    assert.equal(allowed.statusCode, 201, allowed.body);

    const overridden = discounted();
    const approved = await post(asCashier, '/v1/pos/sales', { ...overridden, override: { userId: managerId, pin: '861527' } });
    assert.equal(approved.statusCode, 201, approved.body);
    const { rows } = await t.database.pool.query<{ actor: string; data: { override?: { actorUserId: string; approvedBy: string; permissions: string[] } } }>(
      `SELECT actor, data FROM audit_event WHERE tenant_id = $1 AND action = 'pos.sale.completed' AND target_id = $2`,
      [t.tenantA.id, overridden.id],
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.actor, `device:${terminal.id}/staff:${cashierId}`);
    assert.deepEqual(rows[0]?.data.override, { actorUserId: cashierId, approvedBy: managerId, permissions: ['pos.discount.apply'] });

    // A wrong PIN, or an approver without the permission, approves nothing.
    const wrongPin = await post(asCashier, '/v1/pos/sales', { ...discounted(), override: { userId: managerId, pin: '000001' } });
    assert.equal(wrongPin.statusCode, 403);
    assert.equal((wrongPin.json() as ErrorBody).error.details?.reason, 'POS_OVERRIDE_REFUSED');
    const otherCashier = await newStaff(t, t.tenantA, CASHIER);
    await pinSignIn(t, t.tenantA, terminal, otherCashier, '552817');
    const notAllowed = await post(asCashier, '/v1/pos/sales', { ...discounted(), override: { userId: otherCashier, pin: '552817' } });
    assert.equal(notAllowed.statusCode, 403);
    assert.equal((notAllowed.json() as ErrorBody).error.details?.permission, 'pos.discount.apply');
  });

  test('each restricted action names its permission: price override, negative quantity, void line, discount above the limit, refund, void', async () => {
    const till = await openTill(t, owner);
    const limited = await t.headersAs(await newStaff(t, t.tenantA, [...CASHIER, 'pos.discount.apply']), t.tenantA.id);
    const cases: [Record<string, unknown>, string][] = [
      [cashSale(till, { lines: [{ productId: till.productId, quantity: 1, unitPriceMinor: 100 }], tenders: [{ kind: 'cash', amountMinor: 100 }] }), 'pos.price.override'],
      [cashSale(till, { lines: [{ productId: till.productId, quantity: 2 }, { productId: till.otherProductId, quantity: -1 }], tenders: [{ kind: 'cash', amountMinor: 500 }] }), 'pos.quantity.negative'],
      [cashSale(till, { lines: [{ productId: till.productId, quantity: 1 }, { productId: till.otherProductId, quantity: 1, void: { reason: 'wrong item' } }] }), 'pos.ticket.void'],
      [cashSale(till, { ticketDiscount: { kind: 'percent', value: 2500 }, tenders: [{ kind: 'cash', amountMinor: 319 }] }), 'pos.discount.unlimited'],
    ];
    for (const [body, permission] of cases) {
      const response = await post(limited, '/v1/pos/sales', body);
      assert.equal(response.statusCode, 403, `${permission}: ${response.body}`);
      assert.equal((response.json() as ErrorBody).error.details?.permission, permission);
      // The owner holds them all.
      assert.equal((await post(owner, '/v1/pos/sales', body)).statusCode, 201, permission);
    }
    const sale = await ok<{ id: string }>(post(owner, '/v1/pos/sales', cashSale(till)));
    const refund = await post(limited, `/v1/pos/sales/${sale.id}/refunds`, { id: randomUUID(), registerId: till.registerId, reason: 'x' });
    assert.equal((refund.json() as ErrorBody).error.details?.permission, 'pos.ticket.refund');
    const voided = await post(limited, `/v1/pos/sales/${sale.id}/void`, { id: randomUUID(), registerId: till.registerId, reason: 'x' });
    assert.equal((voided.json() as ErrorBody).error.details?.permission, 'pos.ticket.void');
    const noReason = await post(owner, `/v1/pos/sales/${sale.id}/refunds`, { id: randomUUID(), registerId: till.registerId, reason: ' ' });
    assert.equal(noReason.statusCode, 400);
  });

  test('registers: one per terminal, unique codes, known terminals only, archived ones take no shift; every change audited', async () => {
    const till = await openTill(t, owner, { terminal: true });
    const register = await ok<{ code: string; deviceId: string; locationId: string; openShiftId: string | null }>(call(t, owner, 'GET', `/v1/pos/registers/${till.registerId}`));
    assert.equal(register.openShiftId, till.shiftId);
    const base = { locationId: register.locationId, name: 'Second till', currency: 'EUR', taxRates: [{ code: 'STD', label: 'VAT', rateBp: 1900 }], defaultTaxCode: 'STD' };
    const sameCode = await post(owner, '/v1/pos/registers', { ...base, code: register.code.toLowerCase() });
    assert.equal((sameCode.json() as ErrorBody).error.details?.reason, 'POS_REGISTER_CODE_TAKEN');
    const sameDevice = await post(owner, '/v1/pos/registers', { ...base, code: `X${randomUUID().slice(0, 6)}`, deviceId: register.deviceId });
    assert.equal((sameDevice.json() as ErrorBody).error.details?.reason, 'POS_DEVICE_TAKEN');
    const unknownDevice = await post(owner, '/v1/pos/registers', { ...base, code: `X${randomUUID().slice(0, 6)}`, deviceId: randomUUID() });
    assert.equal(unknownDevice.statusCode, 400);
    const badTax = await post(owner, '/v1/pos/registers', { ...base, code: `X${randomUUID().slice(0, 6)}`, defaultTaxCode: 'RED' });
    assert.equal(badTax.statusCode, 400);
    await ok(post(owner, `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 10_000 }));
    await ok(call(t, owner, 'PATCH', `/v1/pos/registers/${till.registerId}`, { archived: true }));
    const reopened = await post(owner, `/v1/pos/registers/${till.registerId}/shifts`, { openingFloatMinor: 0 });
    assert.equal((reopened.json() as ErrorBody).error.details?.reason, 'POS_REGISTER_ARCHIVED');
    assert.equal(await auditCount(t, t.tenantA.id, 'pos.register.created', till.registerId), 1);
    assert.equal(await auditCount(t, t.tenantA.id, 'pos.register.updated', till.registerId), 1);
  });

  test('a terminal works only its own register', async () => {
    const mine = await openTill(t, owner, { terminal: true });
    const other = await openTill(t, owner);
    const staff = await newStaff(t, t.tenantA, CASHIER);
    const atTill = await pinSignIn(t, t.tenantA, mine.terminal as { id: string; deviceSecret: string }, staff, '918273');
    const response = await post(atTill, '/v1/pos/sales', cashSale(other));
    assert.equal(response.statusCode, 403);
    assert.equal((response.json() as ErrorBody).error.details?.reason, 'POS_WRONG_TERMINAL');
    assert.equal((await post(atTill, '/v1/pos/sales', cashSale(mine))).statusCode, 201);
  });

  test('one open shift per register, even when opened in parallel', async () => {
    const till = await openTill(t, owner);
    await ok(post(owner, `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 10_000 }));
    const answers = await Promise.all(Array.from({ length: 4 }, () => post(owner, `/v1/pos/registers/${till.registerId}/shifts`, { openingFloatMinor: 5000 })));
    assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [201, 409, 409, 409]);
  });

  test('shift close: expected vs counted variance, Z report with tenders, refunds, voids, discounts, tax and cash movements', async () => {
    const till = await openTill(t, owner, { float: 10_000 });
    await ok(post(owner, '/v1/pos/sales', cashSale(till, { tenders: [{ kind: 'cash', amountMinor: 1000 }] })));
    const card = await ok<{ id: string }>(post(owner, '/v1/pos/sales', cashSale(till, { tenders: [{ kind: 'card', amountMinor: 850 }] }, 2)));
    await ok(post(owner, '/v1/pos/sales', cashSale(till, { ticketDiscount: { kind: 'amount', value: 25 }, lines: [{ productId: till.productId, quantity: 1 }, { productId: till.otherProductId, quantity: 1, void: { reason: 'wrong' } }], tenders: [{ kind: 'cash', amountMinor: 400 }] })));
    await ok(post(owner, `/v1/pos/sales/${card.id}/refunds`, { id: randomUUID(), registerId: till.registerId, reason: 'Spilled', lines: [{ lineNo: 1, quantity: 1 }] }));
    await ok(post(owner, `/v1/pos/shifts/${till.shiftId}/cash-movements`, { kind: 'in', amountMinor: 2000, reason: 'Change run' }));
    await ok(post(owner, `/v1/pos/shifts/${till.shiftId}/cash-movements`, { kind: 'out', amountMinor: 500, reason: 'Milk from the shop' }));
    const x = await ok<Report>(call(t, owner, 'GET', `/v1/pos/shifts/${till.shiftId}/report`));
    assert.equal(x.kind, 'X');
    // Float 100.00 + cash sales 4.25 + 4.00 + paid in 20.00 − paid out 5.00 = 123.25.
    assert.equal(x.cash.expectedMinor, 12_325);
    const z = await ok<Report>(post(owner, `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 12_300 }));
    assert.equal(z.kind, 'Z');
    assert.equal(z.cash.varianceMinor, -25);
    assert.equal(z.cash.countedMinor, 12_300);
    assert.deepEqual(z.tenders, { cash: 825, card: 850, voucher: 0 });
    assert.equal(z.sales.count, 3);
    assert.equal(z.sales.totalMinor, 425 + 850 + 400);
    assert.equal(z.sales.discountMinor, 25);
    assert.deepEqual([z.refunds.count, z.refunds.amountMinor, z.refunds.byTender.card], [1, 425, 425]);
    assert.deepEqual([z.voids.lineCount, z.voids.lineAmountMinor], [1, 350]);
    // Included 19 % per line: 4.25 → 0.68, 8.50 → 1.36, 4.00 (after the 0.25 ticket discount) → 0.64.
    assert.equal(z.sales.taxMinor, 268);
    assert.deepEqual(z.taxes.map((tax) => [tax.code, tax.taxMinor]), [['STD', 268]]);
    assert.equal(await auditCount(t, t.tenantA.id, 'pos.shift.closed', till.shiftId), 1);
    const closedAgain = await post(owner, `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 1 });
    assert.equal(closedAgain.statusCode, 409);
  });

  test('a close racing sales waits for them: no deadlock, and the Z report counts exactly the sales accepted', async () => {
    const till = await openTill(t, owner, { stock: 50, float: 0 });
    // A cashier: without pos.sale.late a sale that reaches a closed shift is refused, never slipped in.
    const cashier = await t.headersAs(await newStaff(t, t.tenantA, CASHIER), t.tenantA.id);
    const sales = Array.from({ length: 6 }, () => post(cashier, '/v1/pos/sales', cashSale(till)));
    const close = post(cashier, `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 0 });
    const answers = await Promise.all(sales);
    const closed = await close;
    assert.equal(closed.statusCode, 200, closed.body);
    for (const answer of answers) {
      const details = answer.statusCode === 201 ? undefined : (answer.json() as ErrorBody).error.details;
      const refusedForClose = (answer.statusCode === 409 && details?.reason === 'POS_SHIFT_CLOSED') || (answer.statusCode === 403 && details?.permission === 'pos.sale.late');
      assert.ok(answer.statusCode === 201 || refusedForClose, answer.body);
    }
    const accepted = answers.filter((answer) => answer.statusCode === 201).length;
    const z = (closed.json() as { data: Report }).data;
    assert.equal(z.sales.count, accepted);
    assert.equal(z.cash.expectedMinor, accepted * 425);
  });

  test('blind close hides expected cash from the counting cashier; the manager sees it', async () => {
    const till = await openTill(t, owner, { blind: true, float: 5000 });
    const cashier = await t.headersAs(await newStaff(t, t.tenantA, CASHIER), t.tenantA.id);
    await ok(post(cashier, '/v1/pos/sales', cashSale(till)));
    const x = await ok<Report>(call(t, cashier, 'GET', `/v1/pos/shifts/${till.shiftId}/report`));
    assert.equal('expectedMinor' in x.cash, false);
    const z = await ok<Report>(post(cashier, `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 5400 }));
    assert.equal('expectedMinor' in z.cash, false);
    assert.equal(z.cash.varianceMinor, null);
    const managerView = await ok<Report>(call(t, owner, 'GET', `/v1/pos/shifts/${till.shiftId}/report`));
    assert.equal(managerView.cash.expectedMinor, 5425);
    assert.equal(managerView.cash.varianceMinor, -25);
  });

  test('closing with unsynced sales needs a manager override, audited with both people', async () => {
    const till = await openTill(t, owner);
    const cashierId = await newStaff(t, t.tenantA, CASHIER);
    const cashier = await t.headersAs(cashierId, t.tenantA.id);
    const refused = await post(cashier, `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 10_000, unsyncedCount: 2 });
    assert.equal(refused.statusCode, 403);
    assert.equal((refused.json() as ErrorBody).error.details?.permission, 'pos.shift.close_unsynced');
    const managerId = await newStaff(t, t.tenantA, MANAGER);
    await call(t, await t.headersAs(managerId, t.tenantA.id), 'PUT', '/v1/me/pin', { pin: '640219' });
    const closed = await post(cashier, `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 10_000, unsyncedCount: 2, override: { userId: managerId, pin: '640219' } });
    assert.equal(closed.statusCode, 200, closed.body);
    const { rows } = await t.database.pool.query<{ data: { unsyncedCount: number; override: { actorUserId: string; approvedBy: string } } }>(
      `SELECT data FROM audit_event WHERE tenant_id = $1 AND action = 'pos.shift.closed' AND target_id = $2`,
      [t.tenantA.id, till.shiftId],
    );
    assert.equal(rows[0]?.data.unsyncedCount, 2);
    assert.deepEqual(rows[0]?.data.override, { actorUserId: cashierId, approvedBy: managerId, permissions: ['pos.shift.close_unsynced'] });
  });

  test('receipts: text exactly 32 or 48 columns with everything on it; reprints marked and audited; HTML page', async () => {
    const till = await openTill(t, owner);
    const sale = await ok<{ id: string; saleNumber: string }>(
      post(owner, '/v1/pos/sales', cashSale(till, {
        lines: [
          { productId: till.productId, quantity: 2, modifiers: [{ name: 'Extra shot with a very long modifier name indeed', priceDeltaMinor: 60 }], discount: { kind: 'percent', value: 1000 } },
          { productId: till.otherProductId, quantity: 1, taxCode: 'RED' },
        ],
        tipMinor: 100,
        tenders: [{ kind: 'card', amountMinor: 500 }, { kind: 'cash', amountMinor: 2000 }],
      })),
    );
    for (const width of [32, 48]) {
      const response = await call(t, owner, 'GET', `/v1/pos/sales/${sale.id}/receipt.txt?width=${width}`);
      assert.equal(response.statusCode, 200, response.body);
      assert.match(String(response.headers['content-type']), /^text\/plain/);
      const lines = response.body.replace(/\n$/, '').split('\n');
      for (const line of lines) assert.equal(Array.from(line).length, width, JSON.stringify(line));
      const text = response.body;
      for (const expected of ['Tenant A', sale.saleNumber, 'Subtotal', 'TOTAL EUR', 'Tip', 'Card', 'Cash', 'Change', 'STD 19%', 'RED 7%', 'Discount 10%', '+ Extra']) assert.ok(text.includes(expected), `${width}: ${expected} missing\n${text}`);
      assert.equal(text.includes('REPRINT'), width === 48, `${width}: only prints after the first are reprints`);
    }
    assert.equal(await auditCount(t, t.tenantA.id, 'pos.receipt.reprinted', sale.id), 1);
    const page = await t.app.inject({ method: 'GET', url: `/pos/receipts/${sale.id}`, headers: { ...owner, accept: 'text/html' } });
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    assert.match(page.body, /@media print/);
    assert.match(page.body, new RegExp(sale.saleNumber));
    assert.match(page.body, /REPRINT/);
    assert.equal((await call(t, owner, 'GET', `/v1/pos/sales/${sale.id}/receipt.txt?width=40`)).statusCode, 400);
  });

  test("another tenant's ids answer exactly like missing ones", async () => {
    const till = await openTill(t, owner);
    const sale = await ok<{ id: string }>(post(owner, '/v1/pos/sales', cashSale(till)));
    const ownerB = await t.headersFor('tenant-b');
    const urls = [`/v1/pos/sales/${sale.id}`, `/v1/pos/registers/${till.registerId}`, `/v1/pos/shifts/${till.shiftId}/report`, `/v1/pos/sales/${sale.id}/receipt.txt?width=32`];
    for (const url of urls) {
      const foreign = await call(t, ownerB, 'GET', url);
      const missing = await call(t, ownerB, 'GET', url.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, randomUUID()));
      assert.equal(foreign.statusCode, 404, `${url}: ${foreign.body}`);
      assert.deepEqual(foreign.json(), missing.json());
    }
    const tillB = await openTill(t, ownerB);
    const refund = await post(ownerB, `/v1/pos/sales/${sale.id}/refunds`, { id: randomUUID(), registerId: tillB.registerId, reason: 'x' });
    assert.equal(refund.statusCode, 404);
    const sell = await post(ownerB, '/v1/pos/sales', cashSale(till));
    assert.equal(sell.statusCode, 404);
  });
});
