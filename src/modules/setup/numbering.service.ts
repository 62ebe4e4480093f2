import { and, eq, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../kernel/context.ts';
import type { UnitOfWork } from '../../kernel/tenancy/index.ts';
import { documentSequence, setupBusinessDefaults, type DocumentKind } from './setup.table.ts';

/** Digits a document number is padded to (R-T1-000042). */
const NUMBER_DIGITS = 6;

/**
 * The next receipt or invoice number of a register, in the caller's unit of work: the sequence row
 * is taken under its lock and moves with the document, so a rolled-back document leaves no gap and
 * two registers never share a number. The prefix is the one the setup chose.
 */
export async function nextDocumentNumber(uow: UnitOfWork<Pick<ServiceContext, 'tenantId'>>, kind: DocumentKind, registerCode: string): Promise<string> {
  const [taken] = await uow.tx
    .insert(documentSequence)
    .values({ tenantId: uow.tenantId, kind, registerCode, nextNumber: 2 })
    .onConflictDoUpdate({ target: [documentSequence.tenantId, documentSequence.kind, documentSequence.registerCode], set: { nextNumber: sql`${documentSequence.nextNumber} + 1` } })
    .returning({ number: sql<number>`${documentSequence.nextNumber} - 1` });
  if (!taken) throw new Error('setup_document_sequence upsert returned no row');
  const [defaults] = await uow.tx
    .select({ receipt: setupBusinessDefaults.receiptPrefix, invoice: setupBusinessDefaults.invoicePrefix })
    .from(setupBusinessDefaults)
    .where(and(eq(setupBusinessDefaults.tenantId, uow.tenantId)));
  const prefix = defaults?.[kind] ?? (kind === 'receipt' ? 'R' : 'INV');
  return `${prefix}-${registerCode}-${String(taken.number).padStart(NUMBER_DIGITS, '0')}`;
}
