import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { endOfQuietHours, instantOfWallTime, parseQuietHours } from '../../../src/kernel/notify/domain/quiet-hours.ts';
import { escapeHtml, html } from '../../../src/kernel/notify/domain/templates.ts';
import { smsKeyword } from '../../../src/kernel/notify/domain/keywords.ts';

const at = (iso: string) => new Date(iso);
const evening = parseQuietHours('21:00-08:00');

describe('quiet hours', () => {
  test('outside the window a message may go at once', () => {
    const now = at('2026-06-01T14:00:00Z');
    assert.equal(endOfQuietHours(now, 'Europe/London', evening), now);
  });

  test('in the evening it waits for the next local morning', () => {
    // 22:30 BST on 1 June is 21:30Z; 08:00 BST next day is 07:00Z.
    assert.equal(endOfQuietHours(at('2026-06-01T21:30:00Z'), 'Europe/London', evening).toISOString(), '2026-06-02T07:00:00.000Z');
  });

  test('after midnight it waits for the same morning', () => {
    // 03:00 in Tokyo (UTC+9, no DST) ends at 08:00 the same day, 23:00Z the day before.
    assert.equal(endOfQuietHours(at('2026-06-01T18:00:00Z'), 'Asia/Tokyo', evening).toISOString(), '2026-06-01T23:00:00.000Z');
  });

  test('across the spring-forward night the morning is an hour earlier in UTC', () => {
    // New York moves from EST (-5) to EDT (-4) at 02:00 on 8 March 2026.
    // 22:00 EST on 7 March → 08:00 EDT on 8 March = 12:00Z (not 13:00Z).
    assert.equal(endOfQuietHours(at('2026-03-08T03:00:00Z'), 'America/New_York', evening).toISOString(), '2026-03-08T12:00:00.000Z');
  });

  test('across the fall-back night the morning is an hour later in UTC', () => {
    // London moves from BST (+1) to GMT at 02:00 on 25 October 2026.
    // 22:00 BST on 24 October (21:00Z) → 08:00 GMT on 25 October = 08:00Z.
    assert.equal(endOfQuietHours(at('2026-10-24T21:00:00Z'), 'Europe/London', evening).toISOString(), '2026-10-25T08:00:00.000Z');
  });

  test('a window ending inside the skipped hour moves forward by the gap', () => {
    // 02:30 does not exist in New York on 8 March 2026; like Temporal's 'compatible' it is read
    // with the offset before the jump: 02:30 EST = 03:30 EDT = 07:30Z.
    const end = instantOfWallTime({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York');
    assert.equal(end.toISOString(), '2026-03-08T07:30:00.000Z');
    const window = parseQuietHours('23:00-02:30');
    assert.equal(endOfQuietHours(at('2026-03-08T05:00:00Z'), 'America/New_York', window).toISOString(), '2026-03-08T07:30:00.000Z');
  });

  test('a window ending in the repeated hour ends at its first occurrence', () => {
    // 01:30 happens twice in New York on 1 November 2026: first at 05:30Z (EDT), again at 06:30Z (EST).
    const window = parseQuietHours('22:00-01:30');
    assert.equal(endOfQuietHours(at('2026-11-01T03:00:00Z'), 'America/New_York', window).toISOString(), '2026-11-01T05:30:00.000Z');
  });

  test('a daytime window works too, and malformed ranges are refused', () => {
    const lunch = parseQuietHours('12:00-13:30');
    assert.equal(endOfQuietHours(at('2026-06-01T12:15:00Z'), 'UTC', lunch).toISOString(), '2026-06-01T13:30:00.000Z');
    assert.throws(() => parseQuietHours('21-08'));
    assert.throws(() => parseQuietHours('08:00-08:00'));
  });
});

describe('templates and keywords', () => {
  test('html escapes interpolated data but keeps nested fragments', () => {
    const name = '<script>alert("x")</script> & co';
    assert.equal(html`<p>${name}</p>`.value, '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</p>');
    assert.equal(html`<div>${html`<b>${"O'Hara"}</b>`}</div>`.value, '<div><b>O&#39;Hara</b></div>');
    assert.equal(escapeHtml('"a" <b>'), '&quot;a&quot; &lt;b&gt;');
  });

  test('stop and start keywords are read trimmed and in any case, and only whole', () => {
    for (const body of ['STOP', ' stop ', 'StopAll', 'unsubscribe', 'Cancel\n', 'end', 'QUIT']) assert.equal(smsKeyword(body).kind, 'stop', body);
    for (const body of ['START', ' unstop']) assert.equal(smsKeyword(body).kind, 'start', body);
    for (const body of ['please stop', 'STOP IT', 'stopp', '']) assert.equal(smsKeyword(body).kind, 'other', body);
  });
});
