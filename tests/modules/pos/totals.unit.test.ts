import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { allocate, computeTicket, discountAmount, divRoundHalfUp, lineShare, lineTax, planTenders, taxTotals } from '../../../src/modules/pos/domain/totals.ts';

describe('POS ticket arithmetic (integer minor units)', () => {
  test('rounding is half up, away from zero', () => {
    assert.equal(divRoundHalfUp(5n, 10n), 1n);
    assert.equal(divRoundHalfUp(4n, 10n), 0n);
    assert.equal(divRoundHalfUp(15n, 10n), 2n);
    assert.equal(divRoundHalfUp(25n, 10n), 3n, 'not banker’s rounding');
    assert.equal(divRoundHalfUp(-5n, 10n), -1n);
    assert.equal(divRoundHalfUp(-4n, 10n), 0n);
  });

  test('tax per line, inclusive and exclusive, with the documented rounding', () => {
    // 19 % included in 1.00: net = round(100 / 1.19) = 84.03 → 84, tax 16.
    assert.equal(lineTax(100, 1900, true), 16);
    // 19 % on top of 0.50: 9.5 → 10 (half up).
    assert.equal(lineTax(50, 1900, false), 10);
    // 7 % on top of 1.50: 10.5 → 11.
    assert.equal(lineTax(150, 700, false), 11);
    assert.equal(lineTax(0, 1900, true), 0);
  });

  test('a worked ticket: modifiers, line and ticket discounts, two rates, inclusive prices', () => {
    const totals = computeTicket(
      [
        { unitPriceMinor: 425, modifiers: [{ priceDeltaMinor: 50 }], quantity: 2, discount: { kind: 'percent', value: 1000 }, taxRateBp: 700 },
        { unitPriceMinor: 350, modifiers: [], quantity: 1, taxRateBp: 1900 },
      ],
      { kind: 'amount', value: 100 },
      true,
    );
    // Line 1: (425+50)×2 = 950, −10 % = 95 → 855. Line 2: 350. Ticket −100 spread 855:350 → 71 / 29.
    assert.deepEqual(
      totals.lines.map((line) => [line.grossMinor, line.lineDiscountMinor, line.ticketDiscountMinor, line.taxMinor, line.totalMinor]),
      [
        [950, 95, 71, 51, 784],
        [350, 0, 29, 51, 321],
      ],
    );
    assert.equal(totals.totalMinor, 1105);
    assert.equal(totals.discountMinor, 195);
    assert.equal(totals.subtotalMinor - totals.discountMinor, totals.totalMinor, 'inclusive: total is what is left after discounts');
  });

  test('exclusive prices add tax on top', () => {
    const totals = computeTicket([{ unitPriceMinor: 999, modifiers: [], quantity: 3, taxRateBp: 825 }], null, false);
    assert.equal(totals.lines[0]?.taxMinor, 247); // 2997 × 8.25 % = 247.25 → 247
    assert.equal(totals.totalMinor, 2997 + 247);
  });

  const line = fc.record({
    unitPriceMinor: fc.integer({ min: 0, max: 100_000 }),
    modifiers: fc.array(fc.record({ priceDeltaMinor: fc.integer({ min: 0, max: 500 }) }), { maxLength: 3 }),
    quantity: fc.integer({ min: 1, max: 50 }),
    discount: fc.option(fc.oneof(fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 0, max: 10_000 }) }), fc.record({ kind: fc.constant('amount' as const), value: fc.integer({ min: 0, max: 200_000 }) })), { nil: undefined }),
    taxRateBp: fc.constantFrom(0, 700, 1900, 2000, 825),
  });
  const ticketDiscount = fc.option(fc.oneof(fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 0, max: 10_000 }) }), fc.record({ kind: fc.constant('amount' as const), value: fc.integer({ min: 0, max: 500_000 }) })), { nil: null });

  test('property: totals are integers that add up, discounts never exceed what they come off, tax never negative', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), ticketDiscount, fc.boolean(), (lines, discount, inclusive) => {
        const totals = computeTicket(lines, discount, inclusive);
        const sum = (pick: (l: (typeof totals.lines)[number]) => number) => totals.lines.reduce((acc, l) => acc + pick(l), 0);
        for (const value of [totals.totalMinor, totals.taxMinor, totals.discountMinor, totals.subtotalMinor]) assert.ok(Number.isSafeInteger(value));
        assert.equal(totals.totalMinor, sum((l) => l.totalMinor));
        assert.equal(totals.taxMinor, sum((l) => l.taxMinor));
        for (const l of totals.lines) {
          assert.ok(l.lineDiscountMinor >= 0 && l.lineDiscountMinor <= l.grossMinor);
          assert.ok(l.taxMinor >= 0);
          assert.equal(l.totalMinor, l.netMinor + l.taxMinor);
          assert.equal(inclusive ? l.totalMinor : l.netMinor, l.grossMinor - l.lineDiscountMinor - l.ticketDiscountMinor);
        }
        assert.ok(totals.totalMinor >= 0);
        assert.ok(totals.discountMinor <= totals.subtotalMinor);
      }),
    );
  });

  test('property: allocation splits an amount exactly, in proportion to within one unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 10 }), (amount, weights) => {
        const parts = allocate(amount, weights);
        const total = weights.reduce((a, b) => a + b, 0);
        if (total === 0) return assert.ok(parts.every((part) => part === 0));
        assert.equal(parts.reduce((a, b) => a + b, 0), amount);
        parts.forEach((part, index) => assert.ok(Math.abs(part - (amount * (weights[index] as number)) / total) < 1 + 1e-9));
      }),
    );
  });

  test('property: refunding a line in parts adds up to exactly its total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 10 }), (total, chunks) => {
        const quantity = chunks.reduce((a, b) => a + b, 0);
        let before = 0;
        let refunded = 0;
        for (const chunk of chunks) {
          refunded += lineShare(total, quantity, before, chunk);
          before += chunk;
        }
        assert.equal(refunded, total);
      }),
    );
  });

  test('discounts: percent rounds half up, amounts are capped at the base', () => {
    assert.equal(discountAmount(995, { kind: 'percent', value: 1000 }), 100); // 99.5 → 100
    assert.equal(discountAmount(500, { kind: 'amount', value: 900 }), 500);
    assert.equal(discountAmount(-500, { kind: 'amount', value: 100 }), -100);
  });

  test('tenders: cash gives change, card and voucher may not overpay', () => {
    assert.deepEqual(planTenders(1234, [{ kind: 'card', amountMinor: 1000 }, { kind: 'cash', amountMinor: 500 }]), { applied: [1000, 234], changeMinor: 266 });
    assert.equal(planTenders(1000, [{ kind: 'card', amountMinor: 1200 }]), null);
    assert.equal(planTenders(1000, [{ kind: 'cash', amountMinor: 999 }]), null);
    assert.deepEqual(planTenders(0, [{ kind: 'cash', amountMinor: 0 }]), { applied: [0], changeMinor: 0 });
  });

  test('tax totals group lines by code and rate, leave voided lines out, and list by code then rate', () => {
    const line = (taxCode: string, taxRateBp: number, netMinor: number, taxMinor: number, voided = false) => ({ taxCode, taxRateBp, netMinor, taxMinor, voided });
    assert.deepEqual(taxTotals([line('STD', 1900, 1000, 190), line('RED', 700, 500, 35), line('STD', 1900, 200, 38), line('STD', 1600, 300, 48), line('STD', 1900, 999, 189, true)]), [
      { code: 'RED', rateBp: 700, netMinor: 500, taxMinor: 35 },
      { code: 'STD', rateBp: 1600, netMinor: 300, taxMinor: 48 },
      { code: 'STD', rateBp: 1900, netMinor: 1200, taxMinor: 228 },
    ]);
  });
});
