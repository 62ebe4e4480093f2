import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { detectRateSpike, recordAudit, recordSecurityEvent, type SecurityEventInput } from '../../../src/kernel/audit/index.ts';
import { PLATFORM_TENANT_ID, withTenantTx, type Tenant } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { countProductRows, ownerQuery } from '../../support/catalog.ts';
import { appendEntries, contextFor, entry, freshTenant, getAs } from './support.ts';

interface SecurityBody {
  id: string;
  occurredAt: string;
  kind: string;
  severity: string;
  actor: string;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

interface ListBody {
  data: SecurityBody[];
  pagination: { page: number; pageSize: number; total: number; totalPages: number };
}

/** A logger that keeps what it was asked to warn about. */
function recordingLog() {
  const lines: { object: unknown; message: unknown }[] = [];
  return { lines, warn: (object: unknown, message?: unknown) => void lines.push({ object, message }) };
}

describe('security events', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const record = (event: SecurityEventInput, log = recordingLog()) => recordSecurityEvent(t.app.db, event, log);

  async function rowsOf(tenantId: string) {
    const { rows } = await ownerQuery<{ kind: string; severity: string; actor: string; ip: string | null; request_id: string | null; details: unknown }>(
      t,
      'SELECT kind, severity, actor, ip, request_id, details FROM security_event WHERE tenant_id = $1 ORDER BY occurred_at, id',
      [tenantId],
    );
    return rows;
  }

  test('is stored even when the transaction of the request that triggered it rolls back, and is logged at warn', async () => {
    const tenant = await freshTenant(t);
    const ctx = contextFor(t, tenant.id);
    const log = recordingLog();
    await assert.rejects(
      withTenantTx(ctx, async (uow) => {
        await uow.tx.execute(sql`INSERT INTO catalog_product (tenant_id, name, sku, price_minor, currency) VALUES (${tenant.id}, 'X', 'X-1', 1, 'EUR')`);
        await recordSecurityEvent(
          t.app.db,
          { tenantId: tenant.id, kind: 'access_denied', actor: 'user:u1', ip: '203.0.113.9', requestId: 'req-1', details: { permission: 'catalog.product.write' } },
          log,
        );
        throw new Error('denied: the request is rolled back');
      }),
      /denied/,
    );
    assert.equal(await countProductRows(t, tenant.id), 0, "the request's own work is gone");
    assert.deepEqual(await rowsOf(tenant.id), [
      { kind: 'access_denied', severity: 'warning', actor: 'user:u1', ip: '203.0.113.9', request_id: 'req-1', details: { permission: 'catalog.product.write' } },
    ]);
    assert.equal(log.lines.length, 1);
    assert.equal(log.lines[0]?.message, 'security event: access_denied');
    assert.deepEqual(log.lines[0]?.object, {
      securityEvent: {
        kind: 'access_denied',
        severity: 'warning',
        tenantId: tenant.id,
        actor: 'user:u1',
        ip: '203.0.113.9',
        requestId: 'req-1',
        details: { permission: 'catalog.product.write' },
      },
    });
  });

  test('with no tenant it goes to the platform tenant; severity defaults by kind', async () => {
    const before = (await rowsOf(PLATFORM_TENANT_ID)).length;
    await record({ kind: 'login_failed', actor: 'anonymous', details: { email: 'nobody@example.test' } });
    await record({ tenantId: null, kind: 'token_reuse', actor: 'api:u2' });
    await record({ kind: 'lockout', actor: 'anonymous', severity: 'critical' });
    const added = (await rowsOf(PLATFORM_TENANT_ID)).slice(before);
    assert.deepEqual(
      added.map((row) => [row.kind, row.severity, row.ip, row.request_id]),
      [
        ['login_failed', 'info', null, null],
        ['token_reuse', 'critical', null, null],
        ['lockout', 'critical', null, null],
      ],
    );
    assert.deepEqual(added[0]?.details, { email: 'nobody@example.test' });
    assert.deepEqual(added[1]?.details, {});
  });

  test('a kind that is not snake_case is refused', async () => {
    const tenant = await freshTenant(t);
    await assert.rejects(record({ tenantId: tenant.id, kind: 'Bad Kind_spike', actor: 'anonymous' }));
    assert.deepEqual(await rowsOf(tenant.id), []);
  });

  describe('GET /v1/security/events', () => {
    let tenant: Tenant;

    before(async () => {
      tenant = await freshTenant(t);
      await record({ tenantId: tenant.id, kind: 'login_failed', actor: 'anonymous', ip: '198.51.100.1' });
      await record({ tenantId: tenant.id, kind: 'access_denied', actor: 'user:u1', requestId: 'r2' });
      await record({ tenantId: tenant.id, kind: 'login_failed', actor: 'anonymous' });
      await record({ tenantId: tenant.id, kind: 'token_reuse', actor: 'api:u1' });
    });

    async function list(query: Record<string, string | number> = {}, slug = tenant.slug): Promise<ListBody> {
      const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)])).toString();
      const response = await getAs(t, slug, `/v1/security/events${search ? `?${search}` : ''}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as ListBody;
    }

    test('lists newest first, paginated, with every field', async () => {
      const body = await list();
      assert.deepEqual(body.pagination, { page: 1, pageSize: 50, total: 4, totalPages: 1 });
      assert.deepEqual(body.data.map((event) => event.kind), ['token_reuse', 'login_failed', 'access_denied', 'login_failed']);
      const oldest = body.data[3];
      assert.ok(oldest);
      const { id, occurredAt, ...rest } = oldest;
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.match(occurredAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      assert.deepEqual(rest, { kind: 'login_failed', severity: 'info', actor: 'anonymous', ip: '198.51.100.1', requestId: null, details: {} });
      const second = await list({ page: 2, pageSize: 3 });
      assert.deepEqual(second.data.map((event) => event.kind), ['login_failed']);
      assert.deepEqual(second.pagination, { page: 2, pageSize: 3, total: 4, totalPages: 2 });
    });

    test('filters by kind, severity and time', async () => {
      const kinds = async (query: Record<string, string>) => (await list(query)).data.map((event) => event.kind);
      assert.deepEqual(await kinds({ kind: 'login_failed' }), ['login_failed', 'login_failed']);
      assert.deepEqual(await kinds({ severity: 'critical' }), ['token_reuse']);
      assert.deepEqual(await kinds({ severity: 'warning', kind: 'access_denied' }), ['access_denied']);
      const all = (await list()).data;
      const third = all[1]?.occurredAt ?? '';
      assert.deepEqual(await kinds({ from: third }), ['token_reuse', 'login_failed']);
      assert.deepEqual(await kinds({ to: third }), ['access_denied', 'login_failed']);
      assert.deepEqual(await kinds({ from: '2999-01-01T00:00:00Z' }), []);
    });

    test('rejects an unknown severity', async () => {
      const response = await getAs(t, tenant.slug, '/v1/security/events?severity=urgent');
      assert.equal(response.statusCode, 400, response.body);
    });

    test('another tenant sees none of them', async () => {
      const other = await freshTenant(t);
      assert.deepEqual((await list({}, other.slug)).data, []);
    });
  });

  describe('detectRateSpike', () => {
    test('records <kind>_spike once per window when security events of the kind pass the threshold', async () => {
      const tenant = await freshTenant(t);
      const check = { tenantId: tenant.id, kind: 'login_failed', windowMinutes: 10, threshold: 3 };
      const log = recordingLog();
      for (let i = 0; i < 3; i++) await record({ tenantId: tenant.id, kind: 'login_failed', actor: 'anonymous' });
      assert.deepEqual(await detectRateSpike(t.app.db, check, log), { count: 3, recorded: false }, 'at the threshold is no spike');
      await record({ tenantId: tenant.id, kind: 'login_failed', actor: 'anonymous' });
      assert.deepEqual(await detectRateSpike(t.app.db, check, log), { count: 4, recorded: true });
      await record({ tenantId: tenant.id, kind: 'login_failed', actor: 'anonymous' });
      assert.deepEqual(await detectRateSpike(t.app.db, check, log), { count: 5, recorded: false }, 'the window already has its spike');

      const spikes = (await rowsOf(tenant.id)).filter((row) => row.kind === 'login_failed_spike');
      assert.deepEqual(spikes, [
        {
          kind: 'login_failed_spike',
          severity: 'warning',
          actor: 'system:spike-detector',
          ip: null,
          request_id: null,
          details: { counted: 'login_failed', count: 4, threshold: 3, windowMinutes: 10 },
        },
      ]);
      assert.deepEqual(log.lines.map((line) => line.message), ['security event: login_failed_spike']);
    });

    test('counts audit entries of an action, only inside the window, and records once under concurrent checks', async () => {
      const tenant = await freshTenant(t);
      const ctx = contextFor(t, tenant.id);
      await appendEntries(ctx, Array.from({ length: 4 }, (_, i) => entry('test.sale.refunded', `s${i}`)));
      await appendEntries(ctx, [entry('test.sale.voided', 'v1')]);
      // Old refunds outside the window do not count.
      await ownerQuery(t, `INSERT INTO security_event (tenant_id, kind, severity, actor, occurred_at) VALUES ($1, 'refund', 'info', 'x', now() - interval '2 hours')`, [
        tenant.id,
      ]);
      const check = { tenantId: tenant.id, kind: 'refund', auditAction: 'test.sale.refunded', windowMinutes: 60, threshold: 3 };
      const results = await Promise.all(Array.from({ length: 5 }, () => detectRateSpike(t.app.db, check, recordingLog())));
      assert.deepEqual(results.map((result) => result.count), [4, 4, 4, 4, 4]);
      assert.equal(results.filter((result) => result.recorded).length, 1);
      assert.deepEqual(await detectRateSpike(t.app.db, { tenantId: tenant.id, kind: 'refund', windowMinutes: 60, threshold: 3 }, recordingLog()), {
        count: 0,
        recorded: false,
      });
      assert.equal((await rowsOf(tenant.id)).filter((row) => row.kind === 'refund_spike').length, 1);
    });

    test('a spike older than the window does not stop a new one', async () => {
      const tenant = await freshTenant(t);
      await ownerQuery(t, `INSERT INTO security_event (tenant_id, kind, severity, actor, occurred_at) VALUES ($1, 'void_spike', 'warning', 'x', now() - interval '2 hours')`, [
        tenant.id,
      ]);
      const ctx = contextFor(t, tenant.id);
      await withTenantTx(ctx, async (uow) => {
        for (let i = 0; i < 3; i++) recordAudit(uow, entry('test.sale.voided', `v${i}`));
      });
      const check = { tenantId: tenant.id, kind: 'void', auditAction: 'test.sale.voided', windowMinutes: 60, threshold: 2 };
      assert.deepEqual(await detectRateSpike(t.app.db, check, recordingLog()), { count: 3, recorded: true });
    });
  });
});
