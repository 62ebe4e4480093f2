import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { verifyAuditChain } from '../../../src/kernel/audit/index.ts';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import { BackupFileError, exportTenant, readBackup, restoreTenant, verifyRestore, type BackupHeader, type RestoreResult } from '../../../src/kernel/tenancy/backup/index.ts';
import { listProducts } from '../../../src/modules/catalog/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { platformAdmin } from '../../modules/platform/support.ts';
import { ATTACHMENT_TEXT, countsOf, rowsOf, seedBusiness, verbatimColumns } from './backup-support.ts';

const system = { kind: 'system', process: 'backup-test' } as const;

describe('tenancy: per-tenant backup and restore (engine)', () => {
  let t: TestApp;
  let dir: string;
  let file: string;
  let seeded: Awaited<ReturnType<typeof seedBusiness>>;
  let before_: Record<string, number>;
  let restored: RestoreResult;

  before(async () => {
    t = await startTestApp();
    dir = await mkdtemp(path.join(tmpdir(), 'plinth-backup-'));
    seeded = await seedBusiness(t, t.tenantA);
    await t.database.pool.query("UPDATE tenant SET time_zone = 'Pacific/Chatham' WHERE id = $1", [t.tenantA.id]);
    await seedBusiness(t, t.tenantB);
    before_ = await countsOf(t, t.tenantA.id);
    file = path.join(dir, 'a.jsonl.gz');
    await exportTenant(t.app.db, { backupId: randomUUID(), tenantId: t.tenantA.id, filePath: file });
    restored = await restoreTenant(t.app.db, file, { slug: `restored-${randomUUID().slice(0, 8)}`, name: 'Restored A', actor: system, requestId: 'backup-test', jobId: randomUUID() });
  });
  after(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('the file holds exactly the tenant’s rows of every carried table, and none of another tenant', async () => {
    const rows = new Map<string, number>();
    let header: BackupHeader | undefined;
    const text = gunzipSync(await readFile(file)).toString('utf8');
    for await (const item of readBackup(file)) {
      if ('header' in item) header = item.header;
      else rows.set(item.table.name, (rows.get(item.table.name) ?? 0) + 1);
    }
    assert.ok(header);
    for (const table of header.tables) {
      assert.equal(rows.get(table.name) ?? 0, table.rows, table.name);
      assert.equal(table.rows, before_[table.name], `${table.name}: all of A's rows`);
    }
    for (const must of ['catalog_product', 'locations_location', 'inventory_movement', 'inventory_stock', 'pos_sale', 'pos_sale_line', 'support_ticket', 'audit_event', 'tenant_member', 'access_role']) {
      assert.ok((rows.get(must) ?? 0) > 0, `${must} carried`);
    }
    assert.deepEqual(
      header.excluded.map((entry) => entry.table).filter((name) => ['jobs_outbox', 'identity_device', 'access_invitation', 'payments_charge', 'payments_refund'].includes(name)).sort(),
      ['access_invitation', 'identity_device', 'jobs_outbox', 'payments_charge', 'payments_refund'],
    );
    assert.ok(!text.includes(t.tenantB.id), 'no row of tenant B, not even a reference');
    for (const product of await rowsOf(t, 'catalog_product', t.tenantB.id)) assert.ok(!text.includes(String(product.id)), 'no product of tenant B');
  });

  test('a restore matches the backup table by table, and the source is unchanged', async () => {
    const verification = await verifyRestore(t.app.db, restored);
    assert.deepEqual(verification.mismatches, []);
    assert.equal(verification.ok, true);
    assert.equal(verification.auditChain.ok, true);

    const after_ = await countsOf(t, restored.tenantId);
    for (const table of restored.header.tables) assert.equal(after_[table.name], table.rows + (table.name === 'audit_event' ? 1 : 0), table.name);
    for (const { table } of restored.header.excluded) assert.equal(after_[table], 0, `${table} not restored`);
    assert.deepEqual(await countsOf(t, t.tenantA.id), before_, 'the source is unchanged');
    const again = await exportTenant(t.app.db, { backupId: randomUUID(), tenantId: t.tenantA.id, filePath: path.join(dir, 'a-again.jsonl.gz') });
    const sums = (header: BackupHeader) => header.tables.map((table) => [table.name, table.rows, table.sha256]);
    assert.deepEqual(sums(again.header), sums(restored.header), 'the source reads back byte for byte the same');
    assert.equal((await verifyAuditChain(t.app.db, t.tenantA.id)).ok, true);
  });

  test('no row of the restored business names an id of the source, yet users are the same people', async () => {
    const sourceIds = [...restored.ids.keys()];
    assert.ok(sourceIds.includes(seeded.sale.id) && sourceIds.includes(seeded.till.product.id));
    // Columns carried verbatim keep naming what the source stored on purpose (attachment bytes).
    const verbatim = await verbatimColumns(t);
    assert.deepEqual(verbatim, ['support_attachment.storage_key']);
    for (const { name } of restored.header.tables) {
      // The restore's own audit entry names its source on purpose.
      const rows = (await rowsOf(t, name, restored.tenantId)).filter((row) => row.action !== 'tenancy.tenant.restored');
      const text = JSON.stringify(rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !verbatim.includes(`${name}.${column}`)))));
      for (const id of sourceIds) assert.ok(!text.includes(id), `${name} still names ${id}: ${text.slice(Math.max(0, text.indexOf(id) - 300), text.indexOf(id) + 60)}`);
    }
    const members = (await rowsOf(t, 'tenant_member', restored.tenantId)).map((row) => row.user_id).sort();
    const sourceMembers = (await rowsOf(t, 'tenant_member', t.tenantA.id)).map((row) => row.user_id).sort();
    assert.deepEqual(members, sourceMembers, 'memberships point at the existing accounts');
    assert.ok(members.includes(seeded.member.userId));
    const tenant = await t.database.pool.query<{ status: string; edition: string; time_zone: string }>('SELECT status, edition, time_zone FROM tenant WHERE id = $1', [restored.tenantId]);
    assert.deepEqual(tenant.rows[0], { status: 'suspended', edition: t.tenantA.edition, time_zone: 'Pacific/Chatham' }, "the business's clocks come along");
  });

  test('the restored business reads its data through its own services', async () => {
    const ctx: ServiceContext = { db: t.app.db, tenantId: restored.tenantId, actor: system, requestId: 'backup-test', log: t.app.log };
    const products = await listProducts(ctx, { page: 1, pageSize: 50 });
    const source = await listProducts({ ...ctx, tenantId: t.tenantA.id }, { page: 1, pageSize: 50 });
    assert.equal(products.pagination.total, source.pagination.total);
    assert.deepEqual(products.data.map((product) => product.sku).sort(), source.data.map((product) => product.sku).sort());
    assert.equal(products.data.find((product) => product.sku === seeded.till.product.sku)?.id, restored.ids.get(seeded.till.product.id));

    const [entry] = (await rowsOf(t, 'audit_event', restored.tenantId)).sort((a, b) => Number(b.seq) - Number(a.seq));
    assert.equal(entry?.action, 'tenancy.tenant.restored');
    assert.equal((entry?.data as { source: { tenantId: string } }).source.tenantId, t.tenantA.id);
  });

  test('the restored business’s attachments download with the bytes the source uploaded', async () => {
    const [attachment] = seeded.ticket.attachments;
    const ticketId = restored.ids.get(seeded.ticket.id);
    const attachmentId = attachment && restored.ids.get(attachment.id);
    assert.ok(ticketId && attachmentId, 'the ticket and its attachment have new ids');
    const admin = await platformAdmin(t);
    const response = await t.app.inject({ method: 'GET', url: `/console/support/tickets/${ticketId}/attachments/${attachmentId}`, headers: admin.headers });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.body, ATTACHMENT_TEXT);
  });

  test('a changed, truncated or other-version file is refused and leaves nothing behind', async () => {
    const lines = gunzipSync(await readFile(file)).toString('utf8').split('\n');
    const product = lines.findIndex((line) => line.startsWith('["catalog_product"'));
    const tenants = async () => Number((await t.database.pool.query<{ n: string }>('SELECT count(*) AS n FROM tenant')).rows[0]?.n);
    const count = await tenants();
    const attempt = async (name: string, bytes: Buffer, reason: RegExp) => {
      const damaged = path.join(dir, name);
      await writeFile(damaged, bytes);
      const slug = `damaged-${randomUUID().slice(0, 8)}`;
      await assert.rejects(restoreTenant(t.app.db, damaged, { slug, name: 'Damaged', actor: system, requestId: 'backup-test', jobId: randomUUID() }), (error: Error) => {
        assert.ok(error instanceof BackupFileError, error.message);
        assert.match(error.message, reason);
        return true;
      });
      assert.equal(await tenants(), count, `${name}: no tenant created`);
    };

    const changed = [...lines];
    changed[product] = (changed[product] as string).replace(/"(Lamp|Bulb|Extra)/, '"Cheap $1');
    await attempt('changed.jsonl.gz', gzipSync(changed.join('\n')), /does not match its checksums \(table catalog_product/);

    const original = await readFile(file);
    await attempt('truncated.jsonl.gz', original.subarray(0, Math.floor(original.length * 0.7)), /cannot be read|does not match/);

    const dropped = lines.filter((_, index) => index !== product);
    await attempt('dropped.jsonl.gz', gzipSync(dropped.join('\n')), /does not match its checksums/);

    const header = JSON.parse(lines[0] as string) as BackupHeader;
    await attempt('other-schema.jsonl.gz', gzipSync([JSON.stringify({ ...header, schema: { ...header.schema, digest: '0'.repeat(64), units: { ...header.schema.units, catalog: '99:x' } } }), ...lines.slice(1)].join('\n')), /another schema version \(migrations of catalog differ\)/);
    // The header drives the restore's SQL, so it must describe exactly this database's tables.
    const injected = structuredClone(header);
    const column = injected.tables.find((table) => table.name === 'catalog_product')?.columns.find((candidate) => candidate.name === 'name');
    if (column) column.type = 'text); DROP TABLE catalog_product; --';
    await attempt('other-tables.jsonl.gz', gzipSync([JSON.stringify(injected), ...lines.slice(1)].join('\n')), /tables differ from this installation/);
    await attempt('other-version.jsonl.gz', gzipSync([JSON.stringify({ ...header, version: 99 }), ...lines.slice(1)].join('\n')), /format version 99/);

    // Rewriting the audit log and fixing the checksums up is caught by the chain itself.
    const auditLine = lines.findIndex((line) => line.startsWith('["audit_event"'));
    const forged = [...lines];
    const [, values] = JSON.parse(forged[auditLine] as string) as [string, unknown[]];
    values[5] = 'catalog.product.forged';
    forged[auditLine] = JSON.stringify(['audit_event', values]);
    await attempt('forged-audit.jsonl.gz', gzipSync(forged.join('\n')), /does not match its checksums|audit log does not verify/);
  });
});
