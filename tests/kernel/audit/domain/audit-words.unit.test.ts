import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actionWords, entityWords, subjectOf } from '../../../../src/kernel/audit/domain/audit-words.ts';

test('actions and record kinds read as words', () => {
  assert.equal(actionWords('catalog.product.created'), 'Product created');
  assert.equal(actionWords('access.member.roles_changed'), 'Member roles changed');
  assert.equal(actionWords('reopen'), 'Reopen');
  assert.equal(entityWords('catalog.product'), 'Product');
  assert.equal(entityWords('pos.cash_movement'), 'Cash movement');
  assert.equal(entityWords('member'), 'Member');
});

test('the record is called by the name its entry gives it, its new name after a rename, never an id', () => {
  assert.equal(subjectOf({ product: { name: 'Claw hammer', sku: 'HW-1' } }), 'Claw hammer');
  assert.equal(subjectOf({ changes: { name: { before: 'Old', after: 'New' } } }), 'New');
  assert.equal(subjectOf({ title: 'Welcome' }), 'Welcome');
  assert.equal(subjectOf({ reference: '5d2e9f10-8c4b-4a7e-b1f2-0e9d8c7b6a54' }), undefined);
  assert.equal(subjectOf({ quantity: 3 }), undefined);
});
