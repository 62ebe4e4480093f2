import { and, asc, count, eq, ilike, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import { isUniqueViolation, prepared } from '../../kernel/db/index.ts';
import { withTenantRead, withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import type { Page, Product, ProductInput, ProductListQuery, ProductPatch } from './domain/product.ts';
import { catalogErrors } from './errors.ts';
import { productImageUrl } from './image.url.ts';
import { catalogProduct } from './product.table.ts';

type Row = typeof catalogProduct.$inferSelect;
const SKU_KEY = 'catalog_product_tenant_sku_key';
const BARCODE_KEY = 'catalog_product_tenant_barcode_key';

function toProduct(row: Row): Product {
  return {
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
  };
}

/** What audit entries name as the target of a product change. */
const target = (id: string) => ({ type: 'catalog.product', id });

/** The fields a change can touch, as `{ field: { before, after } }` for those whose value differs. */
function changes(before: Product, after: Product, fields: readonly (keyof Product)[]): Record<string, { before: unknown; after: unknown }> {
  const changed: Record<string, { before: unknown; after: unknown }> = {};
  for (const field of fields) if (before[field] !== after[field]) changed[field] = { before: before[field], after: after[field] };
  return changed;
}

const EDITABLE = ['name', 'sku', 'barcode', 'category', 'priceMinor', 'currency', 'costMinor', 'active'] as const;

const ofTenant = (ctx: Pick<ServiceContext, 'tenantId'>, id: string) => and(eq(catalogProduct.tenantId, ctx.tenantId), eq(catalogProduct.id, id));

/** LIKE wildcards in a search term are literal text, not patterns. */
const escapeLike = (term: string) => term.replace(/[\\%_]/g, (character) => `\\${character}`);

function listFilter(ctx: ServiceContext, query: ProductListQuery): SQL | undefined {
  const conditions: (SQL | undefined)[] = [eq(catalogProduct.tenantId, ctx.tenantId)];
  if (query.status === 'archived') conditions.push(isNotNull(catalogProduct.archivedAt));
  else conditions.push(isNull(catalogProduct.archivedAt));
  if (query.status === 'active') conditions.push(eq(catalogProduct.active, true));
  if (query.status === 'inactive') conditions.push(eq(catalogProduct.active, false));
  if (query.q) {
    const pattern = `%${escapeLike(query.q)}%`;
    conditions.push(or(ilike(catalogProduct.name, pattern), ilike(catalogProduct.sku, pattern), ilike(catalogProduct.barcode, pattern), ilike(catalogProduct.category, pattern)));
  }
  return and(...conditions);
}

/** One round trip: the page and, through a window count, the total of all matching rows. */
export async function listProducts(ctx: ServiceContext, query: ProductListQuery): Promise<Page<Product>> {
  const where = listFilter(ctx, query);
  const { rows, total } = await withTenantRead(ctx, async (read) => {
    const rows = await read.tx
      .select({ product: catalogProduct, total: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(catalogProduct)
      .where(where)
      .orderBy(asc(catalogProduct.name), asc(catalogProduct.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize);
    // A page past the end has no rows to carry the window count; ask for the total alone.
    const total = rows[0]?.total ?? (query.page > 1 ? ((await read.tx.select({ total: count() }).from(catalogProduct).where(where))[0]?.total ?? 0) : 0);
    return { rows, total };
  });
  return {
    data: rows.map((row) => toProduct(row.product)),
    pagination: { page: query.page, pageSize: query.pageSize, total, totalPages: Math.ceil(total / query.pageSize) },
  };
}

export async function getProduct(ctx: ServiceContext, id: string): Promise<Product> {
  const [row] = await withTenantRead(ctx, (read) => read.tx.select().from(catalogProduct).where(ofTenant(ctx, id)).limit(1));
  if (!row) throw catalogErrors.productNotFound();
  return toProduct(row);
}

/** productsById's read, one text for any number of ids: every POS sale runs it. */
const productsWithIds = prepared('catalog_products_by_id', (tx) =>
  tx
    .select()
    .from(catalogProduct)
    .where(and(eq(catalogProduct.tenantId, sql.placeholder('tenantId')), sql`${catalogProduct.id} = ANY(${sql.placeholder('ids')}::uuid[])`)),
);

/**
 * Products by id inside the caller's transaction, in one query (ids not found are absent), for
 * use cases of other modules that must read and write in one transaction: a POS sale prices its
 * lines from these.
 */
export async function productsById(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, ids: readonly string[]): Promise<Map<string, Product>> {
  if (ids.length === 0) return new Map();
  const rows = await productsWithIds.execute(uow.tx, { tenantId: uow.tenantId, ids: [...new Set(ids)] });
  return new Map(rows.map((row) => [row.id, toProduct(row)]));
}

export function createProduct(ctx: ServiceContext, input: ProductInput): Promise<Product> {
  return withTenantTx(ctx, async (uow) => {
    await assertBusinessCurrency(uow, input.currency, null);
    const row = await uniqueOrConflict(input, async () => (await uow.tx.insert(catalogProduct).values({ ...input, tenantId: ctx.tenantId }).returning())[0]);
    if (!row) throw catalogErrors.productNotFound();
    const created = toProduct(row);
    const { name, sku, barcode, category, priceMinor, currency, costMinor, active } = created;
    recordAudit(uow, {
      action: 'catalog.product.created',
      target: target(created.id),
      data: { product: { name, sku, barcode, category, priceMinor, currency, costMinor, active } },
    });
    return created;
  });
}

/** A taken SKU or barcode, named as the field the person has to change. */
async function uniqueOrConflict<T>(input: { sku?: string | undefined; barcode?: string | null | undefined }, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (input.sku !== undefined && isUniqueViolation(error, SKU_KEY)) throw catalogErrors.skuTaken(input.sku);
    if (input.barcode && isUniqueViolation(error, BARCODE_KEY)) throw catalogErrors.barcodeTaken(input.barcode);
    throw error;
  }
}

/**
 * One business, one selling currency: the currency its products already carry. A product in
 * another could never be rung up at its tills (a sale is in the register's currency), so it is
 * refused here with a reason rather than vanishing from the till later.
 */
async function assertBusinessCurrency(uow: UnitOfWork, currency: string, exceptId: string | null): Promise<void> {
  const others = and(eq(catalogProduct.tenantId, uow.tenantId), isNull(catalogProduct.archivedAt), exceptId ? ne(catalogProduct.id, exceptId) : undefined);
  const [used] = await uow.tx.select({ currency: catalogProduct.currency }).from(catalogProduct).where(and(others, ne(catalogProduct.currency, currency))).limit(1);
  if (used) throw catalogErrors.currencyMismatch(currency, used.currency);
}

/** Locks the row so concurrent edits of one product apply one after the other. */
async function lockEditable(uow: UnitOfWork, id: string): Promise<Row> {
  const [row] = await uow.tx.select().from(catalogProduct).where(ofTenant(uow, id)).for('update').limit(1);
  if (!row) throw catalogErrors.productNotFound();
  return row;
}

export function updateProduct(ctx: ServiceContext, id: string, patch: ProductPatch): Promise<Product> {
  return withTenantTx(ctx, async (uow) => {
    const current = await lockEditable(uow, id);
    if (current.archivedAt) throw catalogErrors.productArchived();
    if (patch.currency !== undefined && patch.currency !== current.currency) await assertBusinessCurrency(uow, patch.currency, id);
    const [row] = await uniqueOrConflict(patch, () => uow.tx.update(catalogProduct).set({ ...patch, updatedAt: sql`now()` }).where(ofTenant(ctx, id)).returning());
    if (!row) throw catalogErrors.productNotFound();
    const updated = toProduct(row);
    recordAudit(uow, {
      action: 'catalog.product.updated',
      target: target(id),
      data: { changes: changes(toProduct(current), updated, EDITABLE) },
    });
    return updated;
  });
}

/** Archiving hides a product from sale and from default lists; restoring brings it back. Both are idempotent. */
export function setProductArchived(ctx: ServiceContext, id: string, archived: boolean): Promise<Product> {
  return withTenantTx(ctx, async (uow) => {
    const current = await lockEditable(uow, id);
    if (Boolean(current.archivedAt) === archived) return toProduct(current);
    const [row] = await uow.tx
      .update(catalogProduct)
      .set({ archivedAt: archived ? sql`now()` : null, updatedAt: sql`now()` })
      .where(ofTenant(ctx, id))
      .returning();
    if (!row) throw catalogErrors.productNotFound();
    const changed = toProduct(row);
    recordAudit(uow, {
      action: archived ? 'catalog.product.archived' : 'catalog.product.restored',
      target: target(id),
      data: { changes: changes(toProduct(current), changed, ['archivedAt']) },
    });
    return changed;
  });
}
