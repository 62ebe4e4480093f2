import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actorLabel } from '../../../../src/kernel/context.ts';
import { describeActor, parseActorLabel } from '../../../../src/kernel/identity/domain/actor-label.ts';

const anna = '0b7c6a1e-3f0a-4c55-9a43-2f1d8e6b7c01';
const till = '5d2e9f10-8c4b-4a7e-b1f2-0e9d8c7b6a54';
const users = new Map([[anna, 'Anna Berg']]);
const devices = new Map([[till, 'Front till']]);
const described = (label: string) => describeActor(parseActorLabel(label), users, devices);

test('every actor label names a person, a terminal or the system in words', () => {
  assert.equal(described(actorLabel({ kind: 'user', userId: anna, sessionId: 's' })), 'Anna Berg');
  assert.equal(described(actorLabel({ kind: 'api', userId: anna, tokenFamilyId: 'f' })), 'Anna Berg (API token)');
  assert.equal(described(actorLabel({ kind: 'device', deviceId: till, staffUserId: anna })), 'Anna Berg at Front till');
  assert.equal(described(actorLabel({ kind: 'device', deviceId: till, staffUserId: null })), 'Terminal Front till');
  assert.equal(described(actorLabel({ kind: 'system', process: 'demo-seed' })), 'Plinth (demo seed)');
  assert.equal(described(actorLabel({ kind: 'anonymous' })), 'Someone not signed in');
});

test('a person or terminal no longer there, or a label of no known shape, is never shown by id', () => {
  const gone = '9f9f9f9f-1111-4222-8333-444455556666';
  for (const label of [`user:${gone}`, `device:${gone}/staff:${gone}`, `weird:${gone}`]) assert.doesNotMatch(described(label), /[0-9a-f]{8}-/);
  assert.equal(described(`user:${gone}`), 'A former user');
});
