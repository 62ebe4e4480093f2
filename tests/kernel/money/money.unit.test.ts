import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { currencyCode, formatMajorAmount, parseMajorAmount } from '../../../src/kernel/money/index.ts';

describe('parseMajorAmount', () => {
  const cases: { text: string; currency: string; minor: number | undefined }[] = [
    { text: '4.50', currency: 'EUR', minor: 450 },
    { text: '4,5', currency: 'EUR', minor: 450 },
    { text: ' 12 ', currency: 'EUR', minor: 1200 },
    { text: '0.05', currency: 'EUR', minor: 5 },
    { text: '1000', currency: 'JPY', minor: 1000 },
    { text: '1.234', currency: 'KWD', minor: 1234 },
    { text: '4.5', currency: 'JPY', minor: undefined },
    { text: '-1', currency: 'EUR', minor: undefined },
    { text: '1.234', currency: 'EUR', minor: undefined },
    { text: '', currency: 'EUR', minor: undefined },
    { text: '4.', currency: 'EUR', minor: undefined },
    { text: '1,000.00', currency: 'EUR', minor: undefined },
    { text: '1e3', currency: 'EUR', minor: undefined },
    // The largest amount that is still a safe integer of cents, and one cent more.
    { text: '90071992547409.91', currency: 'EUR', minor: Number.MAX_SAFE_INTEGER },
    { text: '90071992547409.92', currency: 'EUR', minor: undefined },
    { text: '999999999999999', currency: 'EUR', minor: undefined },
    { text: '9999999999999999999', currency: 'JPY', minor: undefined },
  ];
  for (const { text, currency, minor } of cases) {
    test(`${JSON.stringify(text)} ${currency} → ${String(minor)}`, () => {
      assert.equal(parseMajorAmount(text, currency), minor);
    });
  }
});

describe('formatMajorAmount', () => {
  test('writes the currency’s number of decimals', () => {
    assert.equal(formatMajorAmount(450, 'EUR'), '4.50');
    assert.equal(formatMajorAmount(5, 'EUR'), '0.05');
    assert.equal(formatMajorAmount(0, 'EUR'), '0.00');
    assert.equal(formatMajorAmount(1000, 'JPY'), '1000');
    assert.equal(formatMajorAmount(1234, 'KWD'), '1.234');
  });

  test('parseMajorAmount reads back what formatMajorAmount writes', () => {
    for (const currency of ['EUR', 'JPY', 'KWD']) {
      for (const minor of [0, 1, 9, 10, 99, 100, 450, 123_456_789, 999_999_999_999_999]) {
        assert.equal(parseMajorAmount(formatMajorAmount(minor, currency), currency), minor, `${minor} ${currency}`);
      }
    }
  });

  // minorAmount accepts up to Number.MAX_SAFE_INTEGER, so a stored price may be that large.
  test(
    'the largest storable amount round-trips too, also in currencies without decimals',
    () => {
      for (const currency of ['EUR', 'KWD', 'JPY']) {
        const text = formatMajorAmount(Number.MAX_SAFE_INTEGER, currency);
        assert.equal(parseMajorAmount(text, currency), Number.MAX_SAFE_INTEGER, `${text} ${currency}`);
      }
    },
  );
});

describe('currencyCode', () => {
  test('accepts a known code in any case and normalises it to upper case', () => {
    assert.equal(currencyCode.parse('eur'), 'EUR');
    assert.equal(currencyCode.parse(' jpy '), 'JPY');
    assert.equal(currencyCode.parse('CHF'), 'CHF');
  });

  test('rejects unknown codes with a message saying what is expected', () => {
    for (const value of ['XYZ', 'EURO', 'EU', '']) {
      const result = currencyCode.safeParse(value);
      assert.equal(result.success, false, value);
      assert.match(result.error?.issues[0]?.message ?? '', /ISO 4217/);
    }
  });
});
