import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canMove, ENQUIRY_STATUSES, isOpen } from '../../../src/modules/enquiries/domain/enquiry.ts';
import { MAX_FILL_MS, MIN_FILL_MS, spamVerdict } from '../../../src/modules/enquiries/domain/spam-guard.ts';
import { formClock } from '../../../src/modules/enquiries/form-token.ts';

describe('enquiry pipeline', () => {
  test('goes forward one step at a time and closes from any open step', () => {
    assert.ok(canMove('new', 'contacted'));
    assert.ok(canMove('contacted', 'qualified'));
    assert.ok(canMove('qualified', 'converted'));
    for (const open of ['new', 'contacted', 'qualified'] as const) assert.ok(canMove(open, 'closed'), open);
    assert.ok(!canMove('new', 'qualified'));
    assert.ok(!canMove('new', 'converted'));
    assert.ok(!canMove('contacted', 'new'));
  });

  test('converted and closed are final', () => {
    for (const to of ENQUIRY_STATUSES) {
      assert.ok(!canMove('converted', to));
      assert.ok(!canMove('closed', to));
    }
    assert.ok(!isOpen('converted') && !isOpen('closed') && isOpen('new'));
  });
});

describe('spam guard', () => {
  const now = 1_800_000_000_000;
  test('a filled honeypot is a bot however long it waited', () => {
    assert.equal(spamVerdict({ honeypot: 'http://spam.example', shownAt: now - 60_000, now }), 'honeypot');
  });
  test('a form sent sooner than the minimum fill time is too fast; at the minimum it is human', () => {
    assert.equal(spamVerdict({ honeypot: '', shownAt: now - MIN_FILL_MS + 1, now }), 'too-fast');
    assert.equal(spamVerdict({ honeypot: '', shownAt: now - MIN_FILL_MS, now }), 'human');
  });
  test('a missing clock or one older than a day is stale', () => {
    assert.equal(spamVerdict({ honeypot: '', shownAt: undefined, now }), 'stale');
    assert.equal(spamVerdict({ honeypot: '', shownAt: now - MAX_FILL_MS - 1, now }), 'stale');
  });
});

describe('form clock', () => {
  const clock = formClock(Buffer.alloc(32, 7));
  test('answers the time it issued, for the same business only', () => {
    const token = clock.issue('demo-kitchen', 1234567);
    assert.equal(clock.shownAt('demo-kitchen', token), 1234567);
    assert.equal(clock.shownAt('other-kitchen', token), undefined);
  });
  test('refuses a forged or malformed time', () => {
    const [, signature] = clock.issue('demo-kitchen', 1234567).split('.');
    assert.equal(clock.shownAt('demo-kitchen', `1000.${signature}`), undefined);
    assert.equal(clock.shownAt('demo-kitchen', ''), undefined);
    assert.equal(clock.shownAt('demo-kitchen', 'abc.def'), undefined);
    assert.equal(formClock(Buffer.alloc(32, 8)).shownAt('demo-kitchen', clock.issue('demo-kitchen')), undefined);
  });
});
