import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { recordSecurityEvent } from '../../../src/kernel/audit/index.ts';
import { withTenantTx, type Tenant } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { appendEntries, contextFor, entry, freshTenant } from './support.ts';

const silent = { warn: () => undefined };

describe('row-level security on audit_event and security_event (as the app role)', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;

  before(async () => {
    t = await startTestApp();
    a = await freshTenant(t);
    b = await freshTenant(t);
    await appendEntries(contextFor(t, a.id), [entry('test.thing.made', 'a1'), entry('test.thing.made', 'a2')]);
    await appendEntries(contextFor(t, b.id), [entry('test.thing.made', 'b1')]);
    await recordSecurityEvent(t.app.db, { tenantId: a.id, kind: 'access_denied', actor: 'anonymous' }, silent);
  });
  after(() => t.close());

  async function countAs(tenantId: string, table: 'audit_event' | 'security_event', where = sql`true`): Promise<number> {
    return withTenantTx(contextFor(t, tenantId), async (uow) => {
      const { rows } = await uow.tx.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} WHERE ${where}`);
      return rows[0]?.n ?? -1;
    });
  }

  test("tenant B's transaction reads only B's rows, even asking for A's by id", async () => {
    assert.equal(await countAs(b.id, 'audit_event'), 1);
    assert.equal(await countAs(b.id, 'audit_event', sql`tenant_id = ${a.id}`), 0);
    assert.equal(await countAs(b.id, 'security_event'), 0);
    assert.equal(await countAs(b.id, 'security_event', sql`tenant_id = ${a.id}`), 0);
    assert.equal(await countAs(a.id, 'audit_event'), 2);
    assert.equal(await countAs(a.id, 'security_event'), 1);
  });

  test('outside a tenant transaction the app role reads nothing', async () => {
    const { rows } = await t.app.db.execute<{ audit: number; security: number }>(
      sql`SELECT (SELECT count(*)::int FROM audit_event) AS audit, (SELECT count(*)::int FROM security_event) AS security`,
    );
    assert.deepEqual(rows, [{ audit: 0, security: 0 }]);
  });

  test("tenant B's transaction cannot write a security event for A", async () => {
    await assert.rejects(
      withTenantTx(contextFor(t, b.id), (uow) =>
        uow.tx.execute(sql`INSERT INTO security_event (tenant_id, kind, severity, actor) VALUES (${a.id}, 'access_denied', 'warning', 'x')`),
      ),
      (error: Error) => /row-level security/.test(String(error.cause ?? error)),
    );
    assert.equal(await countAs(a.id, 'security_event'), 1);
  });
});
