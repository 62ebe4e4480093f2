import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addDays, canonicalTimeZone, instantOfLocalDateTime, isCalendarDate, isTimeZone, localDate, timeZoneNames } from '../../../src/kernel/time/index.ts';

const at = (iso: string) => new Date(iso);

describe('local calendar days', () => {
  test('an instant falls on the day the zone’s clocks show', () => {
    // 23:30Z on 6 December is already 7 December in Berlin, still the 6th in New York.
    assert.equal(localDate(at('2026-12-06T23:30:00Z'), 'Europe/Berlin'), '2026-12-07');
    assert.equal(localDate(at('2026-12-06T23:30:00Z'), 'America/New_York'), '2026-12-06');
    assert.equal(localDate(at('2026-12-06T23:30:00Z'), 'UTC'), '2026-12-06');
    // Chatham is +13:45 in summer: 10:15Z is after its midnight.
    assert.equal(localDate(at('2026-01-10T10:14:00Z'), 'Pacific/Chatham'), '2026-01-10');
    assert.equal(localDate(at('2026-01-10T10:15:00Z'), 'Pacific/Chatham'), '2026-01-11');
  });

  test('days around DST changes are whole days, not 24-hour steps', () => {
    // London springs forward at 01:00Z on 29 March: 23:30Z that evening is already 00:30 BST on the 30th.
    assert.equal(localDate(at('2026-03-28T23:30:00Z'), 'Europe/London'), '2026-03-28');
    assert.equal(localDate(at('2026-03-29T23:30:00Z'), 'Europe/London'), '2026-03-30');
    // 23:30 GMT on 25 October (fall-back day) is still the 25th.
    assert.equal(localDate(at('2026-10-25T23:30:00Z'), 'Europe/London'), '2026-10-25');
    assert.equal(addDays('2026-03-28', 1), '2026-03-29');
    assert.equal(addDays('2026-03-01', -1), '2026-02-28');
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
  });

  test('calendar days are checked, not only their shape', () => {
    assert.equal(isCalendarDate('2026-12-07'), true);
    assert.equal(isCalendarDate('2028-02-29'), true);
    for (const text of ['2026-02-30', '2026-13-01', '2026-1-01', '07/12/2026', '']) assert.equal(isCalendarDate(text), false, text);
  });

  test('time zones are IANA names, spelled as the database spells them', () => {
    assert.equal(canonicalTimeZone('europe/london'), 'Europe/London');
    assert.equal(canonicalTimeZone('Mars/Olympus'), undefined);
    assert.equal(isTimeZone('Australia/Lord_Howe'), true);
    const names = timeZoneNames();
    assert.equal(names[0], 'UTC');
    assert.ok(names.includes('Pacific/Chatham') && names.includes('America/New_York'));
    assert.equal(new Set(names).size, names.length);
  });
});

describe('dates and times typed on a zone’s clocks', () => {
  test('name the instant those clocks showed', () => {
    assert.equal(instantOfLocalDateTime('2026-12-01 22:00', 'UTC')?.toISOString(), '2026-12-01T22:00:00.000Z');
    assert.equal(instantOfLocalDateTime('2026-12-01T22:00', 'Europe/Berlin')?.toISOString(), '2026-12-01T21:00:00.000Z');
    // Chatham is +12:45 in its winter.
    assert.equal(instantOfLocalDateTime('2026-07-01 09:30', 'Pacific/Chatham')?.toISOString(), '2026-06-30T20:45:00.000Z');
  });

  test('a skipped time moves on by the gap; a repeated one is its first occurrence', () => {
    // London skips 01:00–02:00 on 29 March 2026: 01:30 is read with GMT, 02:30 BST = 01:30Z.
    assert.equal(instantOfLocalDateTime('2026-03-29 01:30', 'Europe/London')?.toISOString(), '2026-03-29T01:30:00.000Z');
    // 01:30 happens twice on 25 October 2026: first in BST, 00:30Z.
    assert.equal(instantOfLocalDateTime('2026-10-25 01:30', 'Europe/London')?.toISOString(), '2026-10-25T00:30:00.000Z');
  });

  test('anything else is not a date and time', () => {
    for (const text of ['2026-02-30 10:00', '2026-12-01 24:00', '2026-12-01', 'tomorrow', '']) assert.equal(instantOfLocalDateTime(text, 'UTC'), undefined, text);
  });
});
