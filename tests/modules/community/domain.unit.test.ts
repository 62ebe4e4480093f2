import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { afterFailure, afterSend, codeMatches, CODE_POLICY, hashCode, newCode, sendWait } from '../../../src/modules/community/domain/credential.ts';
import { inviteRefusal } from '../../../src/modules/community/domain/invite.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 7, 12) + seconds * 1000);
const key = Buffer.from('a test key of some length');

describe('invite usability', () => {
  const invite = { uses: 0, maxUses: 2, expiresAt: at(60), revokedAt: null };
  test('usable until used up, expired or withdrawn', () => {
    assert.equal(inviteRefusal(invite, at(0)), undefined);
    assert.equal(inviteRefusal({ ...invite, uses: 2 }, at(0)), 'exhausted');
    assert.equal(inviteRefusal(invite, at(60)), 'expired');
    assert.equal(inviteRefusal({ ...invite, revokedAt: at(1) }, at(2)), 'revoked');
  });
});

describe('sign-in codes', () => {
  test('six digits, hashed per credential', () => {
    const code = newCode();
    assert.match(code, /^\d{6}$/);
    const stored = hashCode(key, 'credential-1', code);
    assert.ok(codeMatches(key, 'credential-1', code, stored));
    assert.ok(!codeMatches(key, 'credential-2', code, stored), 'a code is bound to its credential');
    assert.ok(!codeMatches(key, 'credential-1', code === '000000' ? '000001' : '000000', stored));
  });

  test('one send a minute, five an hour, none while locked', () => {
    let counters = { codesSent: 0, sendWindowStartedAt: null as Date | null, lastCodeSentAt: null as Date | null, lockedUntil: null as Date | null };
    assert.equal(sendWait(counters, at(0)), 0);
    counters = { ...counters, ...afterSend(counters, at(0)) };
    assert.equal(sendWait(counters, at(10)), CODE_POLICY.resendAfterSeconds - 10);
    for (let minute = 1; minute < CODE_POLICY.maxSendsPerWindow; minute++) {
      assert.equal(sendWait(counters, at(minute * 60)), 0);
      counters = { ...counters, ...afterSend(counters, at(minute * 60)) };
    }
    assert.equal(counters.codesSent, CODE_POLICY.maxSendsPerWindow);
    assert.equal(sendWait(counters, at(10 * 60)), CODE_POLICY.sendWindowSeconds - 10 * 60, 'the sixth waits for the window to end');
    assert.equal(sendWait(counters, at(CODE_POLICY.sendWindowSeconds)), 0);
    assert.equal(afterSend(counters, at(CODE_POLICY.sendWindowSeconds)).codesSent, 1, 'a new window');
    assert.equal(sendWait({ ...counters, lockedUntil: at(4000) }, at(3990)), 10);
  });

  test('the fifth wrong code locks for 15 minutes', () => {
    let failed = 0;
    for (let attempt = 1; attempt < CODE_POLICY.maxFailedAttempts; attempt++) {
      const outcome = afterFailure(failed, at(0));
      assert.equal(outcome.lockedUntil, null);
      failed = outcome.failedAttempts;
    }
    assert.deepEqual(afterFailure(failed, at(0)), { failedAttempts: 0, lockedUntil: at(CODE_POLICY.lockSeconds) });
  });
});
