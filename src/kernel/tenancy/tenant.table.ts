import { bigint, pgTable, uuid, text, timestamp, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

export const TENANT_STATUSES = ['pending', 'active', 'suspended', 'closed'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export const tenantTable = pgTable(
  'tenant',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    edition: text('edition').notNull(),
    status: text('status').$type<TenantStatus>().notNull().default('active'),
    /** IANA zone of the business's clocks: its report days, quiet hours and every time its pages show. */
    timeZone: text('time_zone').notNull().default('UTC'),
    /**
     * Moves on (by trigger) whenever anything that decides access in this tenant changes:
     * members, their roles, roles' permissions, module switches. The guard's cache of a
     * member's permissions is valid only while this stays the same.
     */
    accessVersion: bigint('access_version', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('tenant_status_known', sql`${table.status} IN ('pending', 'active', 'suspended', 'closed')`),
    check('tenant_slug_format', sql`${table.slug} ~ '^[a-z0-9][a-z0-9-]{1,62}$'`),
  ],
);
