import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import type { LoadResult } from './lib/load.ts';
import { findPgbench, runPgbench, type PgbenchResult } from './lib/pgbench.ts';
import { scratchDatabase, type ScratchDatabase } from './lib/scratch-database.ts';
import { startServerProcess, type ServerProcess } from './lib/server-process.ts';
import { temporaryFolder } from './lib/temporary-folder.ts';
import type { Benchmark } from './lib/types.ts';
import { waitingOn } from './lib/watchdog.ts';
import type { PosTill } from './servers/pos-app.ts';

/** The actor the baseline's rows carry, so they are told apart from the API's when counted. */
const PGBENCH_ACTOR = 'bench:pgbench';

/** A cash sale of one unit of each of the till's products, paid exactly, under a fresh client id. */
function saleBody(till: PosTill): string {
  return JSON.stringify({
    id: randomUUID(),
    registerId: till.registerId,
    shiftId: till.shiftId,
    soldAt: new Date().toISOString(),
    lines: till.products.map((product) => ({ productId: product.id, quantity: 1 })),
    tenders: [{ kind: 'cash', amountMinor: till.products.reduce((sum, product) => sum + product.priceMinor, 0) }],
  });
}

/** POST /v1/pos/sales for `duration` seconds, each request a new sale (body built per request); requests/s counts 2xx answers. */
async function measureSales(url: string, till: PosTill, duration: number, connections: number): Promise<LoadResult> {
  waitingOn(`POST ${url}/v1/pos/sales (${duration} s, ${connections} connections)`);
  const result = await autocannon({
    url: `${url}/v1/pos/sales`,
    method: 'POST',
    headers: { authorization: `Bearer ${till.token}`, 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: saleBody(till) }) }],
    duration,
    connections,
  });
  // Completed sales (2xx) over the measured seconds: autocannon's per-second average reads 0 for
  // a 1 s slice whose requests take about a second under this load.
  return { requestsPerSecond: result['2xx'] / result.duration, p50Ms: result.latency.p50, p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

interface SaleLine {
  productId: string;
  name: string;
  sku: string;
  catalogPriceMinor: number;
  grossMinor: number;
  taxCode: string;
  taxRateBp: number;
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

interface SaleAnswer {
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  lines: SaleLine[];
}

/** One sale through the API, checked to be created (201) with one line per product: the rows the baseline copies. */
async function sampleSale(url: string, till: PosTill): Promise<SaleAnswer> {
  waitingOn(`a sample sale at ${url}`);
  const response = await fetch(`${url}/v1/pos/sales`, { method: 'POST', headers: { authorization: `Bearer ${till.token}`, 'content-type': 'application/json' }, body: saleBody(till) });
  const body = await response.text();
  if (response.status !== 201) throw new Error(`a sample sale answered ${response.status}: ${body}`);
  const sale = (JSON.parse(body) as { data: SaleAnswer }).data;
  if (sale.lines.length !== till.products.length) throw new Error(`the sample sale has ${sale.lines.length} lines, expected ${till.products.length}`);
  return sale;
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * The pgbench custom script: per transaction the rows and locks POST /v1/pos/sales writes for a
 * 3-line cash sale (sale.service.ts recordSale, inventory appendMovements, recordAudit, emit), on
 * the real tables, as the app role under row-level security:
 *
 *   BEGIN; SET LOCAL ROLE plinth_app; set_config('app.tenant_id')   -- as withTenantTx + the app pool's role
 *   UPDATE pos_register (next_sale_number)  -- the register row lock and gapless sale number; new sale id (gen_random_uuid())
 *   INSERT pos_sale; INSERT 3 pos_sale_line (one statement); INSERT pos_tender
 *   3 × UPDATE inventory_stock (on_hand - 1) in product-id order  -- the stock row locks
 *   INSERT 3 inventory_movement + the inventory.stock.moved outbox row (one statement)
 *   pg_advisory_xact_lock(audit, tenant); 2 × INSERT audit_event reading the chain head (seq + 1, prev_hash)
 *   INSERT the pos.sale.completed outbox row; COMMIT
 *
 * What it does NOT do that the API does (sale.service.ts submitSale: one transaction of 12
 * statements with BEGIN and COMMIT, against this script's 17; every statement with parameters a
 * named prepared statement, as pgbench -M prepared; the two audit entries and both outbox rows
 * in one statement at the end, kernel/journal): authenticate the bearer token and load the
 * member's tenant and permissions (guard), validate the body (zod), read the earlier sale with
 * this id, the register and the shift (one query) and the three products from the catalog (prices
 * and line totals are the sample sale's, fixed), check the location is active (FOR SHARE) and read
 * the tenant's negative-stock setting, share-lock the shift after the register (in the statement
 * that claims the number and writes the sale), lock the stock rows in a fixed order inside the
 * statement that moves them (creating missing ones), refuse a sale that would take stock below
 * zero (stock is plentiful; the UPDATE's `on_hand >= 1` just leaves a short item untouched instead
 * of failing the sale), check reorder points, compute the audit hash the verifier accepts (here
 * sha256 of prev_hash || data in SQL; the chain stays linked but does not verify), and answer the
 * sale as JSON. The API writes its lines, tenders and movements before taking the register's
 * lock, and holds it for three statements and the commit; this script writes everything under it.
 */
function pgbenchScript(till: PosTill, sale: SaleAnswer): string {
  const lines = sale.lines
    .map(
      (line, index) =>
        `(:tenant::uuid, :sale_id::uuid, ${index + 1}, ${literal(line.productId)}::uuid, ${literal(line.name)}, ${literal(line.sku)}, 1, ${line.catalogPriceMinor}, ${line.catalogPriceMinor}, false, '[]'::jsonb, ${line.grossMinor}, 0, 0, ${literal(line.taxCode)}, ${line.taxRateBp}, ${line.netMinor}, ${line.taxMinor}, ${line.totalMinor})`,
    )
    .join(',\n  ');
  const productIds = till.products.map((product) => product.id).sort();
  const stockUpdates = productIds
    .map(
      (productId) =>
        `UPDATE inventory_stock SET on_hand = on_hand - 1, updated_at = now() WHERE tenant_id = :tenant::uuid AND location_id = :location::uuid AND product_id = ${literal(productId)}::uuid AND on_hand >= 1;`,
    )
    .join('\n');
  const movementRows = productIds.map((productId) => `(:tenant::uuid, :location::uuid, ${literal(productId)}::uuid, 'sale', -1, 'pos.sale:' || :sale_id::text, :actor::text)`).join(', ');
  const chainHead = `(SELECT 1) AS one LEFT JOIN (SELECT seq, hash FROM audit_event WHERE tenant_id = :tenant::uuid ORDER BY seq DESC LIMIT 1) AS head ON true`;
  const auditInsert = (action: string, targetType: string, targetId: string, data: string) =>
    `INSERT INTO audit_event (tenant_id, seq, id, occurred_at, actor, action, target_type, target_id, request_id, data, prev_hash, hash)
SELECT :tenant::uuid, coalesce(head.seq, 0) + 1, gen_random_uuid(), clock_timestamp(), :actor::text, '${action}', '${targetType}', ${targetId}, :sale_id::text, d.data,
       coalesce(head.hash, repeat('0', 64)), encode(sha256(convert_to(coalesce(head.hash, repeat('0', 64)) || d.data::text, 'UTF8')), 'hex')
  FROM ${chainHead}, (SELECT ${data} AS data) AS d;`;
  const lineSummary = `jsonb_build_array(${productIds.map((productId) => `jsonb_build_object('productId', ${literal(productId)}, 'quantity', 1)`).join(', ')})`;
  const tenders = `jsonb_build_array(jsonb_build_object('kind', 'cash', 'amountMinor', ${sale.totalMinor}, 'chargeId', null))`;
  const saleNumber = `:register_code::text || '-' || lpad(:number::text, 6, '0')`;
  // pgbench takes one SQL command per line ending in ';' or a meta-command; keep each statement on its lines.
  return `BEGIN;
SET LOCAL ROLE plinth_app;
SELECT set_config('app.tenant_id', :tenant::text, true);
UPDATE pos_register SET next_sale_number = next_sale_number + 1 WHERE tenant_id = :tenant::uuid AND id = :register::uuid RETURNING next_sale_number - 1 AS number, gen_random_uuid() AS sale_id \\gset
INSERT INTO pos_sale (tenant_id, id, register_id, shift_id, location_id, number, sale_number, currency, prices_include_tax, subtotal_minor, discount_minor, tax_minor, total_minor, tip_minor, change_minor, fingerprint, sold_at, late, cashier_user_id, actor)
VALUES (:tenant::uuid, :sale_id::uuid, :register::uuid, :shift::uuid, :location::uuid, :number::int, ${saleNumber}, 'EUR', true, ${sale.subtotalMinor}, 0, ${sale.taxMinor}, ${sale.totalMinor}, 0, 0, encode(sha256(convert_to(:sale_id::text, 'UTF8')), 'hex'), now(), false, NULL, :actor::text);
INSERT INTO pos_sale_line (tenant_id, sale_id, line_no, product_id, name, sku, quantity, catalog_price_minor, unit_price_minor, price_overridden, modifiers, gross_minor, line_discount_minor, ticket_discount_minor, tax_code, tax_rate_bp, net_minor, tax_minor, total_minor)
VALUES ${lines};
INSERT INTO pos_tender (tenant_id, sale_id, seq, kind, amount_minor, tendered_minor) VALUES (:tenant::uuid, :sale_id::uuid, 1, 'cash', ${sale.totalMinor}, ${sale.totalMinor});
${stockUpdates}
WITH moved AS (INSERT INTO inventory_movement (tenant_id, location_id, product_id, kind, quantity, reference, actor) VALUES ${movementRows} RETURNING id, location_id, product_id, kind, quantity, reason, reference, actor, occurred_at)
INSERT INTO jobs_outbox (tenant_id, type, payload) SELECT :tenant::uuid, 'inventory.stock.moved', jsonb_build_object('movements', jsonb_agg(jsonb_build_object('id', id, 'locationId', location_id, 'productId', product_id, 'kind', kind, 'quantity', quantity, 'reason', reason, 'reference', reference, 'actor', actor, 'occurredAt', occurred_at))) FROM moved;
SELECT pg_advisory_xact_lock(${0x61756474}, hashtext(:tenant::text));
${auditInsert('inventory.stock.sold', 'inventory.location', ':location::text', `jsonb_build_object('reference', 'pos.sale:' || :sale_id::text, 'lines', ${lineSummary})`)}
${auditInsert('pos.sale.completed', 'pos.sale', ':sale_id::text', `jsonb_build_object('saleNumber', ${saleNumber}, 'registerId', :register::text, 'shiftId', :shift::text, 'soldAt', now(), 'late', false, 'totalMinor', ${sale.totalMinor}, 'taxMinor', ${sale.taxMinor}, 'discountMinor', 0, 'tipMinor', 0, 'currency', 'EUR', 'tenders', ${tenders}, 'restricted', '[]'::jsonb)`)}
INSERT INTO jobs_outbox (tenant_id, type, payload) VALUES (:tenant::uuid, 'pos.sale.completed', jsonb_build_object('saleId', :sale_id::text, 'saleNumber', ${saleNumber}, 'registerId', :register::text, 'shiftId', :shift::text, 'locationId', :location::text, 'soldAt', now(), 'currency', 'EUR', 'totalMinor', ${sale.totalMinor}, 'taxMinor', ${sale.taxMinor}, 'tipMinor', 0, 'lines', ${lineSummary}, 'tenders', ${tenders}));
COMMIT;
`;
}

/** Rows written per variant, to show both did the work their counters claim. */
async function countSales(url: string, tenantId: string): Promise<{ api: number; pgbench: number; audit: number; outbox: number; movements: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ api: number; pgbench: number; audit: number; outbox: number; movements: number }>(
      `SELECT (SELECT count(*)::int FROM pos_sale WHERE tenant_id = $1 AND actor <> $2) AS api,
              (SELECT count(*)::int FROM pos_sale WHERE tenant_id = $1 AND actor = $2) AS pgbench,
              (SELECT count(*)::int FROM audit_event WHERE tenant_id = $1 AND action IN ('pos.sale.completed', 'inventory.stock.sold')) AS audit,
              (SELECT count(*)::int FROM jobs_outbox WHERE tenant_id = $1 AND type IN ('pos.sale.completed', 'inventory.stock.moved')) AS outbox,
              (SELECT count(*)::int FROM inventory_movement WHERE tenant_id = $1 AND kind = 'sale') AS movements`,
      [tenantId, PGBENCH_ACTOR],
    );
    return rows[0] as { api: number; pgbench: number; audit: number; outbox: number; movements: number };
  } finally {
    await client.end();
  }
}

const tenth = (ms: number) => Math.round(ms * 10) / 10;
/** Requests per second and latencies as the means over a variant's two slices. */
const meanOf = (x: LoadResult, y: LoadResult): LoadResult => ({
  requestsPerSecond: (x.requestsPerSecond + y.requestsPerSecond) / 2,
  p50Ms: tenth((x.p50Ms + y.p50Ms) / 2),
  p99Ms: tenth((x.p99Ms + y.p99Ms) / 2),
  non2xx: x.non2xx + y.non2xx,
  errors: x.errors + y.errors,
});

/**
 * POS sales per second through the API (POST /v1/pos/sales: a 3-line cash sale, each a fresh
 * client id, by a cashier's bearer token; the full app in its own process over a scratch database
 * with DB_POOL_MAX = connections) vs. a pgbench custom script writing the same rows on the same
 * tables (see pgbenchScript for what it leaves out), with the same number of connections. Both
 * sell from one register at one location, so both queue on the same register and stock row locks.
 * After a 1 s warm-up of each, measured interleaved (plinth, pgbench, pgbench, plinth), each half
 * of BENCH_DURATION per slice. Without a pgbench binary the baseline row is skipped (no ratio).
 */
export const posSaleBenchmark: Benchmark = {
  name: 'pos sale: POST /v1/pos/sales (3 lines, stock, audit, outbox) vs pgbench equivalent SQL',
  baseline:
    'pgbench -M prepared running a custom script that writes the same rows and takes the same locks as one 3-line cash sale ' +
    '(register number, sale, lines, tender, stock, movements, audit chain, outbox) as plinth_app under row-level security, ' +
    'same database and connections; no authentication, validation, catalog reads or checks (see pgbenchScript)',
  async run({ duration, connections }) {
    const folder = await temporaryFolder('plinth-bench-');
    const dataDir = folder.path;
    let database: ScratchDatabase | undefined;
    let server: ServerProcess | undefined;
    try {
      database = await scratchDatabase();
      server = await startServerProcess('pos-app.ts', { PLINTH_DATA_DIR: dataDir, DATABASE_URL: database.url, DB_POOL_MAX: String(connections) });
      const till = JSON.parse(await readFile(path.join(dataDir, 'bench-pos.json'), 'utf8')) as PosTill;
      const sample = await sampleSale(server.url, till);
      const url = server.url;
      const slice = Math.max(2, Math.round(duration / 2));
      const api = (seconds: number) => measureSales(url, till, seconds, connections);

      const pgbench = await findPgbench();
      if (!pgbench) {
        process.stdout.write('  pgbench not found (PGBENCH, PATH, /usr/lib/postgresql/*/bin): baseline row skipped, no ratio measured. Debian: apt-get install postgresql-client\n');
        await api(1);
        const plinth = meanOf(await api(slice), await api(slice));
        return {
          rows: [{ label: 'API: POST /v1/pos/sales', result: plinth }],
          ratio: { label: 'API / pgbench sales per second (pgbench missing: not measured)', value: Number.NaN, target: '≥ 0.5' },
        };
      }
      const scriptFile = path.join(dataDir, 'pos-sale.pgbench.sql');
      await writeFile(scriptFile, pgbenchScript(till, sample));
      const variables = { tenant: till.tenantId, register: till.registerId, shift: till.shiftId, location: till.locationId, register_code: till.registerCode, actor: PGBENCH_ACTOR };
      const sql = (seconds: number) => runPgbench({ binary: pgbench, url: database?.url as string, scriptFile, variables, duration: seconds, connections });

      const before = await countSales(database.url, till.tenantId);
      await api(1);
      await sql(1);
      const a1 = await api(slice);
      const b1 = await sql(slice);
      const b2 = await sql(slice);
      const a2 = await api(slice);
      const after = await countSales(database.url, till.tenantId);

      process.stdout.write(`  slices: api ${a1.requestsPerSecond.toFixed(1)} / ${a2.requestsPerSecond.toFixed(1)}, pgbench ${b1.requestsPerSecond.toFixed(1)} / ${b2.requestsPerSecond.toFixed(1)}\n`);
      const plinth = meanOf(a1, a2);
      const baseline: LoadResult = meanOf(b1, b2);
      const pgbenchTransactions = (b1 as PgbenchResult).transactions + (b2 as PgbenchResult).transactions;
      process.stdout.write(
        `  rows written while measuring: ${after.api - before.api} API sales, ${after.pgbench - before.pgbench} pgbench sales (pgbench counted ${pgbenchTransactions}; warm-ups included in the row counts),` +
          ` ${after.movements - before.movements} movements, ${after.audit - before.audit} audit entries, ${after.outbox - before.outbox} outbox rows (3 / 2 / 2 per sale)\n`,
      );
      return {
        rows: [
          { label: 'API: POST /v1/pos/sales (full app)', result: plinth },
          { label: `pgbench: same rows + locks in SQL (${path.basename(pgbench)})`, result: baseline },
        ],
        ratio: { label: 'API / pgbench sales per second', value: plinth.requestsPerSecond / baseline.requestsPerSecond, target: '≥ 0.5' },
      };
    } finally {
      await server?.stop();
      await database?.stop();
      await folder.remove();
    }
  },
};
