import { sql } from 'drizzle-orm';
import { boolean, check, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { TaxRate } from './domain/setup-input.ts';

/** What the first-run setup chose for the business: its money, taxes and document numbering. */
export const setupBusinessDefaults = pgTable(
  'setup_business_defaults',
  {
    tenantId: uuid('tenant_id').primaryKey(),
    currency: text('currency').notNull(),
    pricesIncludeTax: boolean('prices_include_tax').notNull(),
    taxRates: jsonb('tax_rates').$type<TaxRate[]>().notNull(),
    defaultTaxCode: text('default_tax_code').notNull(),
    receiptPrefix: text('receipt_prefix').notNull(),
    invoicePrefix: text('invoice_prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('setup_business_defaults_receipt_prefix_format', sql`${table.receiptPrefix} ~ '^[A-Z0-9-]{1,8}$'`),
    check('setup_business_defaults_invoice_prefix_format', sql`${table.invoicePrefix} ~ '^[A-Z0-9-]{1,8}$'`),
  ],
);

export const DOCUMENT_KINDS = ['receipt', 'invoice'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * The next number of each document kind per register. Taken under the row's lock in the
 * transaction that issues the document, so a rolled-back sale leaves no gap.
 */
export const documentSequence = pgTable(
  'setup_document_sequence',
  {
    tenantId: uuid('tenant_id').notNull(),
    kind: text('kind').$type<DocumentKind>().notNull(),
    registerCode: text('register_code').notNull(),
    nextNumber: integer('next_number').notNull().default(1),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.kind, table.registerCode] }),
    check('setup_document_sequence_kind_known', sql`${table.kind} IN ('receipt', 'invoice')`),
    check('setup_document_sequence_next_positive', sql`${table.nextNumber} > 0`),
  ],
);
