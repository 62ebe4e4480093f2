import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pairingOf, pairingUrl } from '../../../../src/modules/pos/register/pairing.ts';

describe('handing a paired terminal to the till', () => {
  const pairing = { registerId: '5f0c3a52-8d0e-4c59-9d4a-2b7e1f6c9a10', deviceId: '0b9e7c1d-3f2a-4e5b-8c6d-7a8b9c0d1e2f', deviceSecret: 'a+b/c=d&e_f-g' };

  test('the till URL carries the terminal in its fragment only, and reads back the same', () => {
    const url = new URL(pairingUrl(pairing), 'https://shop.example');
    assert.equal(url.pathname, '/pos/register');
    assert.equal(url.search, '', 'nothing a server would see or log');
    assert.doesNotMatch(url.hash, /a\+b\/c=d&e/, 'the secret is encoded');
    assert.deepEqual(pairingOf(url.hash), pairing);
  });

  test('a fragment without all three parts is no pairing', () => {
    assert.equal(pairingOf(''), null);
    assert.equal(pairingOf('#register=x&terminal=y'), null);
    assert.equal(pairingOf('#main'), null);
  });
});
