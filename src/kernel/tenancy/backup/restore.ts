import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { auditHash, GENESIS_HASH, type AuditEntry } from '../../audit/hash.ts';
import { recordAudit } from '../../audit/index.ts';
import type { Actor } from '../../context.ts';
import { isUniqueViolation, type Db, type Tx } from '../../db/index.ts';
import { withTenantTx } from '../tx.ts';
import { AppError } from '../../errors.ts';
import { tenantTable } from '../tenant.table.ts';
import { scopeSnapshot } from './export.ts';
import { BackupFileError, readBackup, schemaVersion, TableChecksum, type BackupHeader, type BackupTableHeader } from './format.ts';
import { remapRow } from './remap.ts';
import { discoverTenantTables, ident, type RowValue } from './tables.ts';

export interface RestoreTarget {
  slug: string;
  name: string;
  actor: Actor;
  requestId: string;
  /** The job (tenant_backup row) doing the restore, recorded in the new chain; none from the CLI. */
  jobId?: string;
}

export interface RestoreResult {
  tenantId: string;
  header: BackupHeader;
  /** Source id → restored id, for the check that maps them back. */
  ids: Map<string, string>;
  /** The audit entry the restore itself appended (not in the backup, so left out of the check). */
  restoreEntryId: string;
}

/** Parameters per INSERT stay well under PostgreSQL's 65 535. */
const PARAMS_PER_INSERT = 20_000;

/**
 * Restores a backup file into a new business of this installation, in one transaction: a new
 * tenant row (suspended, so nobody works in the copy before the platform has looked at it), then
 * every table's rows with tenant_id set to the new tenant and every id of the source replaced by a
 * fresh one (remap.ts). Users stay who they are: memberships point at the same accounts, which is
 * how the same people reach the restored business, and no user row is copied or changed.
 *
 * The file is read twice. The first pass checks everything before a row is written: format and
 * schema version, each table's row count and checksum against the header, and the source's audit
 * chain, and collects the ids to replace. The second pass inserts. A damaged file is thus refused
 * up front, and anything failing later rolls the whole transaction back: nothing half-written.
 *
 * It runs as the app role under row-level security (app.tenant_id names the new tenant, so every
 * insert is checked to belong to it) and bypasses no trigger: the audit table stays append-only
 * because restored entries are inserted, never edited; see rechain() for how they still verify.
 */
export async function restoreTenant(db: Db, filePath: string, target: RestoreTarget): Promise<RestoreResult> {
  const tenantId = randomUUID();
  const { header, ids } = await checkBackup(db, filePath, tenantId);
  return withTenantTx({ db, tenantId, actor: target.actor, requestId: target.requestId }, async (uow) => {
    const { tx } = uow;
    // Restored rows keep their times as written: UTC, like the export's.
    await scopeSnapshot(tx, tenantId);
    await tx
      .insert(tenantTable)
      .values({ id: tenantId, slug: target.slug, name: target.name, edition: header.source.edition, status: 'suspended', ...(header.source.timeZone ? { timeZone: header.source.timeZone } : {}) })
      .catch((error: unknown) => {
        throw isUniqueViolation(error) ? new AppError('CONFLICT', `The address ${target.slug} is taken; restore again under another.`, { reason: 'TENANT_SLUG_TAKEN' }) : error;
      });
    const chain = { previous: GENESIS_HASH };
    let pending: { table: BackupTableHeader; rows: RowValue[][] } = { table: header.tables[0] as BackupTableHeader, rows: [] };
    const flush = async () => {
      if (pending.rows.length > 0) await insertRows(tx, pending.table, pending.rows);
      pending.rows = [];
    };
    // The file is checked again as it is inserted: had it changed since the first pass, the
    // transaction rolls back at the end instead of committing rows nobody checked.
    const sums = new Sums();
    for await (const item of readBackup(filePath)) {
      if ('header' in item) {
        if (JSON.stringify(item.header) !== JSON.stringify(header)) throw new BackupFileError('The backup file changed while it was being restored.');
        continue;
      }
      sums.add(item.table, item.values);
      if (pending.table !== item.table || pending.rows.length * item.table.columns.length >= PARAMS_PER_INSERT) {
        await flush();
        pending = { table: item.table, rows: [] };
      }
      const values = remapRow(item.table.columns, item.values, ids);
      pending.rows.push(item.table.name === 'audit_event' ? rechain(item.table, values, chain) : values);
    }
    await flush();
    sums.assertMatch(header);
    const entry = recordAudit(
      uow,
      {
        action: 'tenancy.tenant.restored',
        target: { type: 'tenancy.tenant', id: tenantId },
        data: {
          backupId: header.backupId,
          restoreJobId: target.jobId ?? null,
          source: { tenantId: header.source.tenantId, slug: header.source.slug },
          backupCreatedAt: header.createdAt,
          // Where the source's chain stood in the backup: entries 1..n above are those entries, re-chained.
          sourceAudit: header.audit,
        },
      },
    );
    return { tenantId, header, ids, restoreEntryId: entry.id };
  });
}

