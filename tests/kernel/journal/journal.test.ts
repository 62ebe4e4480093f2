import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { recordAudit, verifyAuditChain } from '../../../src/kernel/audit/index.ts';
import { type Tx } from '../../../src/kernel/db/index.ts';
import { z } from 'zod';
import { checkEmittedEvents, defineEvents, emit, type PayloadsOf } from '../../../src/kernel/jobs/index.ts';
import { scopeTransactionTo, withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { ownerQuery } from '../../support/catalog.ts';
import { auditRows, contextFor, entry, freshTenant } from '../audit/support.ts';

const thing = z.object({ n: z.number().int().optional(), undone: z.boolean().optional() });
const journalTestEvents = defineEvents({ 'test.thing.made': thing, 'test.thing.sold': thing });

declare module '../../../src/kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof journalTestEvents> {}
}

/** Audit rows and outbox rows of the tenant that the transaction itself can see. */
async function writtenSoFar(tx: Tx, tenantId: string): Promise<{ audits: number; events: number }> {
  const { rows } = await tx.execute<{ audits: number; events: number }>(
    sql`SELECT (SELECT count(*)::int FROM audit_event WHERE tenant_id = ${tenantId}) AS audits, (SELECT count(*)::int FROM jobs_outbox WHERE tenant_id = ${tenantId}) AS events`,
  );
  return rows[0] as { audits: number; events: number };
}

const outboxOf = async (t: TestApp, tenantId: string) =>
  (await ownerQuery<{ id: string; type: string; payload: Record<string, unknown> }>(t, 'SELECT id, type, payload FROM jobs_outbox WHERE tenant_id = $1 ORDER BY occurred_at, type', [tenantId])).rows;

