import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/index.ts';
import { TENANT_SETTING } from '../../db/index.ts';
import { tenantTable } from '../tenant.table.ts';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, fileSha256, schemaVersion, TableChecksum, type BackupHeader, type BackupTableHeader } from './format.ts';
import { discoverTenantTables, readTenantRows } from './tables.ts';

export interface ExportResult {
  header: BackupHeader;
  sizeBytes: number;
  sha256: string;
}

/** Opens the transaction a backup reads or checks a tenant in: UTC text forms, scoped to the tenant. */
export async function scopeSnapshot(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`SELECT set_config('TimeZone', 'UTC', true), set_config(${TENANT_SETTING}, ${tenantId}, true)`);
}

/**
 * Writes a logical backup of one tenant to `filePath`: every tenant table (tables.ts), read in one
 * REPEATABLE READ, READ ONLY transaction, so the file is one consistent moment of the business
 * even while it keeps selling. Rows stream from a cursor through gzip to disk; only the per-row
 * digests of the current table are held in memory. The file appears under its name only when
 * complete (written beside it, then renamed).
 */
export async function exportTenant(db: Db, input: { backupId: string; tenantId: string; filePath: string }): Promise<ExportResult> {
  await mkdir(path.dirname(input.filePath), { recursive: true });
  const bodyPath = `${input.filePath}.rows.partial`;
  const partialPath = `${input.filePath}.partial`;
  try {
    const header = await db.transaction(
      async (tx) => {
        await scopeSnapshot(tx, input.tenantId);
        const [source] = await tx
          .select({ tenantId: tenantTable.id, slug: tenantTable.slug, name: tenantTable.name, edition: tenantTable.edition, timeZone: tenantTable.timeZone })
          .from(tenantTable)
          .where(eq(tenantTable.id, input.tenantId));
        if (!source) throw new Error(`tenant ${input.tenantId} does not exist`);
        const { tables, excluded } = await discoverTenantTables(tx);
        const summaries: BackupTableHeader[] = [];
        async function* lines() {
          for (const table of tables) {
            const checksum = new TableChecksum(table.columns);
            for await (const values of readTenantRows(tx, table, input.tenantId)) {
              checksum.add(values);
              yield `${JSON.stringify([table.name, values])}\n`;
            }
            summaries.push({ ...table, rows: checksum.rows, sha256: checksum.digest() });
          }
        }
        await pipeline(Readable.from(lines()), createGzip(), createWriteStream(bodyPath));
        const { rows: head } = await tx.execute<{ seq: number; hash: string }>(
          sql`SELECT seq, hash FROM audit_event WHERE tenant_id = ${input.tenantId} ORDER BY seq DESC LIMIT 1`,
        );
        const result: BackupHeader = {
          format: BACKUP_FORMAT,
          version: BACKUP_FORMAT_VERSION,
          backupId: input.backupId,
          createdAt: new Date().toISOString(),
          source,
          schema: await schemaVersion(tx),
          tables: summaries,
          excluded,
          audit: { entries: head[0]?.seq ?? 0, headHash: head[0]?.hash ?? null },
        };
        return result;
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    await pipeline(Readable.from([`${JSON.stringify(header)}\n`]), createGzip(), createWriteStream(partialPath));
    await pipeline(createReadStream(bodyPath), createWriteStream(partialPath, { flags: 'a' }));
    await rename(partialPath, input.filePath);
    return { header, sizeBytes: (await stat(input.filePath)).size, sha256: await fileSha256(input.filePath) };
  } finally {
    await rm(bodyPath, { force: true });
    await rm(partialPath, { force: true });
  }
}
