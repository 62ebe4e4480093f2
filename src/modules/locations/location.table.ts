import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** A place where the business keeps or sells stock: a shop, a warehouse, a stall. */
export const locationsLocation = pgTable(
  'locations_location',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    /** Short code staff use on labels and receipts (e.g. MAIN, WH1); unique per tenant, any case. */
    code: text('code').notNull(),
    address: text('address'),
    /** IANA zone the location works in (opening hours, reports by local day). */
    timeZone: text('time_zone').notNull(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('locations_location_tenant_code_key').on(table.tenantId, sql`lower(${table.code})`),
    index('locations_location_tenant_name_idx').on(table.tenantId, table.name, table.id),
    check('locations_location_code_format', sql`${table.code} ~ '^[A-Za-z0-9][A-Za-z0-9_-]*$'`),
  ],
);
