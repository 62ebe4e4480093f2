import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { EnquiryKind, EnquiryStatus } from './domain/enquiry.ts';

/** A visitor's enquiry or access request from the business's public site, and where staff have taken it. */
export const enquiriesEnquiry = pgTable(
  'enquiries_enquiry',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull().defaultRandom(),
    kind: text('kind').$type<EnquiryKind>().notNull(),
    status: text('status').$type<EnquiryStatus>().notNull().default('new'),
    name: text('name').notNull(),
    email: text('email').notNull(),
    phone: text('phone').notNull().default(''),
    postcode: text('postcode').notNull().default(''),
    message: text('message').notNull().default(''),
    closeReason: text('close_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.id] }),
    index('enquiries_enquiry_pipeline_idx').on(table.tenantId, table.status, table.createdAt),
    check('enquiries_enquiry_kind_known', sql`${table.kind} IN ('enquiry', 'access')`),
    check('enquiries_enquiry_status_known', sql`${table.status} IN ('new', 'contacted', 'qualified', 'converted', 'closed')`),
    check('enquiries_enquiry_closed_has_reason', sql`(${table.status} = 'closed') = (${table.closeReason} IS NOT NULL)`),
  ],
);
