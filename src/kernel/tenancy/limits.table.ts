import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from './tenant.table.ts';

/**
 * The plan-limits hook: a tenant's ceiling per countable thing (members, terminals, …). No row
 * means no limit; billing writes these from the tenant's plan.
 */
export const tenantLimit = pgTable(
  'tenant_limit',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenantTable.id),
    key: text('key').notNull(),
    max: integer('max').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.key] }), check('tenant_limit_max_non_negative', sql`${table.max} >= 0`)],
);
