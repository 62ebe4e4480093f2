import { randomUUID } from 'node:crypto';
import { CARRY_VERBATIM } from '../../../src/kernel/tenancy/backup/tables.ts';
import type { Tenant } from '../../../src/kernel/tenancy/index.ts';
import type { TestApp } from '../../support/app.ts';
import { customRole, memberWithRoles } from '../../support/members.ts';
import { openTillIn, sell } from '../../modules/reports/support.ts';
import { openTicket } from '../../modules/support/helpers.ts';
import { call, ok } from '../../modules/pos/support.ts';

/**
 * Fills a business through its own API with rows in many modules: products and locations, stock
 * received (inventory ledger and balances), a register, shift and cash sale (POS, reporting
 * facts), a support ticket with an attachment, a custom role and a member holding it, and the audit entries all of
 * these write. Answers the ids a test looks for.
 */
export const ATTACHMENT_TEXT = 'The receipt printer blinks red.';

export async function seedBusiness(t: TestApp, tenant: Tenant) {
  const owner = await t.headersFor(tenant.slug);
  const till = await openTillIn(t, owner, 'Europe/Berlin', { stock: 20 });
  const sale = await sell(t, owner, till, [{ productId: till.product.id, quantity: 2 }]);
  await ok(call(t, owner, 'POST', '/v1/catalog/products', { name: `Extra ${randomUUID().slice(0, 6)}`, sku: `EXT-${randomUUID().slice(0, 6)}`, priceMinor: 250, currency: 'EUR' }));
  const ticket = await openTicket(t, tenant.slug, {
    subject: `Backup check ${randomUUID().slice(0, 6)}`,
    attachments: [{ fileName: 'printer.txt', contentType: 'text/plain', contentBase64: Buffer.from(ATTACHMENT_TEXT).toString('base64') }],
  });
  const role = await customRole(t, tenant.slug, ['catalog.product.read']);
  const member = await memberWithRoles(t, tenant, [role]);
  return { owner, till, sale, ticket, role, member };
}

/** `table.column` of every column a backup carries verbatim (see CARRY_VERBATIM). */
export async function verbatimColumns(t: TestApp): Promise<string[]> {
  const { rows } = await t.database.pool.query<{ name: string }>(
    `SELECT c.relname || '.' || a.attname AS name FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE a.attnum > 0 AND col_description(c.oid, a.attnum) LIKE '%' || $1 || '%' ORDER BY 1`,
    [CARRY_VERBATIM],
  );
  return rows.map((row) => row.name);
}

/** Rows of a tenant in a table, through the owner's connection (no row-level security). */
export async function rowsOf(t: TestApp, table: string, tenantId: string): Promise<Record<string, unknown>[]> {
  const { rows } = await t.database.pool.query(`SELECT * FROM "${table}" WHERE tenant_id = $1`, [tenantId]);
  return rows as Record<string, unknown>[];
}

/** Every tenant table's row count of one tenant (owner connection). */
export async function countsOf(t: TestApp, tenantId: string): Promise<Record<string, number>> {
  const { rows } = await t.database.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { table_name: table } of rows) counts[table] = (await rowsOf(t, table, tenantId)).length;
  return counts;
}
