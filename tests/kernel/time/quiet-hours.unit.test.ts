import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { endOfQuietHours, isWithinQuietHours, parseQuietHours } from '../../../src/kernel/time/index.ts';

const at = (iso: string) => new Date(iso);
const evening = parseQuietHours('21:00-08:00');
const ends = (now: string, zone: string, window = evening) => endOfQuietHours(at(now), zone, window).toISOString();

describe('quiet hours', () => {
  test('outside the window a message may go at once', () => {
    const now = at('2026-06-01T14:00:00Z');
    assert.equal(endOfQuietHours(now, 'Europe/London', evening), now);
    assert.equal(isWithinQuietHours(now, 'Europe/London', evening), false);
  });

  test('in the evening it waits for the next local morning', () => {
    // 22:30 BST on 1 June is 21:30Z; 08:00 BST next day is 07:00Z.
    assert.equal(isWithinQuietHours(at('2026-06-01T21:30:00Z'), 'Europe/London', evening), true);
    assert.equal(ends('2026-06-01T21:30:00Z', 'Europe/London'), '2026-06-02T07:00:00.000Z');
  });

  test('after midnight it waits for the same morning', () => {
    // 03:00 in Tokyo (UTC+9, no DST) ends at 08:00 the same day, 23:00Z the day before.
    assert.equal(ends('2026-06-01T18:00:00Z', 'Asia/Tokyo'), '2026-06-01T23:00:00.000Z');
  });

  test('across the spring-forward night the morning is an hour earlier in UTC', () => {
    // New York: EST (-5) → EDT (-4) at 02:00 on 8 March 2026. 22:00 EST on 7 March → 08:00 EDT = 12:00Z.
    assert.equal(ends('2026-03-08T03:00:00Z', 'America/New_York'), '2026-03-08T12:00:00.000Z');
    // London: GMT → BST at 01:00 on 29 March 2026. 23:00 GMT → 08:00 BST = 07:00Z.
    assert.equal(ends('2026-03-28T23:00:00Z', 'Europe/London'), '2026-03-29T07:00:00.000Z');
  });

  test('across the fall-back night the morning is an hour later in UTC', () => {
    // London: BST (+1) → GMT at 02:00 on 25 October 2026. 22:00 BST on 24 October (21:00Z) → 08:00 GMT = 08:00Z.
    assert.equal(ends('2026-10-24T21:00:00Z', 'Europe/London'), '2026-10-25T08:00:00.000Z');
  });

  test('a window ending inside the skipped hour moves forward by the gap', () => {
    // 02:30 does not exist in New York on 8 March 2026: read with the offset before the jump, 02:30 EST = 03:30 EDT = 07:30Z.
    assert.equal(ends('2026-03-08T05:00:00Z', 'America/New_York', parseQuietHours('23:00-02:30')), '2026-03-08T07:30:00.000Z');
  });

  test('a window ending in the repeated hour ends at its first occurrence, and is over in the second', () => {
    // 01:30 happens twice in New York on 1 November 2026: first at 05:30Z (EDT), again at 06:30Z (EST).
    const window = parseQuietHours('22:00-01:30');
    assert.equal(ends('2026-11-01T03:00:00Z', 'America/New_York', window), '2026-11-01T05:30:00.000Z');
    // 01:10 EST (06:10Z) is after the window's first end: the message goes now.
    assert.equal(ends('2026-11-01T06:10:00Z', 'America/New_York', window), '2026-11-01T06:10:00.000Z');
  });

  test('half-hour DST on Lord Howe Island', () => {
    // Lord Howe: +10:30 standard, +11 in summer; clocks go 02:00 → 02:30 on 4 October 2026 and 02:00 → 01:30 on 5 April 2026.
    const night = parseQuietHours('01:00-02:15');
    // 01:00 +10:30 on 4 October (14:30Z on the 3rd): 02:15 is skipped, read with +10:30 → 02:45 +11 = 15:45Z.
    assert.equal(ends('2026-10-03T14:30:00Z', 'Australia/Lord_Howe', night), '2026-10-03T15:45:00.000Z');
    // 01:00 +11 on 5 April (14:00Z on the 4th): 01:30–02:00 repeats, 02:15 comes once, at +10:30 = 15:45Z.
    assert.equal(ends('2026-04-04T14:00:00Z', 'Australia/Lord_Howe', night), '2026-04-04T15:45:00.000Z');
  });

  test('Chatham Islands at +13:45 in summer', () => {
    // 23:00 +13:45 on 10 January 2026 is 09:15Z; 08:00 next morning +13:45 is 18:15Z.
    assert.equal(isWithinQuietHours(at('2026-01-10T09:15:00Z'), 'Pacific/Chatham', evening), true);
    assert.equal(ends('2026-01-10T09:15:00Z', 'Pacific/Chatham'), '2026-01-10T18:15:00.000Z');
  });

  test('a daytime window works too, and malformed ranges are refused', () => {
    const lunch = parseQuietHours('12:00-13:30');
    assert.equal(ends('2026-06-01T12:15:00Z', 'UTC', lunch), '2026-06-01T13:30:00.000Z');
    assert.equal(isWithinQuietHours(at('2026-06-01T13:30:00Z'), 'UTC', lunch), false);
    assert.throws(() => parseQuietHours('21-08'));
    assert.throws(() => parseQuietHours('08:00-08:00'));
  });
});
