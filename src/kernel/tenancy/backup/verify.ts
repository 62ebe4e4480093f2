import { verifyAuditChain } from '../../audit/index.ts';
import type { Db } from '../../db/index.ts';
import type { RestoreVerification } from './backup.table.ts';
import { scopeSnapshot } from './export.ts';
import { TableChecksum } from './format.ts';
import { remapRow, reverse } from './remap.ts';
import type { RestoreResult } from './restore.ts';
import { readTenantRows } from './tables.ts';

/**
 * Checks a restore against its backup: reads the new business's rows of every table in the
 * header (one snapshot), maps their ids back to the source's, and compares row counts and
 * checksums with the header's; then walks the new audit chain. The restore's own audit entry is
 * not in the backup and is left out.
 */
export async function verifyRestore(db: Db, restored: RestoreResult): Promise<RestoreVerification> {
  const back = reverse(restored.ids);
  const mismatches: RestoreVerification['mismatches'] = [];
  let rows = 0;
  await db.transaction(
    async (tx) => {
      await scopeSnapshot(tx, restored.tenantId);
      for (const table of restored.header.tables) {
        const sum = new TableChecksum(table.columns);
        const idColumn = table.columns.findIndex((column) => column.name === 'id');
        for await (const values of readTenantRows(tx, table, restored.tenantId)) {
          if (table.name === 'audit_event' && values[idColumn] === restored.restoreEntryId) continue;
          sum.add(remapRow(table.columns, values, back));
        }
        rows += sum.rows;
        const actual = { rows: sum.rows, sha256: sum.digest() };
        if (actual.rows !== table.rows || actual.sha256 !== table.sha256) mismatches.push({ table: table.name, expected: { rows: table.rows, sha256: table.sha256 }, actual });
      }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const chain = await verifyAuditChain(db, restored.tenantId);
  return {
    ok: mismatches.length === 0 && chain.ok,
    tables: restored.header.tables.length,
    rows,
    mismatches,
    auditChain: chain.ok ? { ok: true, entries: chain.entries } : { ok: false, brokenAtSeq: chain.brokenAt.seq },
  };
}
