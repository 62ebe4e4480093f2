import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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
    active: boolean('active').notNull().default(true),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('catalog_product_tenant_sku_key').on(table.tenantId, sql`lower(${table.sku})`),
    index('catalog_product_tenant_name_idx').on(table.tenantId, table.name, table.id),
    check('catalog_product_price_non_negative', sql`${table.priceMinor} >= 0`),
    check('catalog_product_cost_non_negative', sql`${table.costMinor} >= 0`),
    check('catalog_product_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
  ],
);
