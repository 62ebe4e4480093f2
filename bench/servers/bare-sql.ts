/**
 * Baseline of the catalog list: a bare Fastify route running the product list's SQL — the
 * statement listProducts builds (same table columns, filter, name order, window count, page) — on
 * the same database as the same role (plinth_app, under row-level security) and answering the same
 * JSON. Left out is what the app does per request around that statement: the guard (token,
 * tenant, permissions, rate limit), the transaction and tenant scope (set here once per
 * connection, as its startup parameters), Zod validation and serialization, and the app's other hooks.
 * BENCH_TENANT_SLUG names the tenant whose products it lists (default `bench`).
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import Fastify from 'fastify';
import pg from 'pg';
import { loadConfig } from '../../src/kernel/config/index.ts';
import { APP_ROLE, createDatabase, TENANT_SETTING } from '../../src/kernel/db/index.ts';
import { createLogger } from '../../src/kernel/observability/logger.ts';
import { tenantTable } from '../../src/kernel/tenancy/index.ts';
import { productImageUrl } from '../../src/modules/catalog/image.url.ts';
import { catalogProduct } from '../../src/modules/catalog/product.table.ts';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', PORT: '0' });
const log = createLogger('warn');
const lookup = createDatabase(config.databaseUrl as string, { poolMax: 1, log });
const [tenant] = await lookup.db
  .select({ id: tenantTable.id })
  .from(tenantTable)
  .where(eq(tenantTable.slug, process.env.BENCH_TENANT_SLUG ?? 'bench'));
await lookup.close();
if (!tenant) throw new Error('no bench tenant: start plinth-app.ts on this database first');
// The role and the tenant scope as startup parameters of each connection, instead of a transaction per request.
const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.dbPoolMax, options: `-c role=${APP_ROLE} -c ${TENANT_SETTING}=${tenant.id}` });
const db = drizzle({ client: pool });

const page = db
  .select({ product: catalogProduct, total: sql<number>`count(*) over ()`.mapWith(Number) })
  .from(catalogProduct)
  .where(and(eq(catalogProduct.tenantId, tenant.id), isNull(catalogProduct.archivedAt)))
  .orderBy(asc(catalogProduct.name), asc(catalogProduct.id))
  .limit(sql.placeholder('limit'))
  .offset(sql.placeholder('offset'))
  .prepare('bench_bare_product_list');

const app = Fastify({ logger: false });
app.get('/v1/catalog/products', async (request, reply) => {
  const query = request.query as { page?: string; pageSize?: string };
  const pageSize = Number(query.pageSize ?? 20);
  const pageNumber = Number(query.page ?? 1);
  const rows = await page.execute({ limit: pageSize, offset: (pageNumber - 1) * pageSize });
  const total = rows[0]?.total ?? 0;
  // The API's fields in its order (the bench checks the bytes match); a picture's URL is versioned by its time.
  const data = rows.map(({ product: row }) => ({
    id: row.id,
    name: row.name,
    sku: row.sku,
    barcode: row.barcode,
    category: row.category,
    imageUrl: row.imageUpdatedAt ? productImageUrl(row.id, row.imageUpdatedAt) : null,
    priceMinor: row.priceMinor,
    currency: row.currency,
    costMinor: row.costMinor,
    active: row.active,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
  const body = { data, pagination: { page: pageNumber, pageSize, total, totalPages: Math.ceil(total / pageSize) } };
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ listening: url })}\n`);
process.on('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
