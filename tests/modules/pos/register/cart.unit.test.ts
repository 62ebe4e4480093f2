import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProductSummary, RegisterSummary } from '../../../../src/modules/pos/register/bootstrap.ts';
import {
  addProduct,
  changeQuantity,
  formatMoney,
  looksScanned,
  parseMoney,
  parsePercent,
  productWithCode,
  remainingDue,
  saleBody,
  searchProducts,
  settle,
  ticketTotals,
} from '../../../../src/modules/pos/register/cart.ts';

const register: RegisterSummary = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Front till',
  code: 'T1',
  deviceId: null,
  openShiftId: null,
  currency: 'EUR',
  pricesIncludeTax: true,
  taxRates: [
    { code: 'STD', label: 'VAT 19%', rateBp: 1900 },
    { code: 'RED', label: 'VAT 7%', rateBp: 700 },
  ],
  defaultTaxCode: 'STD',
  maxDiscountBp: 2000,
};
const hammer: ProductSummary = { id: '00000000-0000-4000-8000-0000000000a1', name: 'Claw hammer 16 oz', sku: 'HW-HAM-16', barcode: '4006381333931', category: 'Hand tools', imageUrl: null, priceMinor: 1899, currency: 'EUR' };
const tape: ProductSummary = { id: '00000000-0000-4000-8000-0000000000a2', name: 'Masking tape 25 mm', sku: 'HW-TAPE-25', barcode: null, category: null, imageUrl: null, priceMinor: 349, currency: 'EUR' };

describe('the register ticket', () => {
  test('adding a product again counts it up; a quantity reaching 0 removes the line', () => {
    let lines = addProduct([], hammer);
    lines = addProduct(lines, tape);
    lines = addProduct(lines, hammer);
    assert.deepEqual(lines.map((line) => [line.sku, line.quantity]), [['HW-HAM-16', 2], ['HW-TAPE-25', 1]]);
    lines = changeQuantity(lines, tape.id, -1);
    assert.deepEqual(lines.map((line) => line.sku), ['HW-HAM-16']);
  });

  test('totals use the server arithmetic: inclusive tax per line, percent discounts', () => {
    const lines = addProduct(addProduct(addProduct([], hammer), hammer), tape).map((line) => (line.productId === tape.id ? { ...line, discountBp: 1000 } : line));
    const totals = ticketTotals(register, lines, 0);
    // 2 × 18.99 + (3.49 − 10 % = 0.35) = 37.98 + 3.14
    assert.equal(totals.totalMinor, 3798 + 314);
    assert.equal(totals.discountMinor, 35);
    assert.equal(totals.taxMinor, 3798 - Math.round((3798 * 10_000) / 11_900) + (314 - Math.round((314 * 10_000) / 11_900)));
    const exclusive = ticketTotals({ ...register, pricesIncludeTax: false }, addProduct([], tape), 0);
    assert.equal(exclusive.totalMinor, 349 + 66, 'exclusive pricing adds 19 % on top');
  });

  test('tenders: cash may overpay (change), card and voucher may not; nothing settles an empty tender list', () => {
    assert.equal(settle(349, []), null);
    assert.deepEqual(settle(349, [{ kind: 'card', amountMinor: 200 }, { kind: 'cash', amountMinor: 500 }]), { applied: [200, 149], changeMinor: 351 });
    assert.equal(settle(349, [{ kind: 'card', amountMinor: 400 }]), null);
    assert.equal(settle(349, [{ kind: 'cash', amountMinor: 300 }]), null);
    assert.equal(remainingDue(349, [{ kind: 'card', amountMinor: 200 }]), 149);
    assert.equal(remainingDue(349, [{ kind: 'cash', amountMinor: 500 }]), 0);
  });

  test('the sale body carries the client id, the shift, discounts only where given, and the expected total', () => {
    const lines = addProduct([], tape).map((line) => ({ ...line, discountBp: 500 }));
    const body = saleBody({
      id: 'sale-1',
      register,
      shiftId: 'shift-1',
      soldAt: '2026-11-23T10:00:00.000Z',
      lines,
      ticketDiscountBp: 0,
      tenders: [{ kind: 'voucher', amountMinor: 100, code: 'GIFT-1' }, { kind: 'cash', amountMinor: 300 }],
      totalMinor: 332,
    });
    assert.deepEqual(body, {
      id: 'sale-1',
      registerId: register.id,
      shiftId: 'shift-1',
      soldAt: '2026-11-23T10:00:00.000Z',
      lines: [{ productId: tape.id, quantity: 1, discount: { kind: 'percent', value: 500 } }],
      tipMinor: 0,
      tenders: [{ kind: 'voucher', amountMinor: 100, code: 'GIFT-1' }, { kind: 'cash', amountMinor: 300 }],
      expectedTotalMinor: 332,
    });
  });

  test('money and percentages as typed at the till', () => {
    assert.equal(parseMoney('12.5', 'EUR'), 1250);
    assert.equal(parseMoney('12,50', 'EUR'), 1250);
    assert.equal(parseMoney(' 7 ', 'EUR'), 700);
    assert.equal(parseMoney('1.005', 'EUR'), null);
    assert.equal(parseMoney('-3', 'EUR'), null);
    assert.equal(parseMoney('abc', 'EUR'), null);
    assert.equal(parseMoney('1500', 'JPY'), 1500);
    assert.equal(parseMoney('1.5', 'JPY'), null);
    assert.equal(formatMoney(3798, 'EUR'), '€37.98');
    assert.equal(parsePercent(''), 0);
    assert.equal(parsePercent('12.5'), 1250);
    assert.equal(parsePercent('100'), 10_000);
    assert.equal(parsePercent('101'), null);
    assert.equal(parsePercent('ten'), null);
  });

  test('search: an exact SKU first, then name or SKU containing the text', () => {
    const products = [tape, hammer, { ...hammer, id: 'x', name: 'Hammer drill HW-HAM-16X', sku: 'PT-HD-1', barcode: null }];
    assert.deepEqual(searchProducts(products, 'hw-ham-16').map((product) => product.sku), ['HW-HAM-16', 'PT-HD-1']);
    assert.deepEqual(searchProducts(products, 'tape').map((product) => product.sku), ['HW-TAPE-25']);
    assert.equal(searchProducts(products, '  ').length, 3);
  });

  test('a scanned barcode (or typed SKU) names exactly one product; digits that match none are a scan, not a search', () => {
    const products = [tape, hammer];
    assert.equal(productWithCode(products, '4006381333931')?.sku, 'HW-HAM-16');
    assert.equal(productWithCode(products, ' hw-tape-25 ')?.sku, 'HW-TAPE-25');
    assert.equal(productWithCode(products, '400638133393'), undefined);
    assert.equal(productWithCode(products, ''), undefined);
    assert.deepEqual(searchProducts(products, '4006381333931').map((product) => product.sku), ['HW-HAM-16']);
    assert.equal(looksScanned('4006381333931'), true);
    assert.equal(looksScanned('tape'), false);
    assert.equal(looksScanned('1234'), false);
  });
});
