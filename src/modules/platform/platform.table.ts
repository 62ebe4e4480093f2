import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { appUser } from '../../kernel/identity/user.table.ts';
import { tenantTable } from '../../kernel/tenancy/index.ts';

/*
 * The platform's own records about businesses. None has a tenant_id column on purpose: they
 * belong to the platform, not to the business they describe, and the console reads them across
 * all businesses (as the kernel's tenant table). Only routes holding platform.* permissions,
 * which count in the platform tenant alone, reach them.
 */

/** A business sign-up awaiting (or past) the platform's decision; one per applicant tenant. */
export const platformSignup = pgTable(
  'platform_signup',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    businessTenantId: uuid('business_tenant_id')
      .notNull()
      .unique()
      .references(() => tenantTable.id),
    ownerUserId: uuid('owner_user_id')
      .notNull()
      .references(() => appUser.id),
    ownerName: text('owner_name').notNull(),
    ownerEmail: text('owner_email').notNull(),
    decision: text('decision').$type<'approved' | 'rejected'>(),
    decisionReason: text('decision_reason'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('platform_signup_decision_known', sql`${table.decision} IN ('approved', 'rejected')`)],
);

/** What a business pays and gets: price (minor units), limits and the modules it includes. */
export const platformPlan = pgTable(
  'platform_plan',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull().unique(),
    name: text('name').notNull(),
    priceMinor: bigint('price_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    interval: text('interval').$type<'month' | 'year'>().notNull(),
    /** Billing maps plans onto Stripe prices later; null until then. */
    stripePriceId: text('stripe_price_id'),
    /** null: no limit. */
    maxMembers: integer('max_members'),
    maxLocations: integer('max_locations'),
    maxTerminals: integer('max_terminals'),
    /** Module ids the plan includes; null: every module of the business's edition. */
    modules: text('modules').array(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Billing finds a subscription's plan by its Stripe price: one plan per price.
    uniqueIndex('platform_plan_stripe_price_key').on(table.stripePriceId),
    check('platform_plan_price_non_negative', sql`${table.priceMinor} >= 0`),
    check('platform_plan_currency_format', sql`${table.currency} ~ '^[A-Z]{3}$'`),
    check('platform_plan_interval_known', sql`${table.interval} IN ('month', 'year')`),
    check('platform_plan_limits_non_negative', sql`coalesce(${table.maxMembers}, 0) >= 0 AND coalesce(${table.maxLocations}, 0) >= 0 AND coalesce(${table.maxTerminals}, 0) >= 0`),
  ],
);

/** The plan a business is on (none: no row). */
export const platformTenantPlan = pgTable('platform_tenant_plan', {
  businessTenantId: uuid('business_tenant_id')
    .primaryKey()
    .references(() => tenantTable.id),
  planId: uuid('plan_id')
    .notNull()
    .references(() => platformPlan.id),
  assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
});

export const SUSPENSION_CAUSES = ['operator', 'billing'] as const;
export type SuspensionCause = (typeof SUSPENSION_CAUSES)[number];

/** Why a suspended business is suspended (one row while it is): billing lifts only the suspensions it caused. */
export const platformTenantSuspension = pgTable(
  'platform_tenant_suspension',
  {
    businessTenantId: uuid('business_tenant_id')
      .primaryKey()
      .references(() => tenantTable.id),
    cause: text('cause').$type<SuspensionCause>().notNull(),
    reason: text('reason').notNull(),
    suspendedAt: timestamp('suspended_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('platform_tenant_suspension_cause_known', sql`${table.cause} IN ('operator', 'billing')`)],
);

/**
 * The newest billing event the platform applied to a business (its subscription's status then):
 * billing events are handled as jobs, which a retry can deliver out of order; older ones are ignored.
 */
export const platformTenantBilling = pgTable('platform_tenant_billing', {
  businessTenantId: uuid('business_tenant_id')
    .primaryKey()
    .references(() => tenantTable.id),
  status: text('status').notNull(),
  eventAt: timestamp('event_at', { withTimezone: true }).notNull(),
});

/** A notice shown as a banner on the pages of the businesses it targets, between visible_from and ends_at. */
export const platformAnnouncement = pgTable(
  'platform_announcement',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<'announcement' | 'maintenance'>().notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    severity: text('severity').$type<'info' | 'warning' | 'critical'>().notNull(),
    audience: text('audience').$type<'all' | 'editions' | 'tenants'>().notNull(),
    audienceEditions: text('audience_editions').array().notNull().default(sql`'{}'::text[]`),
    audienceTenantIds: uuid('audience_tenant_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** From when the banner shows: the start for announcements, ahead of the window for maintenance. */
    visibleFrom: timestamp('visible_from', { withTimezone: true }).notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('platform_announcement_kind_known', sql`${table.kind} IN ('announcement', 'maintenance')`),
    check('platform_announcement_severity_known', sql`${table.severity} IN ('info', 'warning', 'critical')`),
    check('platform_announcement_audience_known', sql`${table.audience} IN ('all', 'editions', 'tenants')`),
    check('platform_announcement_window', sql`${table.visibleFrom} <= ${table.startsAt} AND ${table.startsAt} < ${table.endsAt}`),
    index('platform_announcement_live_idx').on(table.endsAt, table.visibleFrom),
  ],
);
