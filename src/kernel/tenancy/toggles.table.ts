import { boolean, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from './tenant.table.ts';

/** A module an edition mounts is on for every tenant unless a row here turns it off. */
export const tenantModuleToggle = pgTable(
  'tenant_module_toggle',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenantTable.id),
    moduleId: text('module_id').notNull(),
    enabled: boolean('enabled').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.moduleId] })],
);

/** Per-tenant feature flags: off unless set. */
export const tenantFeatureFlag = pgTable(
  'tenant_feature_flag',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenantTable.id),
    flag: text('flag').notNull(),
    enabled: boolean('enabled').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.tenantId, table.flag] })],
);
