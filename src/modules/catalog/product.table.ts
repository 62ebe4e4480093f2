import { sql } from 'drizzle-orm';
import { bigint, boolean, check, customType, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const catalogProduct = pgTable(
  'catalog_product',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    sku: text('sku').notNull(),
    priceMinor: bigint('price_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    /** What the business pays for one unit; only roles with catalog.product_cost.read see it. */
    costMinor: bigint('cost_minor', { mode: 'number' }),
    /** What a scanner reads (EAN/UPC or the business's own code); unique within the business. */
    barcode: text('barcode'),
    /** The till groups its product grid by this; free text so a business names its own. */
    category: text('category'),
    /** When the product's picture last changed (null: none); it versions the picture's URL. */
    imageUpdatedAt: timestamp('image_updated_at', { withTimezone: true }),
    active: boolean('active').notNull().default(true),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('catalog_product_tenant_sku_key').on(table.tenantId, sql`lower(${table.sku})`),
    uniqueIndex('catalog_product_tenant_barcode_key').on(table.tenantId, table.barcode).where(sql`${table.barcode} IS NOT NULL`),
    index('catalog_product_tenant_category_idx').on(table.tenantId, table.category),
    index('catalog_product_tenant_name_idx').on(table.tenantId, table.name, table.id),
    check('catalog_product_price_non_negative', sql`${table.priceMinor} >= 0`),
    check('catalog_product_cost_non_negative', sql`${table.costMinor} >= 0`),
    check('catalog_product_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/** A product's picture, already resized and re-encoded as WebP (uploads are never served as sent). */
export const catalogProductImage = pgTable(
  'catalog_product_image',
  {
    tenantId: uuid('tenant_id').notNull(),
    productId: uuid('product_id').notNull(),
    content: bytea('content').notNull(),
    contentType: text('content_type').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.productId] }),
    foreignKey({ columns: [table.tenantId, table.productId], foreignColumns: [catalogProduct.tenantId, catalogProduct.id] }).onDelete('cascade'),
  ],
);