describe('journal: audit entries and events written at the end of a unit of work', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    checkEmittedEvents(journalTestEvents);
  });
  after(() => t.close());

  test('nothing is written while the use case runs; at its end every entry (in order, chain verifying) and event is', async () => {
    const tenant = await freshTenant(t);
    const ctx = contextFor(t, tenant.id);
    const eventIds: string[] = [];
    const during = await withTenantTx(ctx, async (uow) => {
      recordAudit(uow, entry('test.thing.made', 'first', { n: 1 }));
      eventIds.push(emit(uow, { type: 'test.thing.made', payload: { n: 1 } }));
      recordAudit(uow, entry('test.thing.changed', 'second', { n: 2 }));
      recordAudit(uow, entry('test.thing.sold', 'third', { n: 3 }));
      eventIds.push(emit(uow, { type: 'test.thing.sold', payload: { n: 3 } }));
      return writtenSoFar(uow.tx, tenant.id);
    });
    assert.deepEqual(during, { audits: 0, events: 0 });

    const rows = await auditRows(t, tenant.id);
    assert.deepEqual(rows.map((row) => [row.seq, row.action, row.target_id, row.data]), [
      [1, 'test.thing.made', 'first', { n: 1 }],
      [2, 'test.thing.changed', 'second', { n: 2 }],
      [3, 'test.thing.sold', 'third', { n: 3 }],
    ]);
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), { ok: true, entries: 3 });
    const events = await outboxOf(t, tenant.id);
    assert.deepEqual(new Set(events.map((event) => event.id)), new Set(eventIds), 'each event under the id emit answered');
    assert.deepEqual(events.map((event) => [event.type, event.payload]).sort(), [
      ['test.thing.made', { n: 1 }],
      ['test.thing.sold', { n: 3 }],
    ]);
  });

  test('the next use case appends after the entries a journal wrote', async () => {
    const tenant = await freshTenant(t);
    const ctx = contextFor(t, tenant.id);
    await withTenantTx(ctx, async (uow) => {
      recordAudit(uow, entry('test.thing.made', 'a'));
      recordAudit(uow, entry('test.thing.made', 'b'));
    });
    await withTenantTx(ctx, async (uow) => recordAudit(uow, entry('test.thing.made', 'c')));
    assert.deepEqual((await auditRows(t, tenant.id)).map((row) => [row.seq, row.target_id]), [[1, 'a'], [2, 'b'], [3, 'c']]);
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), { ok: true, entries: 3 });
  });

  test('a use case that throws writes no entry and no event', async () => {
    const tenant = await freshTenant(t);
    const ctx = contextFor(t, tenant.id);
    await assert.rejects(
      withTenantTx(ctx, async (uow) => {
        recordAudit(uow, entry('test.thing.made', 'lost'));
        emit(uow, { type: 'test.thing.made', payload: {} });
        throw new Error('the use case fails');
      }),
      /the use case fails/,
    );
    assert.deepEqual(await auditRows(t, tenant.id), []);
    assert.deepEqual(await outboxOf(t, tenant.id), []);
  });

  test('a unit of work nested in another (a savepoint) writes its journal when it ends and rolls back alone; the outer journal keeps what was recorded around it', async () => {
    const tenant = await freshTenant(t);
    const ctx = contextFor(t, tenant.id);
    const seen = await withTenantTx(ctx, async (uow) => {
      recordAudit(uow, entry('test.thing.made', 'before'));
      let insideFailing = { audits: -1, events: -1 };
      await assert.rejects(
        withTenantTx({ ...ctx, db: uow.tx }, async (nested) => {
          recordAudit(nested, entry('test.thing.made', 'undone'));
          emit(nested, { type: 'test.thing.made', payload: { undone: true } });
          insideFailing = await writtenSoFar(nested.tx, tenant.id);
          throw new Error('the savepoint fails');
        }),
        /the savepoint fails/,
      );
      await withTenantTx({ ...ctx, db: uow.tx }, async (nested) => recordAudit(nested, entry('test.thing.made', 'nested')));
      const afterNested = await writtenSoFar(uow.tx, tenant.id);
      recordAudit(uow, entry('test.thing.made', 'after'));
      return { insideFailing, afterNested };
    });
    assert.deepEqual(seen.insideFailing, { audits: 0, events: 0 }, 'kept in the nested journal while it runs');
    assert.deepEqual(seen.afterNested, { audits: 1, events: 0 }, 'the nested journal written when it ended');
    assert.deepEqual((await auditRows(t, tenant.id)).map((row) => row.target_id), ['nested', 'before', 'after']);
    assert.deepEqual(await outboxOf(t, tenant.id), []);
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), { ok: true, entries: 3 });
  });

  test('scoping the transaction to another tenant first writes what was recorded under the earlier scope', async () => {
    const first = await freshTenant(t);
    const second = await freshTenant(t);
    await withTenantTx(contextFor(t, first.id), async (uow) => {
      recordAudit(uow, entry('test.thing.made', 'in-first'));
      emit(uow, { type: 'test.thing.made', payload: {} });
      const inSecond = await scopeTransactionTo(uow, second.id);
      recordAudit(inSecond, entry('test.thing.made', 'in-second'));
    });
    assert.deepEqual((await auditRows(t, first.id)).map((row) => row.target_id), ['in-first']);
    assert.deepEqual((await auditRows(t, second.id)).map((row) => row.target_id), ['in-second']);
    assert.equal((await outboxOf(t, first.id)).length, 1);
  });

  test('recording after its unit of work ended is refused, never silently dropped', async () => {
    const tenant = await freshTenant(t);
    const ended = await withTenantTx(contextFor(t, tenant.id), async (uow) => uow);
    assert.throws(() => recordAudit(ended, entry('test.thing.made', 'late')), /after its unit of work ended/);
    assert.throws(() => emit(ended, { type: 'test.thing.made', payload: {} }), /after its unit of work ended/);
    assert.deepEqual(await auditRows(t, tenant.id), []);
  });

  test('parallel use cases of one tenant each append their whole journal: one gapless chain', async () => {
    const tenant = await freshTenant(t);
    const ctx = contextFor(t, tenant.id);
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        withTenantTx(ctx, async (uow) => {
          recordAudit(uow, entry('test.thing.made', `u${index}-1`));
          recordAudit(uow, entry('test.thing.made', `u${index}-2`));
        }),
      ),
    );
    const rows = await auditRows(t, tenant.id);
    assert.deepEqual(rows.map((row) => row.seq), Array.from({ length: 20 }, (_, index) => index + 1));
    rows.forEach((row, index) => {
      // A use case's two entries sit next to each other: its journal appends them under one lock.
      if (row.target_id.endsWith('-1')) assert.equal(rows[index + 1]?.target_id, row.target_id.replace(/-1$/, '-2'));
    });
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), { ok: true, entries: 20 });
  });
});
