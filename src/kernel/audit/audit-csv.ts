import { Readable, pipeline } from 'node:stream';
import canonicalize from 'canonicalize';
import { stringify } from 'csv-stringify';
import type { ServiceContext } from '../context.ts';
import { auditEventBatches } from './audit-list.ts';
import type { AuditFilters } from './domain/audit-event.ts';

/** The header names the stored columns, so the export can be re-hashed with the chain's own field names. */
const COLUMNS = [
  ['seq', 'seq'],
  ['id', 'id'],
  ['occurredAt', 'occurred_at'],
  ['actor', 'actor'],
  ['action', 'action'],
  ['targetType', 'target_type'],
  ['targetId', 'target_id'],
  ['requestId', 'request_id'],
  ['data', 'data'],
  ['prevHash', 'prev_hash'],
  ['hash', 'hash'],
] as const;

async function* records(ctx: ServiceContext, filters: AuditFilters) {
  for await (const batch of auditEventBatches(ctx, filters)) {
    // data as RFC 8785 JSON: the exact text the hash covers.
    for (const entry of batch) yield { ...entry, data: canonicalize(entry.data) };
  }
}

/**
 * The matching audit entries as CSV (RFC 4180 quoting by csv-stringify), streamed batch by batch.
 * Cells a spreadsheet would run as a formula (=, +, -, @ first) get a leading quote, as OWASP
 * advises for CSV meant for spreadsheets; the JSON listing keeps the exact values.
 */
export function auditCsv(ctx: ServiceContext, filters: AuditFilters): Readable {
  const csv = stringify({
    header: true,
    columns: COLUMNS.map(([key, header]) => ({ key, header })),
    escape_formulas: true,
  });
  return pipeline(Readable.from(records(ctx, filters)), csv, (error) => {
    if (error) ctx.log.error({ err: error }, 'audit CSV export failed midway');
  });
}
