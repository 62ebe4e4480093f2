import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantTable } from '../tenancy/tenant.table.ts';

export const SECURITY_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type SecuritySeverity = (typeof SECURITY_SEVERITIES)[number];

/**
 * Something security staff should see (failed sign-ins, lockouts, denials, token reuse, refund
 * spikes), under the tenant it concerns or the platform tenant when none applies. Kinds are open
 * (modules add their own) but must look like `snake_case`.
 */
export const securityEvent = pgTable(
  'security_event',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenantTable.id),
    id: uuid('id').notNull().defaultRandom(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    kind: text('kind').notNull(),
    severity: text('severity').$type<SecuritySeverity>().notNull(),
    actor: text('actor').notNull(),
    ip: text('ip'),
    requestId: text('request_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('security_event_tenant_occurred_idx').on(table.tenantId, table.occurredAt),
    index('security_event_tenant_kind_idx').on(table.tenantId, table.kind, table.occurredAt),
    check('security_event_kind_format', sql`${table.kind} ~ '^[a-z][a-z0-9_]{0,62}$'`),
    check('security_event_severity_known', sql`${table.severity} IN ('info', 'warning', 'critical')`),
  ],
);
