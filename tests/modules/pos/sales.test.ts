import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createFakePayments, PaymentsError, type PaymentsProvider } from '../../../src/kernel/payments/index.ts';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { refundSale, submitSale } from '../../../src/modules/pos/index.ts';
import { saleInput } from '../../../src/modules/pos/domain/schemas.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { auditCount, call, cashSale, countRows, newStaff, ok, onHand, openTill, outboxCount, type Headers } from './support.ts';

interface SaleBody {
  id: string;
  saleNumber: string;
  status: string;
  totalMinor: number;
  taxMinor: number;
  changeMinor: number;
  lines: { lineNo: number; quantity: number; totalMinor: number; taxMinor: number; refundedQuantity: number }[];
  tenders: { kind: string; amountMinor: number; chargeId: string | null; refundedMinor: number }[];
  taxes: { code: string; taxMinor: number }[];
}
interface RefundBody {
  id: string;
  amountMinor: number;
  cardStatus: string;
  tenders: { kind: string; amountMinor: number }[];
}
interface ErrorBody {
  error: { code: string; details?: Record<string, unknown> };
}

describe('POS sales, dedupe, stock and refunds', () => {
  let t: TestApp;
  let owner: Headers;

  before(async () => {
    t = await startTestApp();
    owner = await t.headersFor('tenant-a');
  });
  after(() => t.close());

  const post = (url: string, body: unknown, headers: Headers = owner) => call(t, headers, 'POST', url, body);

  test('a sale is priced on the server, deducts stock, is audited and emitted once', async () => {
    const till = await openTill(t, owner);
    const body = cashSale(till, {
      lines: [
        { productId: till.productId, quantity: 2, modifiers: [{ name: 'Oat milk', priceDeltaMinor: 50 }] },
        { productId: till.otherProductId, quantity: 1, taxCode: 'RED' },
      ],
      tenders: [{ kind: 'cash', amountMinor: 2000 }],
      expectedTotalMinor: 1300,
    });
    const response = await post('/v1/pos/sales', body);
    assert.equal(response.statusCode, 201, response.body);
    const sale = (response.json() as { data: SaleBody }).data;
    assert.equal(sale.totalMinor, 950 + 350);
    assert.equal(sale.changeMinor, 700);
    assert.deepEqual(sale.taxes.map((tax) => [tax.code, tax.taxMinor]), [['RED', 23], ['STD', 152]]);
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 8);
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.otherProductId), 9);
    assert.equal(await auditCount(t, t.tenantA.id, 'pos.sale.completed', sale.id), 1);
    assert.equal(await outboxCount(t, t.tenantA.id, 'pos.sale.completed', 'saleId', sale.id), 1);
  });

  test('a client total that differs from the server total is refused with both', async () => {
    const till = await openTill(t, owner);
    const response = await post('/v1/pos/sales', cashSale(till, { expectedTotalMinor: 400 }));
    assert.equal(response.statusCode, 409, response.body);
    assert.deepEqual((response.json() as ErrorBody).error.details, { reason: 'POS_TOTAL_MISMATCH', serverTotalMinor: 425, clientTotalMinor: 400 });
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 10);
  });

  test('re-sending a sale answers the original; parallel duplicates make one sale, one deduction, one audit row, one event', async () => {
    const till = await openTill(t, owner);
    const body = cashSale(till, { tenders: [{ kind: 'card', amountMinor: 425 }] });
    const answers = await Promise.all(Array.from({ length: 5 }, () => post('/v1/pos/sales', body)));
    const statuses = answers.map((answer) => answer.statusCode).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 201], answers.map((answer) => answer.body).join('\n'));
    const ids = new Set(answers.map((answer) => (answer.json() as { data: SaleBody }).data.saleNumber));
    assert.equal(ids.size, 1);
    const again = await post('/v1/pos/sales', body);
    assert.equal(again.statusCode, 200);
    assert.equal(await countRows(t, 'SELECT count(*)::int AS n FROM pos_sale WHERE tenant_id = $1 AND id = $2', [t.tenantA.id, body.id]), 1);
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 9);
    assert.equal(await auditCount(t, t.tenantA.id, 'pos.sale.completed', body.id as string), 1);
    assert.equal(await outboxCount(t, t.tenantA.id, 'pos.sale.completed', 'saleId', body.id as string), 1);
    assert.equal(await countRows(t, `SELECT count(*)::int AS n FROM inventory_movement WHERE tenant_id = $1 AND reference = $2`, [t.tenantA.id, `pos.sale:${body.id}`]), 1);
    // One card charge for the sale, whatever the number of submits.
    assert.equal(await countRows(t, `SELECT count(*)::int AS n FROM payments_charge WHERE tenant_id = $1 AND operation_key LIKE $2`, [t.tenantA.id, `pos.sale:${body.id}:%`]), 1);
  });

  test('the same id with other content is a CONFLICT and changes nothing', async () => {
    const till = await openTill(t, owner);
    const body = cashSale(till);
    assert.equal((await post('/v1/pos/sales', body)).statusCode, 201);
    const other = await post('/v1/pos/sales', { ...body, lines: [{ productId: till.productId, quantity: 2 }], tenders: [{ kind: 'cash', amountMinor: 850 }] });
    assert.equal(other.statusCode, 409, other.body);
    assert.equal((other.json() as ErrorBody).error.details?.reason, 'POS_SALE_ID_REUSED');
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 9);
  });

  test('concurrent sales of the last unit never drive stock negative', async () => {
    const till = await openTill(t, owner, { stock: 1 });
    const answers = await Promise.all(Array.from({ length: 4 }, () => post('/v1/pos/sales', cashSale(till))));
    const statuses = answers.map((answer) => answer.statusCode).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409], answers.map((answer) => answer.body).join('\n'));
    for (const refused of answers.filter((answer) => answer.statusCode === 409)) assert.equal((refused.json() as ErrorBody).error.details?.reason, 'INSUFFICIENT_STOCK');
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 0);
    assert.equal(await countRows(t, 'SELECT count(*)::int AS n FROM pos_sale WHERE tenant_id = $1 AND register_id = $2', [t.tenantA.id, till.registerId]), 1);
  });

  test('a card sale refused for stock refunds its card charge (compensation)', async () => {
    const till = await openTill(t, owner, { stock: 0 });
    const body = cashSale(till, { tenders: [{ kind: 'card', amountMinor: 425 }] });
    const response = await post('/v1/pos/sales', body);
    assert.equal(response.statusCode, 409, response.body);
    const { rows } = await t.database.pool.query<{ amount_minor: number; refunded_minor: number }>(
      'SELECT amount_minor::int, refunded_minor::int FROM payments_charge WHERE tenant_id = $1 AND operation_key LIKE $2',
      [t.tenantA.id, `pos.sale:${body.id}:%`],
    );
    assert.deepEqual(rows, [{ amount_minor: 425, refunded_minor: 425 }]);
  });

  test('sale → stock deducted → refund → stock restored, with audit entries and outbox events', async () => {
    const till = await openTill(t, owner);
    const sale = await ok<SaleBody>(post('/v1/pos/sales', cashSale(till, { tenders: [{ kind: 'card', amountMinor: 1275 }] }, 3)));
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 7);
    const first = await post(`/v1/pos/sales/${sale.id}/refunds`, { id: randomUUID(), registerId: till.registerId, reason: 'Cold coffee', lines: [{ lineNo: 1, quantity: 1 }] });
    assert.equal(first.statusCode, 201, first.body);
    const refund = (first.json() as { data: RefundBody }).data;
    assert.equal(refund.amountMinor, 425);
    assert.equal(refund.cardStatus, 'succeeded');
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 8);
    assert.equal(await auditCount(t, t.tenantA.id, 'pos.sale.refunded', sale.id), 1);
    assert.equal(await outboxCount(t, t.tenantA.id, 'pos.sale.refunded', 'refundId', refund.id), 1);
    const after = await ok<SaleBody>(call(t, owner, 'GET', `/v1/pos/sales/${sale.id}`));
    assert.equal(after.lines[0]?.refundedQuantity, 1);
    // The rest, then nothing more.
    const rest = await ok<RefundBody>(post(`/v1/pos/sales/${sale.id}/refunds`, { id: randomUUID(), registerId: till.registerId, reason: 'Changed mind' }));
    assert.equal(rest.amountMinor, 850);
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 10);
    const more = await post(`/v1/pos/sales/${sale.id}/refunds`, { id: randomUUID(), registerId: till.registerId, reason: 'Again' });
    assert.equal(more.statusCode, 409);
    const chargeId = after.tenders[0]?.chargeId;
    const { rows } = await t.database.pool.query<{ refunded_minor: number }>('SELECT refunded_minor::int FROM payments_charge WHERE id = $1', [chargeId]);
    assert.equal(rows[0]?.refunded_minor, 1275);
  });

  test('parallel refunds of one sale never return more than was captured', async () => {
    const till = await openTill(t, owner);
    const sale = await ok<SaleBody>(post('/v1/pos/sales', cashSale(till, { tenders: [{ kind: 'card', amountMinor: 850 }] }, 2)));
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(`/v1/pos/sales/${sale.id}/refunds`, { id: randomUUID(), registerId: till.registerId, reason: 'Parallel', lines: [{ lineNo: 1, quantity: 1 }] })));
    const succeeded = answers.filter((answer) => answer.statusCode === 201);
    assert.equal(succeeded.length, 2, answers.map((answer) => `${answer.statusCode} ${answer.body}`).join('\n'));
    for (const refused of answers.filter((answer) => answer.statusCode !== 201)) assert.equal(refused.statusCode, 409);
    const chargeId = sale.tenders[0]?.chargeId;
    const { rows } = await t.database.pool.query<{ amount_minor: number; refunded_minor: number }>('SELECT amount_minor::int, refunded_minor::int FROM payments_charge WHERE id = $1', [chargeId]);
    assert.deepEqual(rows, [{ amount_minor: 850, refunded_minor: 850 }]);
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 10);
  });

  test('a re-sent refund answers the first one and refunds nothing more', async () => {
    const till = await openTill(t, owner);
    const sale = await ok<SaleBody>(post('/v1/pos/sales', cashSale(till, { tenders: [{ kind: 'card', amountMinor: 850 }] }, 2)));
    const body = { id: randomUUID(), registerId: till.registerId, reason: 'Once', lines: [{ lineNo: 1, quantity: 1 }] };
    const answers = await Promise.all([post(`/v1/pos/sales/${sale.id}/refunds`, body), post(`/v1/pos/sales/${sale.id}/refunds`, body)]);
    assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [200, 201], answers.map((answer) => answer.body).join('\n'));
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 9);
  });

  test('split tender and vouchers: the voucher is spent and credited back on a void', async () => {
    const till = await openTill(t, owner);
    const code = `GIFT-${randomUUID().slice(0, 8)}`;
    await ok(post('/v1/pos/vouchers', { code, currency: 'EUR', amountMinor: 500 }));
    const sale = await ok<SaleBody>(post('/v1/pos/sales', cashSale(till, { tenders: [{ kind: 'voucher', code, amountMinor: 500 }, { kind: 'cash', amountMinor: 500 }] }, 2)));
    assert.deepEqual(sale.tenders.map((tender) => [tender.kind, tender.amountMinor]), [['voucher', 500], ['cash', 350]]);
    assert.equal(sale.changeMinor, 150);
    assert.equal((await ok<{ balanceMinor: number }>(call(t, owner, 'GET', `/v1/pos/vouchers/${code}`))).balanceMinor, 0);
    const overspend = await post('/v1/pos/sales', cashSale(till, { tenders: [{ kind: 'voucher', code, amountMinor: 425 }] }));
    assert.equal(overspend.statusCode, 409);
    const voided = await ok<RefundBody>(post(`/v1/pos/sales/${sale.id}/void`, { id: randomUUID(), registerId: till.registerId, reason: 'Rang up wrong' }));
    assert.equal(voided.amountMinor, 850);
    assert.deepEqual(voided.tenders.map((tender) => [tender.kind, tender.amountMinor]), [['voucher', 500], ['cash', 350]]);
    assert.equal((await ok<{ balanceMinor: number }>(call(t, owner, 'GET', `/v1/pos/vouchers/${code}`))).balanceMinor, 500);
    assert.equal((await ok<SaleBody>(call(t, owner, 'GET', `/v1/pos/sales/${sale.id}`))).status, 'voided');
    assert.equal(await auditCount(t, t.tenantA.id, 'pos.sale.voided', sale.id), 1);
  });

  test('an offline sale keeps its original time; a time before the shift or in the future is refused', async () => {
    const till = await openTill(t, owner);
    const soldAt = new Date(Date.now() - 60_000).toISOString();
    const sale = await ok<SaleBody & { soldAt: string; receivedAt: string }>(post('/v1/pos/sales', cashSale(till, { soldAt })));
    assert.equal(sale.soldAt, soldAt);
    assert.ok(sale.receivedAt > sale.soldAt);
    for (const bad of [new Date(Date.now() + 3_600_000), new Date(Date.now() - 3_600_000)]) {
      const response = await post('/v1/pos/sales', cashSale(till, { soldAt: bad.toISOString() }));
      assert.equal(response.statusCode, 400, response.body);
      assert.equal((response.json() as ErrorBody).error.details?.reason, 'POS_SOLD_AT_INVALID');
    }
  });

  test('tenders must settle the amount due; only cash gives change', async () => {
    const till = await openTill(t, owner);
    for (const tenders of [[{ kind: 'cash', amountMinor: 424 }], [{ kind: 'card', amountMinor: 500 }]]) {
      const response = await post('/v1/pos/sales', cashSale(till, { tenders }));
      assert.equal(response.statusCode, 400, response.body);
      assert.equal((response.json() as ErrorBody).error.details?.reason, 'POS_TENDERS_MISMATCH');
    }
    assert.equal(await countRows(t, 'SELECT count(*)::int AS n FROM payments_charge WHERE tenant_id = $1 AND amount_minor = 500', [t.tenantA.id]), 0, 'no card was charged for a refused sale');
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 10);
  });

  test('an offline sale for a closed shift is refused, and accepted late with a manager override', async () => {
    const till = await openTill(t, owner);
    const body = cashSale(till, { soldAt: new Date(Date.now() - 1000).toISOString() });
    await ok(post(`/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 10_000 }));
    const cashier = await t.headersAs(await newStaff(t, t.tenantA, ['pos.sale.create']), t.tenantA.id);
    const refused = await post('/v1/pos/sales', body, cashier);
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal((refused.json() as ErrorBody).error.details?.permission, 'pos.sale.late');
    const ownerUser = await t.ownerOf('tenant-a');
    await call(t, owner, 'PUT', '/v1/me/pin', { pin: '482913' });
    const accepted = await post('/v1/pos/sales', { ...body, override: { userId: ownerUser.userId, pin: '482913' } }, cashier);
    assert.equal(accepted.statusCode, 201, accepted.body);
    const report = await ok<{ sales: { count: number; lateCount: number } }>(call(t, owner, 'GET', `/v1/pos/shifts/${till.shiftId}/report`));
    assert.deepEqual([report.sales.count, report.sales.lateCount], [1, 1]);
  });

  test('a card refund the provider fails is recorded as failed, and re-sending the same refund retries only the card step', async () => {
    const till = await openTill(t, owner);
    const ownerId = (await t.ownerOf('tenant-a')).userId;
    const ctx: ServiceContext = { db: t.app.db, tenantId: t.tenantA.id, actor: { kind: 'user', userId: ownerId, sessionId: 'test' }, requestId: 'pos-card-refund', log: createLogger('silent') };
    const fake = createFakePayments();
    let down = true;
    const flaky: PaymentsProvider = {
      ...fake,
      refund: (input) => (down ? Promise.reject(new PaymentsError('provider timed out', 'fake', true)) : fake.refund(input)),
    };
    // Through the route's own schema, as a request would be (defaults filled in).
    const input = saleInput.parse(cashSale(till, { tenders: [{ kind: 'card', amountMinor: 850 }] }, 2));
    const { sale } = await submitSale(ctx, { payments: fake }, input);
    const refundBody = { id: randomUUID(), registerId: till.registerId, reason: 'Provider down' };
    const failed = await refundSale(ctx, { payments: flaky }, sale.id, refundBody, 'refund');
    assert.equal(failed.refund.cardStatus, 'failed');
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 10, 'stock is back whatever the provider says');
    down = false;
    const retried = await refundSale(ctx, { payments: flaky }, sale.id, refundBody, 'refund');
    assert.equal(retried.created, false);
    assert.equal(retried.refund.cardStatus, 'succeeded');
    assert.equal(await onHand(t, t.tenantA.id, till.locationId, till.productId), 10, 'the retry moved no stock');
    const { rows } = await t.database.pool.query<{ refunded_minor: number }>('SELECT refunded_minor::int FROM payments_charge WHERE id = $1', [sale.tenders[0]?.chargeId]);
    assert.equal(rows[0]?.refunded_minor, 850);
    assert.equal(await auditCount(t, t.tenantA.id, 'pos.refund.card_failed', sale.id), 1);
    assert.equal(await auditCount(t, t.tenantA.id, 'pos.refund.card_succeeded', sale.id), 1);
  });
});
