import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkEmittedEvents, emit, type EventInput } from '../../../src/kernel/jobs/index.ts';
import { Journal } from '../../../src/kernel/journal/journal.ts';
import { inventoryEvents } from '../../../src/modules/inventory/index.ts';
import { posEvents } from '../../../src/modules/pos/index.ts';

const TENANT = '5b0f3a0e-3c1d-4d7e-9a55-2f4c7e1b9a01';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A unit of work with nothing but its journal: emit touches no database until commit. */
function unitOfWork() {
  const journal = new Journal();
  const events: { type: string; payload: unknown }[] = [];
  journal.event = (event) => void events.push(event);
  return { uow: { tenantId: TENANT, tx: {} as never, journal, onApply: () => undefined, count: () => 0 }, events };
}

/** What an untyped caller could still pass (the compiler refuses these). */
const untyped = (event: { type: string; payload: Record<string, unknown> }) => event as unknown as EventInput;

const sale = {
  saleId: id(1),
  saleNumber: 'R1-000001',
  registerId: id(2),
  shiftId: id(3),
  locationId: id(4),
  soldAt: '2026-12-07T10:00:00.000Z',
  currency: 'EUR',
  totalMinor: 1190,
  taxMinor: 190,
  tipMinor: 0,
  lines: [{ productId: id(5), quantity: 1 }],
  tenders: [{ kind: 'cash' as const, amountMinor: 1190, chargeId: null }],
};

describe('emit checks payloads against their schemas (tests turn it on: PLINTH_CHECK_EVENTS, NODE_ENV=test)', () => {
  checkEmittedEvents({ ...posEvents, ...inventoryEvents });

  test('a payload its schema accepts goes to the journal as given', () => {
    const { uow, events } = unitOfWork();
    emit(uow, { type: 'pos.sale.completed', payload: sale });
    assert.deepEqual(events.map(({ type, payload }) => ({ type, payload })), [{ type: 'pos.sale.completed', payload: sale }]);
  });

  test('a payload its schema refuses throws, naming the event and the field, and nothing is journalled', () => {
    const { uow, events } = unitOfWork();
    const { saleId: _saleId, ...withoutSale } = sale;
    assert.throws(() => emit(uow, untyped({ type: 'pos.sale.completed', payload: withoutSale })), /Event pos\.sale\.completed: the payload does not match its schema: saleId:/);
    assert.throws(() => emit(uow, untyped({ type: 'inventory.settings.changed', payload: { allowNegativeStock: 'yes' } })), /inventory\.settings\.changed.*allowNegativeStock/);
    assert.deepEqual(events, []);
  });

  test('an event no registered module declares throws', () => {
    const { uow } = unitOfWork();
    assert.throws(() => emit(uow, untyped({ type: 'pos.sale.teleported', payload: {} })), /Event pos\.sale\.teleported is declared by no registered module/);
  });
});
