import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../../src/kernel/errors.ts';
import { withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { openStockAt, stageRefundMovements, stageSaleMovements } from '../../../src/modules/inventory/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { ownerQuery, type ErrorBody } from '../../support/catalog.ts';
import { balanceMismatches, createLocationVia, newProduct, ok, onHand, outboxEvents, receive, send, systemContext } from './support.ts';

const A = 'tenant-a';
const B = 'tenant-b';

describe('inventory stock ledger', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    // Whatever the tests did, every balance must equal the sum of its ledger.
    assert.deepEqual(await balanceMismatches(t), []);
    await t.close();
  });

  const sell = (tenantId: string, locationId: string, productId: string, quantity: number, reference = `sale-${randomUUID()}`) => {
    const ctx = systemContext(t, tenantId);
    return withTenantTx(ctx, async (uow) => stageSaleMovements(uow, await openStockAt(uow, locationId), { reference, lines: [{ productId, quantity }] }));
  };

  test('receipts, adjustments, sales and refunds move on-hand by their ledger sum', async () => {
    const location = await createLocationVia(t, A);
    const product = await newProduct(t, A);
    await receive(t, A, location.id, product, 10);
    await ok(t, A, 'POST', '/v1/inventory/adjustments', { locationId: location.id, productId: product, quantityDelta: -2, reason: 'damaged' });
    await sell(t.tenantA.id, location.id, product, 3, 'sale-1');
    const ctx = systemContext(t, t.tenantA.id);
    await withTenantTx(ctx, async (uow) => stageRefundMovements(uow, await openStockAt(uow, location.id), { reference: 'refund-1', lines: [{ productId: product, quantity: 1 }] }));
    assert.equal(await onHand(t, location.id, product), 6);

    const movements = await ok<{ kind: string; quantity: number; reference: string | null; reason: string | null }[]>(
      t,
      A,
      'GET',
      `/v1/inventory/locations/${location.id}/products/${product}/movements`,
    );
    assert.deepEqual(
      movements.map(({ kind, quantity }) => [kind, quantity]),
      [
        ['refund', 1],
        ['sale', -3],
        ['adjustment', -2],
        ['receipt', 10],
      ],
    );
    assert.equal(movements[1]?.reference, 'sale-1');
    assert.equal(movements[2]?.reason, 'damaged');
    const stock = await ok<{ productId: string; onHand: number }[]>(t, A, 'GET', `/v1/inventory/locations/${location.id}/stock`);
    assert.deepEqual(stock.map(({ productId, onHand }) => ({ productId, onHand })), [{ productId: product, onHand: 6 }]);
    assert.deepEqual(await balanceMismatches(t), []);

    const audit = await ownerQuery<{ action: string }>(t, "SELECT action FROM audit_event WHERE tenant_id = $1 AND action LIKE 'inventory.stock.%' ORDER BY seq", [t.tenantA.id]);
    for (const action of ['inventory.stock.received', 'inventory.stock.adjusted', 'inventory.stock.sold', 'inventory.stock.refunded'])
      assert.ok(audit.rows.some((row) => row.action === action), `audited ${action}`);
  });

  test('every inventory and locations table is under forced row-level security', async () => {
    const tables = ['inventory_setting', 'inventory_stock', 'inventory_movement', 'inventory_count', 'inventory_count_line', 'inventory_transfer', 'inventory_transfer_line', 'locations_location'];
    const { rows } = await ownerQuery<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      t,
      'SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = ANY($1) ORDER BY relname',
      [tables],
    );
    assert.deepEqual(rows, [...tables].sort().map((relname) => ({ relname, relrowsecurity: true, relforcerowsecurity: true })));
  });

  test('the ledger is append-only for the app role: UPDATE and DELETE fail', async () => {
    const location = await createLocationVia(t, A);
    const product = await newProduct(t, A);
    await receive(t, A, location.id, product, 4);
    const ctx = systemContext(t, t.tenantA.id);
    for (const statement of ['UPDATE inventory_movement SET quantity = 400', 'DELETE FROM inventory_movement', 'TRUNCATE inventory_movement']) {
      await assert.rejects(
        withTenantTx(ctx, (uow) => uow.tx.execute(statement)),
        (error: Error) => /append-only|permission denied/.test(`${error.message} ${String((error as { cause?: Error }).cause?.message)}`),
        statement,
      );
    }
    const { rows } = await ownerQuery<{ quantity: number }>(t, 'SELECT quantity FROM inventory_movement WHERE location_id = $1', [location.id]);
    assert.deepEqual(rows, [{ quantity: 4 }]);
  });

  test('10 parallel sales of the last 3 units: exactly 3 succeed, the rest are CONFLICT INSUFFICIENT_STOCK', async () => {
    const location = await createLocationVia(t, A);
    const product = await newProduct(t, A);
    await receive(t, A, location.id, product, 3);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => sell(t.tenantA.id, location.id, product, 1)));
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    assert.equal(fulfilled.length, 3);
    assert.equal(rejected.length, 7);
    for (const { reason } of rejected) {
      assert.ok(reason instanceof AppError, String(reason));
      assert.equal(reason.code, 'CONFLICT');
      assert.equal(reason.details?.reason, 'INSUFFICIENT_STOCK');
      assert.equal(reason.details?.productId, product);
      assert.equal(reason.details?.locationId, location.id);
      assert.match(reason.message, new RegExp(location.name));
    }
    assert.equal(await onHand(t, location.id, product), 0);
    const { rows } = await ownerQuery<{ n: number }>(t, "SELECT count(*)::int AS n FROM inventory_movement WHERE location_id = $1 AND kind = 'sale'", [location.id]);
    assert.equal(rows[0]?.n, 3);
  });

  test('with negative stock allowed a sale may go below zero; the setting is audited', async () => {
    const location = await createLocationVia(t, B);
    const product = await newProduct(t, B);
    await receive(t, B, location.id, product, 1);
    await assert.rejects(sell(t.tenantB.id, location.id, product, 2), (error: AppError) => error.details?.reason === 'INSUFFICIENT_STOCK');
    assert.deepEqual(await ok(t, B, 'PUT', '/v1/inventory/settings', { allowNegativeStock: true }), { allowNegativeStock: true });
    await sell(t.tenantB.id, location.id, product, 2);
    assert.equal(await onHand(t, location.id, product), -1);
    await ok(t, B, 'PUT', '/v1/inventory/settings', { allowNegativeStock: false });
    const audit = await ownerQuery(t, "SELECT 1 FROM audit_event WHERE tenant_id = $1 AND action = 'inventory.settings.updated'", [t.tenantB.id]);
    assert.equal(audit.rowCount, 2);
  });

  test('a failing line rolls back the whole sale, including lines that had stock', async () => {
    const location = await createLocationVia(t, A);
    const [plenty, scarce] = [await newProduct(t, A), await newProduct(t, A)];
    await receive(t, A, location.id, plenty, 5);
    const ctx = systemContext(t, t.tenantA.id);
    await assert.rejects(
      withTenantTx(ctx, async (uow) =>
        stageSaleMovements(uow, await openStockAt(uow, location.id), { reference: 'sale-x', lines: [{ productId: plenty, quantity: 2 }, { productId: scarce, quantity: 1 }] }),
      ),
      (error: AppError) => error.details?.reason === 'INSUFFICIENT_STOCK' && error.details.productId === scarce,
    );
    assert.equal(await onHand(t, location.id, plenty), 5);
  });

  test('the POS interface refuses a zero or fractional quantity as VALIDATION, not a database error', async () => {
    const location = await createLocationVia(t, A);
    const product = await newProduct(t, A);
    for (const quantity of [0, 1.5, -1])
      await assert.rejects(sell(t.tenantA.id, location.id, product, quantity), (error: AppError) => error.code === 'VALIDATION', String(quantity));
  });

  test('low stock raises inventory.stock.low once per crossing and queues an email to stock readers', async () => {
    const location = await createLocationVia(t, A);
    const product = await newProduct(t, A);
    await receive(t, A, location.id, product, 5);
    await ok(t, A, 'PUT', `/v1/inventory/locations/${location.id}/products/${product}/reorder`, { reorderPoint: 2, reorderQuantity: 10 });
    const lowEvents = async () => (await outboxEvents(t, t.tenantA.id, 'inventory.stock.low')).filter((payload) => payload.productId === product);

    await sell(t.tenantA.id, location.id, product, 3); // 5 → 2: crosses
    assert.equal((await lowEvents()).length, 1);
    assert.equal((await lowEvents())[0]?.onHand, 2);
    await sell(t.tenantA.id, location.id, product, 1); // 2 → 1: still below, no new alert
    assert.equal((await lowEvents()).length, 1);
    await receive(t, A, location.id, product, 5); // 1 → 6: re-armed
    assert.equal((await lowEvents()).length, 1);
    await sell(t.tenantA.id, location.id, product, 4); // 6 → 2: crosses again
    assert.equal((await lowEvents()).length, 2);

    const owner = await t.ownerOf(A);
    const emails = await ownerQuery<{ recipient: string }>(
      t,
      "SELECT recipient FROM notify_delivery WHERE tenant_id = $1 AND template = 'inventory.stock-low' AND data->>'locationName' = $2",
      [t.tenantA.id, location.name],
    );
    assert.deepEqual(emails.rows.map((row) => row.recipient), [owner.email, owner.email]);
    const stock = await ok<{ low: boolean; reorderPoint: number }[]>(t, A, 'GET', `/v1/inventory/locations/${location.id}/stock`);
    assert.deepEqual(stock.map(({ low, reorderPoint }) => ({ low, reorderPoint })), [{ low: true, reorderPoint: 2 }]);
  });

  test("another tenant's location or product is NOT_FOUND exactly like a missing one, and nothing is written", async () => {
    const own = await createLocationVia(t, A);
    const ownProduct = await newProduct(t, A);
    const foreign = await createLocationVia(t, B);
    const foreignProduct = await newProduct(t, B);
    const before = await ownerQuery(t, 'SELECT count(*) FROM inventory_movement');
    const body = async (locationId: string, productId: string) => {
      const response = await send(t, A, 'POST', '/v1/inventory/receipts', { locationId, lines: [{ productId, quantity: 1 }] });
      assert.equal(response.statusCode, 404, response.body);
      return response.json() as ErrorBody;
    };
    assert.deepEqual(await body(foreign.id, ownProduct), await body(randomUUID(), ownProduct));
    assert.deepEqual(await body(own.id, foreignProduct), await body(own.id, randomUUID()));
    const stock = await send(t, A, 'GET', `/v1/inventory/locations/${foreign.id}/stock`);
    const missing = await send(t, A, 'GET', `/v1/inventory/locations/${randomUUID()}/stock`);
    assert.equal(stock.statusCode, 404);
    assert.deepEqual(stock.json(), missing.json());
    await assert.rejects(sell(t.tenantA.id, foreign.id, foreignProduct, 1), (error: AppError) => error.code === 'NOT_FOUND');
    assert.deepEqual((await ownerQuery(t, 'SELECT count(*) FROM inventory_movement')).rows, before.rows);
  });

  test('an archived location takes no stock movements', async () => {
    const location = await createLocationVia(t, A);
    const product = await newProduct(t, A);
    await ok(t, A, 'POST', `/v1/locations/${location.id}/archive`);
    const response = await send(t, A, 'POST', '/v1/inventory/receipts', { locationId: location.id, lines: [{ productId: product, quantity: 1 }] });
    assert.equal(response.statusCode, 409, response.body);
    assert.equal((response.json() as ErrorBody).error.details?.reason, 'LOCATIONS_LOCATION_ARCHIVED');
  });

  test('validation: a zero adjustment, a fractional or negative receipt quantity are 400 and write nothing', async () => {
    const location = await createLocationVia(t, A);
    const product = await newProduct(t, A);
    for (const [url, payload] of [
      ['/v1/inventory/adjustments', { locationId: location.id, productId: product, quantityDelta: 0, reason: 'x' }],
      ['/v1/inventory/adjustments', { locationId: location.id, productId: product, quantityDelta: 1, reason: ' ' }],
      ['/v1/inventory/receipts', { locationId: location.id, lines: [{ productId: product, quantity: 1.5 }] }],
      ['/v1/inventory/receipts', { locationId: location.id, lines: [{ productId: product, quantity: -1 }] }],
      ['/v1/inventory/receipts', { locationId: location.id, lines: [] }],
    ] as const) {
      const response = await send(t, A, 'POST', url, payload);
      assert.equal(response.statusCode, 400, `${url} ${JSON.stringify(payload)}: ${response.body}`);
    }
    assert.equal(await onHand(t, location.id, product), 0);
  });
});