/** First pass: the checks that refuse a file, and the source ids with their replacements. */
async function checkBackup(db: Db, filePath: string, tenantId: string): Promise<{ header: BackupHeader; ids: Map<string, string> }> {
  let header: BackupHeader | undefined;
  const ids = new Map<string, string>();
  const sums = new Sums();
  const chain = { seq: 0, hash: GENESIS_HASH };
  for await (const item of readBackup(filePath)) {
    if ('header' in item) {
      header = item.header;
      await checkSchema(db, header);
      ids.set(header.source.tenantId, tenantId);
      continue;
    }
    const { table, values } = item;
    sums.add(table, values);
    table.ownIds.forEach((column) => {
      const value = values[table.columns.findIndex((candidate) => candidate.name === column)];
      if (typeof value === 'string' && !ids.has(value)) ids.set(value, randomUUID());
    });
    if (table.name === 'audit_event') {
      const { entry, hash } = auditEntryOf(table, values);
      if (entry.seq !== chain.seq + 1 || entry.prev_hash !== chain.hash || auditHash(entry) !== hash)
        throw new BackupFileError(`The backup's audit log does not verify at entry ${entry.seq}; the file was changed.`);
      Object.assign(chain, { seq: entry.seq, hash });
    }
  }
  if (!header) throw new BackupFileError('The backup file is empty.');
  sums.assertMatch(header);
  if (chain.seq !== header.audit.entries || (chain.seq > 0 && chain.hash !== header.audit.headHash))
    throw new BackupFileError('The backup’s audit log does not end where its header says; the file was changed.');
  return { header, ids };
}

/** Each table's checksum of the rows read, against the header's. */
class Sums {
  private readonly tables = new Map<string, TableChecksum>();

  add(table: BackupTableHeader, values: readonly RowValue[]): void {
    let sum = this.tables.get(table.name);
    if (!sum) this.tables.set(table.name, (sum = new TableChecksum(table.columns)));
    sum.add(values);
  }

  assertMatch(header: BackupHeader): void {
    for (const table of header.tables) {
      const sum = this.tables.get(table.name) ?? new TableChecksum(table.columns);
      if (sum.rows !== table.rows || sum.digest() !== table.sha256)
        throw new BackupFileError(`The backup file does not match its checksums (table ${table.name}: ${sum.rows} of ${table.rows} rows); it is damaged or was changed.`);
    }
  }
}

