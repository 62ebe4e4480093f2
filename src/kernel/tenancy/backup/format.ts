import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import canonicalize from 'canonicalize';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/index.ts';
import type { RowValue, TableColumn } from './tables.ts';

/**
 * A backup file is gzip-compressed JSON lines: line 1 is the header, then one line per row,
 * `[table, [values…]]`, tables in the header's order (parents first) and each table's rows
 * together. Values are PostgreSQL's text form of the column, or the JSON itself for json columns,
 * or null. The header comes first although its counts and checksums are known only after the
 * rows are read: the export writes the rows to a gzip member of their own, then the file as a
 * header member followed by that one (a gzip file may hold several members; gunzip reads on).
 */
export const BACKUP_FORMAT = 'plinth.tenant-backup';
export const BACKUP_FORMAT_VERSION = 1;

export interface BackupTableHeader {
  name: string;
  columns: TableColumn[];
  primaryKey: string[];
  ownIds: string[];
  rows: number;
  /** See TableChecksum. */
  sha256: string;
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  backupId: string;
  createdAt: string;
  /** timeZone: absent in backups written before businesses had one (they were on UTC). */
  source: { tenantId: string; slug: string; name: string; edition: string; timeZone?: string };
  /** The applied migrations when the snapshot was taken; a restore needs the same. */
  schema: SchemaVersion;
  tables: BackupTableHeader[];
  excluded: { table: string; reason: string }[];
  /** The source's audit chain head in the snapshot: what a restored chain's first entry links back to. */
  audit: { entries: number; headHash: string | null };
}

export interface SchemaVersion {
  /** sha256 over every migration unit's applied count and last hash. */
  digest: string;
  units: Record<string, string>;
}

/** The installation's migration state: per unit `<count>:<last hash>`, and one digest of them all. */
export async function schemaVersion(db: Db | Tx): Promise<SchemaVersion> {
  const { rows: unitRows } = await db.execute<{ unit: string }>(sql`SELECT table_name AS unit FROM information_schema.tables WHERE table_schema = 'plinth_migrations' ORDER BY table_name`);
  const units: Record<string, string> = {};
  for (const { unit } of unitRows) {
    const { rows } = await db.execute<{ n: string; hash: string | null }>(
      sql.raw(`SELECT count(*)::text AS n, (SELECT hash FROM plinth_migrations."${unit.replaceAll('"', '""')}" ORDER BY id DESC LIMIT 1) AS hash FROM plinth_migrations."${unit.replaceAll('"', '""')}"`),
    );
    units[unit] = `${rows[0]?.n ?? '0'}:${rows[0]?.hash ?? ''}`;
  }
  return { digest: createHash('sha256').update(canonicalize(units) as string).digest('hex'), units };
}

/**
 * Per table: sha256 over the sorted sha256s of its rows' canonical JSON (RFC 8785) of the
 * checked columns (see TableColumn.checked). Sorted, not in primary-key order, because a restore gives
 * rows new ids and so a new order; mapped back to the old ids, the same rows give the same sum
 * whatever order they come back in.
 */
export class TableChecksum {
  private readonly digests: Buffer[] = [];
  private readonly keep: boolean[];

  constructor(columns: readonly TableColumn[]) {
    this.keep = columns.map((column) => column.checked);
  }

  add(values: readonly RowValue[]): void {
    const kept = values.filter((_, index) => this.keep[index]);
    this.digests.push(createHash('sha256').update(canonicalize(kept) as string).digest());
  }

  get rows(): number {
    return this.digests.length;
  }

  digest(): string {
    const hash = createHash('sha256');
    for (const digest of [...this.digests].sort(Buffer.compare)) hash.update(digest);
    return hash.digest('hex');
  }
}

export class BackupFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupFileError';
  }
}

/** sha256 of a file's bytes, streamed. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The lines of a gzip file, streamed. Not readline: it does not pass on the errors of the stream
 * it reads, and a truncated gzip must fail the read, not end it early.
 */
async function* gunzipLines(path: string): AsyncGenerator<string> {
  const gunzip = createGunzip();
  const input = createReadStream(path);
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of gunzip) {
    rest += decoder.write(chunk as Buffer);
    const lines = rest.split('\n');
    rest = lines.pop() ?? '';
    yield* lines;
  }
  rest += decoder.end();
  if (rest !== '') yield rest;
}

/**
 * Reads a backup file: the header, then each row with its table. Refuses (BackupFileError) a file
 * that is not gzip, whose header is not a backup of this format version, or whose lines are not
 * rows of the header's tables in order. Counts and checksums are the caller's to compare.
 */
export async function* readBackup(path: string): AsyncGenerator<{ header: BackupHeader } | { table: BackupTableHeader; values: RowValue[] }> {
  let header: BackupHeader | undefined;
  let tableIndex = 0;
  try {
    for await (const line of gunzipLines(path)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new BackupFileError('The backup file is damaged: a line is not JSON.');
      }
      if (!header) {
        header = parsed as BackupHeader;
        if (header.format !== BACKUP_FORMAT) throw new BackupFileError('This is not a Plinth tenant backup file.');
        if (header.version !== BACKUP_FORMAT_VERSION)
          throw new BackupFileError(`The backup file has format version ${String(header.version)}; this installation reads version ${BACKUP_FORMAT_VERSION}.`);
        yield { header };
        continue;
      }
      if (!Array.isArray(parsed) || typeof parsed[0] !== 'string' || !Array.isArray(parsed[1])) throw new BackupFileError('The backup file is damaged: a line is not a row.');
      while (header.tables[tableIndex] && header.tables[tableIndex]?.name !== parsed[0]) tableIndex += 1;
      const table = header.tables[tableIndex];
      if (!table || parsed[1].length !== table.columns.length) throw new BackupFileError(`The backup file is damaged: a row of ${parsed[0]} is out of place or has the wrong columns.`);
      yield { table, values: parsed[1] as RowValue[] };
    }
  } catch (error) {
    if (error instanceof BackupFileError) throw error;
    // zlib's errors (truncated or corrupt gzip) and read errors.
    throw new BackupFileError(`The backup file cannot be read: ${(error as Error).message}`);
  }
  if (!header) throw new BackupFileError('The backup file is empty.');
}
