import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseOptions } from '@node-rs/argon2';
import { checkPassword, DEFAULT_PASSWORD_POLICY } from '../../../src/kernel/identity/domain/password-policy.ts';
import { hashSecret as hashPassword, needsRehash, verifySecret as verifyPassword } from '../../../src/kernel/identity/hash.ts';

const policy = DEFAULT_PASSWORD_POLICY;
const about = { email: 'margot.lindqvist@example.test', displayName: 'Margot Lindqvist' };

describe('checkPassword', () => {
  test('the defaults are 12 to 256 characters with the common-password list on', () => {
    assert.deepEqual(DEFAULT_PASSWORD_POLICY, { minLength: 12, maxLength: 256, rejectCommon: true });
  });

  test('a long, unusual password has no problems', () => {
    assert.deepEqual(checkPassword('violet-harbour-lantern', policy, about), []);
  });

  test('too short and too long are named with the limits', () => {
    assert.deepEqual(checkPassword('short-pw', policy), ['Use at least 12 characters.']);
    assert.deepEqual(checkPassword('x'.repeat(257), policy), ['Use at most 256 characters.']);
    assert.deepEqual(checkPassword('x'.repeat(256).replace(/^x{4}/, 'ab9!'), policy), []);
  });

  test('length counts characters, not UTF-16 units', () => {
    const elevenEmoji = '🔑🔒🔓🗝🚪🏠🌳🌊🔥🌙⭐';
    assert.equal([...elevenEmoji].length, 11);
    assert.deepEqual(checkPassword(elevenEmoji, policy), ['Use at least 12 characters.']);
  });

  test('the email local part is refused, alone or inside the password, in any case', () => {
    assert.deepEqual(checkPassword('Margot.Lindqvist', policy, about), ['Do not use your email address in your password.']);
    assert.deepEqual(checkPassword('xx-margot.lindqvist-2026', policy, about), ['Do not use your email address in your password.']);
  });

  test('a very short local part only counts when it is the whole password', () => {
    const shortAbout = { email: 'al@example.test' };
    assert.deepEqual(checkPassword('always-calm-river', policy, shortAbout), []);
  });

  test('the display name is refused too, spaces ignored', () => {
    assert.deepEqual(checkPassword('MargotLindqvist99', policy, { displayName: 'Margot Lindqvist' }), ['Do not use your name in your password.']);
  });

  test('a password from the breached list is refused case-insensitively; the check can be switched off', () => {
    const problem = ['This password is too common: it appears in lists of leaked passwords.'];
    assert.deepEqual(checkPassword('qwertyuiop123', policy), problem);
    assert.deepEqual(checkPassword('QWERTYUIOP123', policy), problem);
    assert.deepEqual(checkPassword('password1234', policy), problem);
    assert.deepEqual(checkPassword('password1234', { ...policy, rejectCommon: false }), []);
  });

  test('every problem is listed at once', () => {
    assert.equal(checkPassword('margot', policy, about).length, 2);
  });
});

describe('argon2id hashing', () => {
  test('a hash verifies its password and no other', async () => {
    const hash = await hashPassword('violet-harbour-lantern');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword(hash, 'violet-harbour-lantern'), true);
    assert.equal(await verifyPassword(hash, 'violet-harbour-lanterN'), false);
    assert.notEqual(await hashPassword('violet-harbour-lantern'), hash, 'each hash has its own salt');
  });

  test('Unicode is compared in NFKC: a composed and a decomposed é are the same password', async () => {
    const hash = await hashPassword('caf\u00e9-on-the-corner');
    assert.equal(await verifyPassword(hash, 'cafe\u0301-on-the-corner'), true);
  });

  test('a malformed stored hash fails verification instead of throwing', async () => {
    assert.equal(await verifyPassword('not-a-hash', 'anything'), false);
  });

  test('needsRehash is false for current parameters and true for others', async () => {
    const hash = await hashPassword('violet-harbour-lantern');
    assert.equal(parseOptions(hash).memoryCost, 19_456);
    assert.equal(needsRehash(hash), false);
    assert.equal(needsRehash(hash.replace('m=19456,t=2', 'm=19456,t=1')), true);
    assert.equal(needsRehash('garbage'), true);
  });
});
