import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import canonicalize from 'canonicalize';
import { parse } from 'csv-parse/sync';
import { recordAudit } from '../../../src/kernel/audit/index.ts';
import { withTenantTx, type Tenant } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createProductVia, type ErrorBody } from '../../support/catalog.ts';
import { appendEntries, auditRows, contextFor, entry, freshTenant, getAs, tamper } from './support.ts';

interface EventBody {
  seq: number;
  id: string;
  occurredAt: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  requestId: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

interface ListBody {
  data: EventBody[];
  pagination: { page: number; pageSize: number; total: number; totalPages: number };
}

const CSV_HEADER = ['seq', 'id', 'occurred_at', 'actor', 'action', 'target_type', 'target_id', 'request_id', 'data', 'prev_hash', 'hash'];

function url(path: string, query: Record<string, string | number> = {}): string {
  const text = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)])).toString();
  return text ? `${path}?${text}` : path;
}

describe('audit API', () => {
  let t: TestApp;

  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  async function list(tenant: Tenant, query: Record<string, string | number> = {}): Promise<ListBody> {
    const response = await getAs(t, tenant.slug, url('/v1/audit/events', query));
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as ListBody;
  }

  async function csvRows(tenant: Tenant, query: Record<string, string> = {}): Promise<string[][]> {
    const response = await getAs(t, tenant.slug, url('/v1/audit/events.csv', query));
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(String(response.headers['content-disposition']), /^attachment; filename="audit-events\.csv"$/);
    return parse(response.body) as string[][];
  }

  describe('GET /v1/audit/verify', () => {
    test("reports the caller's chain: OK with its length, then the first broken entry after tampering", async () => {
      await createProductVia(t, 'tenant-a', { name: 'One', sku: 'V-1' });
      await createProductVia(t, 'tenant-a', { name: 'Two', sku: 'V-2' });
      const ok = await getAs(t, 'tenant-a', '/v1/audit/verify');
      assert.equal(ok.statusCode, 200, ok.body);
      const unsigned = { signed: 0, newestSeq: null, problems: [] };
      assert.deepEqual(ok.json(), { data: { ok: true, entries: 2, checkpoints: unsigned } });

      const [first] = await auditRows(t, t.tenantA.id);
      await tamper(t, `UPDATE audit_event SET actor = 'someone else' WHERE tenant_id = $1 AND seq = 1`, [t.tenantA.id]);
      const broken = await getAs(t, 'tenant-a', '/v1/audit/verify');
      assert.equal(broken.statusCode, 200, broken.body);
      assert.deepEqual(broken.json(), { data: { ok: false, brokenAt: { seq: 1, id: first?.id, reason: 'hash_mismatch' }, checkpoints: unsigned } });

      // Tenant B's chain is its own, and unbroken.
      await createProductVia(t, 'tenant-b', { name: 'Three', sku: 'V-3' });
      assert.deepEqual((await getAs(t, 'tenant-b', '/v1/audit/verify')).json(), { data: { ok: true, entries: 1, checkpoints: unsigned } });
    });

    test('without a tenant it answers AUTHN', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/v1/audit/verify' });
      assert.equal(response.statusCode, 401, response.body);
      assert.equal((response.json() as ErrorBody).error.code, 'AUTHN');
    });
  });

  describe('GET /v1/audit/events', () => {
    let tenant: Tenant;
    let other: Tenant;

    before(async () => {
      tenant = await freshTenant(t);
      other = await freshTenant(t);
      const alice = contextFor(t, tenant.id, { kind: 'system', process: 'alice' });
      const bob = contextFor(t, tenant.id, { kind: 'system', process: 'bob' });
      await appendEntries(alice, [entry('test.order.placed', 'o1'), entry('test.order.placed', 'o2')]);
      await appendEntries(bob, [entry('test.order.cancelled', 'o1', { reason: 'late' })]);
      await appendEntries(alice, [
        { action: 'test.invoice.sent', target: { type: 'test.invoice', id: 'i1' }, data: {} },
        entry('test.order.placed', 'o3'),
      ]);
      await appendEntries(contextFor(t, other.id), [entry('test.order.placed', 'elsewhere')]);
    });

    test('lists newest first with the catalog pagination shape; every field of an entry', async () => {
      const body = await list(tenant);
      assert.deepEqual(body.pagination, { page: 1, pageSize: 50, total: 5, totalPages: 1 });
      assert.deepEqual(body.data.map((event) => event.seq), [5, 4, 3, 2, 1]);
      const [row] = (await auditRows(t, tenant.id)).filter((r) => r.seq === 3);
      assert.deepEqual(body.data[2], {
        seq: 3,
        id: row?.id,
        occurredAt: row?.occurred_at,
        actor: 'system:bob',
        action: 'test.order.cancelled',
        targetType: 'test.thing',
        targetId: 'o1',
        requestId: row?.request_id,
        data: { reason: 'late' },
        prevHash: row?.prev_hash,
        hash: row?.hash,
      });
    });

    test('pages: page 2 of size 2, and a page past the end still tells the total', async () => {
      const second = await list(tenant, { page: 2, pageSize: 2 });
      assert.deepEqual(second.data.map((event) => event.seq), [3, 2]);
      assert.deepEqual(second.pagination, { page: 2, pageSize: 2, total: 5, totalPages: 3 });
      const past = await list(tenant, { page: 9, pageSize: 2 });
      assert.deepEqual(past.data, []);
      assert.deepEqual(past.pagination, { page: 9, pageSize: 2, total: 5, totalPages: 3 });
    });

    test('filters by action, actor, target type and id, and combine', async () => {
      const seqs = async (query: Record<string, string>) => (await list(tenant, query)).data.map((event) => event.seq);
      assert.deepEqual(await seqs({ action: 'test.order.placed' }), [5, 2, 1]);
      assert.deepEqual(await seqs({ actor: 'system:bob' }), [3]);
      assert.deepEqual(await seqs({ targetType: 'test.invoice' }), [4]);
      assert.deepEqual(await seqs({ targetType: 'test.thing', targetId: 'o1' }), [3, 1]);
      assert.deepEqual(await seqs({ actor: 'system:alice', targetId: 'o1' }), [1]);
      assert.deepEqual(await seqs({ action: 'test.nothing.happened' }), []);
      assert.equal((await list(tenant, { action: 'test.order.placed' })).pagination.total, 3);
    });

    test('filters by time: from inclusive, to exclusive', async () => {
      const rows = await auditRows(t, tenant.id);
      const at = (seq: number) => rows.find((row) => row.seq === seq)?.occurred_at ?? '';
      const seqs = async (query: Record<string, string>) => (await list(tenant, query)).data.map((event) => event.seq);
      assert.deepEqual(await seqs({ from: at(4) }), [5, 4]);
      assert.deepEqual(await seqs({ to: at(2) }), [1]);
      assert.deepEqual(await seqs({ from: at(2), to: at(4) }), [3, 2]);
      assert.deepEqual(await seqs({ from: '2000-01-01T00:00:00+02:00', to: '2000-01-02T00:00:00Z' }), []);
    });

    test('rejects bad filters and unknown keys with VALIDATION naming them', async () => {
      for (const [query, field] of [
        [{ from: 'yesterday' }, 'from'],
        [{ pageSize: 101 }, 'pageSize'],
        [{ page: 0 }, 'page'],
        [{ action: '' }, 'action'],
        [{ tenantId: tenant.id }, 'tenantId'],
      ] as const) {
        const response = await getAs(t, tenant.slug, url('/v1/audit/events', query));
        assert.equal(response.statusCode, 400, `${JSON.stringify(query)}: ${response.body}`);
        const body = response.json() as ErrorBody;
        assert.equal(body.error.code, 'VALIDATION');
        const issues = body.error.details?.issues as { in: string; path: string }[];
        assert.ok(issues.some((issue) => issue.in === 'querystring' && issue.path === field), JSON.stringify(issues));
      }
    });

    test("a tenant never sees another tenant's entries", async () => {
      const mine = await list(other);
      assert.deepEqual(mine.data.map((event) => event.targetId), ['elsewhere']);
      assert.deepEqual((await list(tenant, { targetId: 'elsewhere' })).data, []);
    });
  });

  describe('GET /v1/audit/events.csv', () => {
    test('a header row, then every entry newest first; commas, quotes and newlines round-trip', async () => {
      const tenant = await freshTenant(t);
      const tricky = 'a,"b"\nc';
      const ctx = contextFor(t, tenant.id, { kind: 'system', process: tricky });
      await appendEntries(ctx, [
        { action: 'test.thing.made', target: { type: 'test.thing', id: tricky }, data: { note: tricky, n: 1.5 } },
        entry('test.thing.made', 'plain'),
      ]);
      const rows = await auditRows(t, tenant.id);
      const [header, ...records] = await csvRows(tenant);
      assert.deepEqual(header, CSV_HEADER);
      assert.equal(records.length, 2);
      assert.deepEqual(records.map((record) => record[0]), ['2', '1']);
      const oldest = records[1] ?? [];
      const row = rows[0];
      assert.ok(row);
      assert.deepEqual(oldest, [
        '1',
        row.id,
        row.occurred_at,
        `system:${tricky}`,
        'test.thing.made',
        'test.thing',
        tricky,
        row.request_id,
        canonicalize(row.data),
        row.prev_hash,
        row.hash,
      ]);
      assert.deepEqual(JSON.parse(oldest[8] ?? ''), { note: tricky, n: 1.5 });
    });

    test('applies the filters; a cell a spreadsheet would run as a formula is defused', async () => {
      const tenant = await freshTenant(t);
      const ctx = contextFor(t, tenant.id);
      await appendEntries(ctx, [entry('test.thing.made', '=HYPERLINK("http://evil")'), entry('test.thing.gone', 'x')]);
      const [, ...records] = await csvRows(tenant, { action: 'test.thing.made' });
      assert.equal(records.length, 1);
      assert.equal(records[0]?.[6], `'=HYPERLINK("http://evil")`);
    });

    test('streams more rows than one export batch, each once, newest first', async () => {
      const tenant = await freshTenant(t);
      const ctx = contextFor(t, tenant.id);
      await withTenantTx(ctx, async (uow) => {
        for (let index = 1; index <= 1_205; index++) recordAudit(uow, entry('test.thing.made', `n${index}`));
      });
      const [header, ...records] = await csvRows(tenant);
      assert.deepEqual(header, CSV_HEADER);
      assert.deepEqual(
        records.map((record) => Number(record[0])),
        Array.from({ length: 1_205 }, (_, index) => 1_205 - index),
      );
    });

    test("an empty log gives just the header; another tenant's rows never appear", async () => {
      const tenant = await freshTenant(t);
      assert.deepEqual(await csvRows(tenant), [CSV_HEADER]);
    });
  });

  test('/openapi.json documents the audit and security endpoints', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, { get?: unknown }> };
    for (const path of ['/v1/audit/events', '/v1/audit/events.csv', '/v1/audit/verify', '/v1/security/events'])
      assert.ok(document.paths[path]?.get, `${path} missing from ${Object.keys(document.paths).join(', ')}`);
  });
});
