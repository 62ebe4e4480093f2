import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { recordAudit, verifyAuditChain } from '../../../src/kernel/audit/index.ts';
import { withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { ownerQuery } from '../../support/catalog.ts';
import { appendEntries, auditRows, contextFor, entry, freshTenant, tamper } from './support.ts';

const APPEND_ONLY = /audit_event is append-only/;

describe('audit_event is append-only and verify finds the first broken link', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  async function chainOf(length: number) {
    const tenant = await freshTenant(t);
    const recorded = await appendEntries(
      contextFor(t, tenant.id),
      Array.from({ length }, (_, index) => entry('test.thing.made', `t${index + 1}`, { n: index + 1 })),
    );
    return { tenant, recorded };
  }

  test('UPDATE, DELETE (even of no row) and TRUNCATE through the app role are rejected by the trigger', async () => {
    const { tenant } = await chainOf(2);
    const ctx = contextFor(t, tenant.id);
    const before = await auditRows(t, tenant.id);
    for (const statement of [
      sql`UPDATE audit_event SET data = '{"n": 99}' WHERE seq = 1`,
      sql`DELETE FROM audit_event WHERE seq = 2`,
      sql`DELETE FROM audit_event WHERE seq = 12345`,
    ]) {
      await assert.rejects(withTenantTx(ctx, (uow) => uow.tx.execute(statement)), (error: Error) => APPEND_ONLY.test(String(error.cause ?? error)));
    }
    // The app role is not even granted TRUNCATE; either way the rows stay.
    await assert.rejects(withTenantTx(ctx, (uow) => uow.tx.execute(sql`TRUNCATE audit_event`)));
    assert.deepEqual(await auditRows(t, tenant.id), before);
  });

  test('UPDATE, DELETE and TRUNCATE by the owner are rejected by the trigger too', async () => {
    const { tenant } = await chainOf(2);
    const before = await auditRows(t, tenant.id);
    await assert.rejects(ownerQuery(t, `UPDATE audit_event SET actor = 'someone else' WHERE tenant_id = $1`, [tenant.id]), /append-only: UPDATE/);
    await assert.rejects(ownerQuery(t, 'DELETE FROM audit_event WHERE tenant_id = $1', [tenant.id]), /append-only: DELETE/);
    await assert.rejects(ownerQuery(t, 'TRUNCATE audit_event'), /append-only: TRUNCATE/);
    assert.deepEqual(await auditRows(t, tenant.id), before);
  });

  test("changing one entry's data behind the trigger is reported at exactly that seq", async () => {
    const { tenant, recorded } = await chainOf(5);
    await tamper(t, `UPDATE audit_event SET data = '{"n": 300}' WHERE tenant_id = $1 AND seq = 3`, [tenant.id]);
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), {
      ok: false,
      brokenAt: { seq: 3, id: recorded[2]?.id, reason: 'hash_mismatch' },
    });
  });

  test('moving occurred_at by one microsecond is detected', async () => {
    const { tenant, recorded } = await chainOf(3);
    await tamper(t, `UPDATE audit_event SET occurred_at = occurred_at + interval '1 microsecond' WHERE tenant_id = $1 AND seq = 2`, [
      tenant.id,
    ]);
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), {
      ok: false,
      brokenAt: { seq: 2, id: recorded[1]?.id, reason: 'hash_mismatch' },
    });
  });

  test('deleting a middle entry is reported as a gap at the entry after it', async () => {
    const { tenant, recorded } = await chainOf(5);
    await tamper(t, 'DELETE FROM audit_event WHERE tenant_id = $1 AND seq = 3', [tenant.id]);
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), {
      ok: false,
      brokenAt: { seq: 4, id: recorded[3]?.id, reason: 'seq_gap' },
    });
  });

  test('an entry swapped for a valid entry from another chain breaks the link to its predecessor', async () => {
    const { tenant, recorded } = await chainOf(4);
    const forger = await freshTenant(t);
    // An entry with a genuine hash, made in another chain and moved into place as seq 2.
    await appendEntries(contextFor(t, forger.id), [entry('test.thing.made', 'forged')]);
    await tamper(t, 'DELETE FROM audit_event WHERE tenant_id = $1 AND seq = 2', [tenant.id]);
    await tamper(t, 'UPDATE audit_event SET tenant_id = $1, seq = 2 WHERE tenant_id = $2', [tenant.id, forger.id]);
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), {
      ok: false,
      brokenAt: { seq: 2, id: (await auditRows(t, tenant.id))[1]?.id, reason: 'prev_hash_mismatch' },
    });
    assert.notEqual(recorded[1]?.id, (await auditRows(t, tenant.id))[1]?.id);
  });

  test('a chain longer than one verify batch verifies, and a break past the first batch is found', async () => {
    const tenant = await freshTenant(t);
    const ctx = contextFor(t, tenant.id);
    await withTenantTx(ctx, async (uow) => {
      for (let index = 1; index <= 2_100; index++) recordAudit(uow, entry('test.thing.made', `bulk${index}`));
    });
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), { ok: true, entries: 2_100 });
    await tamper(t, `UPDATE audit_event SET target_id = 'changed' WHERE tenant_id = $1 AND seq = 1500`, [tenant.id]);
    const result = await verifyAuditChain(t.app.db, tenant.id);
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? undefined : [result.brokenAt.seq, result.brokenAt.reason], [1500, 'hash_mismatch']);
  });

  test('an empty chain verifies with 0 entries', async () => {
    const tenant = await freshTenant(t);
    assert.deepEqual(await verifyAuditChain(t.app.db, tenant.id), { ok: true, entries: 0 });
  });
});
