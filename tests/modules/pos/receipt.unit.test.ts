import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { receiptText } from '../../../src/modules/pos/domain/receipt.ts';
import type { Sale } from '../../../src/modules/pos/domain/schemas.ts';

const amount = fc.integer({ min: -10_000_000, max: 10_000_000 });

const saleArbitrary = fc.record({
  names: fc.array(fc.string({ unit: 'binary', maxLength: 80 }), { minLength: 1, maxLength: 5 }),
  modifier: fc.string({ unit: 'grapheme', maxLength: 60 }),
  amounts: fc.array(amount, { minLength: 8, maxLength: 8 }),
  voided: fc.boolean(),
  inclusive: fc.boolean(),
  business: fc.string({ unit: 'grapheme', maxLength: 120 }),
  reprint: fc.boolean(),
});

interface SaleShape {
  names: string[];
  modifier: string;
  amounts: number[];
  voided: boolean;
  inclusive: boolean;
  business: string;
  reprint: boolean;
}

function saleOf(input: SaleShape): Sale {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = input.amounts;
  return {
    id: randomUUID(),
    registerId: randomUUID(),
    shiftId: randomUUID(),
    locationId: randomUUID(),
    number: 123,
    saleNumber: 'T1-000123',
    status: input.voided ? 'voided' : 'completed',
    currency: 'EUR',
    pricesIncludeTax: input.inclusive,
    subtotalMinor: a,
    discountMinor: b,
    taxMinor: c,
    totalMinor: d,
    tipMinor: e,
    changeMinor: f,
    ticketDiscount: { kind: 'percent', value: 1250 },
    soldAt: new Date().toISOString(),
    receivedAt: new Date().toISOString(),
    late: false,
    cashierUserId: null,
    approvedBy: null,
    taxes: [{ code: 'STD', rateBp: 1900, netMinor: g, taxMinor: h }],
    lines: input.names.map((name, index) => ({
      lineNo: index + 1,
      productId: randomUUID(),
      name,
      sku: 'SKU',
      quantity: index % 2 === 0 ? 999 : -1,
      catalogPriceMinor: a,
      unitPriceMinor: b,
      priceOverridden: index === 1,
      modifiers: [{ name: input.modifier, priceDeltaMinor: g }],
      discount: { kind: 'amount', value: 5 },
      grossMinor: c,
      lineDiscountMinor: index === 0 ? 0 : 5,
      ticketDiscountMinor: e,
      taxCode: 'STD',
      taxRateBp: 1900,
      netMinor: d,
      taxMinor: h,
      totalMinor: d,
      voided: index === 2,
      voidReason: index === 2 ? input.modifier : null,
      refundedQuantity: index,
    })),
    tenders: [
      { seq: 1, kind: 'card', amountMinor: a, tenderedMinor: a, chargeId: randomUUID(), voucherId: null, refundedMinor: 0 },
      { seq: 2, kind: 'cash', amountMinor: b, tenderedMinor: f, chargeId: null, voucherId: null, refundedMinor: 0 },
    ],
  };
}

describe('thermal receipt text', () => {
  test('property: every line is exactly 32 or 48 columns, whatever the names and amounts', () => {
    fc.assert(
      fc.property(saleArbitrary, fc.constantFrom(32 as const, 48 as const), (input, width) => {
        const text = receiptText(saleOf(input), { businessName: input.business, locationName: 'High Street shop', timeZone: 'Europe/Berlin', registerName: 'Front till', reprint: input.reprint }, width);
        assert.ok(text.endsWith('\n'));
        for (const line of text.slice(0, -1).split('\n')) assert.equal(Array.from(line).length, width, JSON.stringify(line));
        assert.equal(text.includes('*** REPRINT ***'), input.reprint);
      }),
      { numRuns: 300 },
    );
  });

  test('amounts stay whole when a line is too long: the name gives way, never the money', () => {
    const sale = saleOf({ names: ['A very long product name that cannot fit on one thermal line at all'], modifier: 'Oat', amounts: [123456, 0, 9_999_999, 0, 0, 0, 0, 0], voided: false, inclusive: true, business: 'Corner Hardware', reprint: false });
    const text = receiptText(sale, { businessName: 'Corner Hardware', locationName: 'Shop', timeZone: 'UTC', registerName: 'T1', reprint: false }, 32);
    assert.match(text, /99999\.99\n/);
    assert.match(text, /Subtotal +1234\.56\n/);
  });
});
