import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSetupGate, generateSetupCode } from '../../../src/modules/setup/index.ts';

describe('setup code gate', () => {
  test('codes are three groups of four unambiguous characters, different each time', () => {
    const code = generateSetupCode();
    assert.match(code, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    assert.notEqual(code, generateSetupCode());
  });

  test('the code is accepted in any case and without dashes; another is not', () => {
    const gate = createSetupGate('ABCD-EFGH-JKMN');
    assert.deepEqual(gate.check('abcdefghjkmn'), { ok: true });
    assert.deepEqual(gate.check('ABCD-EFGH-JKMP'), { ok: false, reason: 'wrong' });
  });

  test('five wrong codes in a row pause every attempt for a minute, the right one included', () => {
    const gate = createSetupGate('ABCD-EFGH-JKMN');
    for (let attempt = 0; attempt < 5; attempt += 1) assert.equal(gate.check('nope', 1000).ok, false);
    assert.deepEqual(gate.check('ABCD-EFGH-JKMN', 2000), { ok: false, reason: 'paused', retryAfterSeconds: 59 });
    assert.deepEqual(gate.check('ABCD-EFGH-JKMN', 61_001), { ok: true });
  });
});