/** The file must come from an installation at exactly this schema, with the same tables. */
async function checkSchema(db: Db, header: BackupHeader): Promise<void> {
  const current = await schemaVersion(db);
  if (current.digest !== header.schema.digest) {
    const units = [...new Set([...Object.keys(current.units), ...Object.keys(header.schema.units)])].filter((unit) => current.units[unit] !== header.schema.units[unit]);
    throw new BackupFileError(`The backup was taken at another schema version (migrations of ${units.join(', ')} differ); restore it into an installation at the same version.`);
  }
  // The whole definition, not just names: the restore builds its SQL (casts, identifiers) and its id
  // handling from the header, which must therefore say exactly what this database's catalog says.
  const { tables } = await discoverTenantTables(db);
  const shape = (list: readonly { name: string; columns: readonly unknown[]; primaryKey: readonly string[]; ownIds: readonly string[] }[]) =>
    JSON.stringify(list.map(({ name, columns, primaryKey, ownIds }) => ({ name, columns, primaryKey, ownIds })));
  if (shape(tables) !== shape(header.tables)) throw new BackupFileError('The backup’s tables differ from this installation’s; it cannot be restored here.');
}

/** An audit row of the file as the entry its hash covers (see audit/hash.ts), and that hash. */
function auditEntryOf(table: BackupTableHeader, values: readonly RowValue[]): { entry: AuditEntry; hash: string } {
  const at = (name: string) => values[table.columns.findIndex((column) => column.name === name)];
  const text = (name: string) => String(at(name));
  return {
    entry: {
      tenant_id: text('tenant_id'),
      seq: Number(text('seq')),
      id: text('id'),
      occurred_at: isoMicros(text('occurred_at')),
      actor: text('actor'),
      action: text('action'),
      target_type: text('target_type'),
      target_id: text('target_id'),
      request_id: text('request_id'),
      data: at('data') as Record<string, unknown>,
      prev_hash: text('prev_hash'),
    },
    hash: text('hash'),
  };
}

/** `2026-11-02 09:00:00.5+00` (timestamptz as text in UTC) as the audit hash's `2026-11-02T09:00:00.500000Z`. */
function isoMicros(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/.exec(text);
  if (!match) throw new BackupFileError(`The backup has an audit time PostgreSQL did not write: ${text}.`);
  return `${match[1]}T${match[2]}.${(match[3] ?? '').padEnd(6, '0')}Z`;
}

/**
 * An audit entry's hash covers its tenant_id, so a restored entry cannot keep its hash. The
 * source's entries are appended to the new tenant's chain in their order under their seq, each
 * hashed anew from the previous one, content unchanged but for the remapped ids; the restore
 * then appends `tenancy.tenant.restored`, naming the backup and the source chain's head hash.
 * `plinth audit verify` thus verifies the new chain from seq 1, and anyone holding the backup
 * file can check the source's original hashes, which were verified before the restore began.
 */
function rechain(table: BackupTableHeader, values: RowValue[], chain: { previous: string }): RowValue[] {
  const { entry } = auditEntryOf(table, values);
  const linked = { ...entry, prev_hash: chain.previous };
  const hash = auditHash(linked);
  chain.previous = hash;
  return values.map((value, index) => {
    const name = table.columns[index]?.name;
    return name === 'prev_hash' ? linked.prev_hash : name === 'hash' ? hash : value;
  });
}

async function insertRows(tx: Tx, table: BackupTableHeader, rows: readonly RowValue[][]): Promise<void> {
  const columns = table.columns.map((column, index) => ({ ...column, index })).filter((column) => !column.assigned);
  const tuples = rows.map(
    (values) =>
      sql`(${sql.join(
        columns.map((column) => {
          const value = values[column.index] ?? null;
          const param = value === null ? null : column.kind === 'json' ? JSON.stringify(value) : String(value);
          return sql`${param}::${sql.raw(column.type)}`;
        }),
        sql`, `,
      )})`,
  );
  const query: SQL = sql`INSERT INTO ${sql.raw(ident(table.name))} (${sql.raw(columns.map((column) => ident(column.name)).join(', '))}) VALUES ${sql.join(tuples, sql`, `)}`;
  await tx.execute(query);
}
