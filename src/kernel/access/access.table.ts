import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { appUser } from '../identity/user.table.ts';
import { tenantTable } from '../tenancy/tenant.table.ts';

/** A named set of permissions in one tenant; template_key says which edition template it came from. */
export const accessRole = pgTable(
  'access_role',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenantTable.id),
    id: uuid('id').notNull().defaultRandom(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    permissions: text('permissions').array().notNull().default(sql`'{}'::text[]`),
    templateKey: text('template_key'),
    /** Holders must sign in with a second factor (enrolling at their next sign-in if they have none). */
    requiresTwoStep: boolean('requires_two_step').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    uniqueIndex('access_role_tenant_key').on(table.tenantId, table.key),
    check('access_role_key_format', sql`${table.key} ~ '^[a-z][a-z0-9_]{1,47}$'`),
  ],
);

export const MEMBER_STATUSES = ['active', 'suspended'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** A user's membership of a tenant. */
export const tenantMember = pgTable(
  'tenant_member',
  {
    tenantId: uuid('tenant_id').notNull().references(() => tenantTable.id),
    userId: uuid('user_id').notNull().references(() => appUser.id),
    status: text('status').$type<MemberStatus>().notNull().default('active'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.userId] }),
    check('tenant_member_status_known', sql`${table.status} IN ('active', 'suspended')`),
  ],
);

export const tenantMemberRole = pgTable(
  'tenant_member_role',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    roleId: uuid('role_id').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.userId, table.roleId] }),
    foreignKey({ columns: [table.tenantId, table.userId], foreignColumns: [tenantMember.tenantId, tenantMember.userId] }).onDelete('cascade'),
    foreignKey({ columns: [table.tenantId, table.roleId], foreignColumns: [accessRole.tenantId, accessRole.id] }).onDelete('cascade'),
  ],
);
