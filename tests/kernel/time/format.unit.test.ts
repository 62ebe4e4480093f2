import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDate, formatDateTime, formatTime } from '../../../src/kernel/time/index.ts';

const at = (iso: string) => new Date(iso);

describe('showing instants', () => {
  test('on the business’s clocks, day month year and a 24-hour time', () => {
    const instant = at('2026-12-07T13:05:00Z');
    assert.equal(formatDateTime(instant, 'Europe/Berlin'), '7 Dec 2026, 14:05');
    assert.equal(formatDateTime(instant, 'UTC'), '7 Dec 2026, 13:05');
    assert.equal(formatDate(instant, 'Pacific/Chatham'), '8 Dec 2026');
    assert.equal(formatTime(instant, 'Pacific/Chatham'), '02:50');
    assert.equal(formatTime(instant, 'Australia/Lord_Howe'), '00:05');
  });

  test('the two 01:30s of a fall-back night read the same on the clock', () => {
    assert.equal(formatTime(at('2026-11-01T05:30:00Z'), 'America/New_York'), '01:30');
    assert.equal(formatTime(at('2026-11-01T06:30:00Z'), 'America/New_York'), '01:30');
  });

  test('another locale writes the same instant its own way', () => {
    assert.equal(formatDate(at('2026-12-07T13:05:00Z'), 'America/New_York', 'en-US'), 'Dec 7, 2026');
  });
});
