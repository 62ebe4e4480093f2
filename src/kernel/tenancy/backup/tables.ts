import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/index.ts';

/** One column's value of a backed-up row, as read from PostgreSQL and written to the file. */
export type RowValue = string | null | Record<string, unknown> | unknown[] | number | boolean;

/** How a column's values are carried and remapped (see format.ts and remap.ts). */
export type ColumnKind = 'uuid' | 'uuid[]' | 'json' | 'text' | 'other';

export interface TableColumn {
  name: string;
  /** The type as PostgreSQL spells it (format_type), used to cast the text form back on restore. */
  type: string;
  kind: ColumnKind;
  /** Identity or generated: the database assigns it on restore, so it is neither inserted nor checksummed. */
  assigned: boolean;
  /** In the table's checksum: all but assigned columns and the audit chain's hashes, which a restore computes anew. */
  checked: boolean;
}

export interface TenantTable {
  name: string;
  columns: TableColumn[];
  primaryKey: string[];
  /**
   * uuid columns of the primary key or of a unique index led by tenant_id that are the row's own
   * identity (not tenant_id, not part of a foreign key): the ids a restore replaces with fresh ones.
   */
  ownIds: string[];
}

export interface TableDiscovery {
  /** Tenant tables a backup carries, parents before children (foreign keys). */
  tables: TenantTable[];
  excluded: { table: string; reason: string }[];
}

/**
 * Tenant tables a backup must not carry, with the reason an operator reads in the file. Anything
 * else with a tenant_id column is business data and is carried, so a module's new table is backed
 * up without being listed anywhere.
 */
const EXCLUDED: Record<string, string> = {
  jobs_outbox: 'delivery bookkeeping: restoring it would hand old events to handlers again',
  jobs_processed_event: 'delivery bookkeeping of the source business’s events',
  notify_delivery: 'outgoing message queue: restoring it would send emails and SMS again',
  identity_device: 'device credentials (hashed secrets): a restored business pairs its terminals anew',
  identity_staff_pin: 'staff PIN credentials: a restored business sets PINs anew',
  audit_checkpoint: 'signed heads of the source business’s audit chain: the restored chain is hashed anew under the new business and is signed anew',
};

/**
 * Also excluded, found in the catalog: a table with a unique index not led by tenant_id holds
 * installation-wide keys (provider payment or subscription ids, invitation token hashes). A copy
 * would collide with the source's rows, or take over the source's link to the provider (its
 * webhooks, its refunds). Tables with a foreign key to an excluded table follow it out.
 */
const GLOBAL_KEY_REASON = (index: string) => `installation-wide unique key (${index}): a copy would collide with the source business’s rows or take over its link`;

/**
 * The audit chain's links: a hash covers tenant_id, so a restored entry cannot keep its hash and
 * is chained anew under the new business (restore.ts). The backup's own hashes are checked
 * before anything is written instead.
 */
const RECHAINED = new Set(['audit_event.prev_hash', 'audit_event.hash']);

/**
 * A column whose comment carries this mark is carried exactly as it is, ids and all: it names
 * something outside the database that the restored rows must keep naming. Support attachments'
 * `storage_key` is one: the restored business reads the same stored bytes (a restore is into the
 * same installation, whose attachment storage holds them).
 */
export const CARRY_VERBATIM = 'plinth:backup-verbatim';

const kindOf = (type: string): ColumnKind => {
  if (type === 'uuid') return 'uuid';
  if (type === 'uuid[]') return 'uuid[]';
  if (type === 'jsonb' || type === 'json') return 'json';
  if (type === 'text' || type.startsWith('character varying')) return 'text';
  return 'other';
};

interface ColumnRow extends Record<string, unknown> {
  table: string;
  column: string;
  type: string;
  assigned: boolean;
  comment: string | null;
}
interface ConstraintRow extends Record<string, unknown> {
  table: string;
  kind: 'p' | 'f';
  columns: string[];
  references: string | null;
  referencedColumns: string[] | null;
}

/**
 * Reads the tenant tables from PostgreSQL's catalog: every base table in `public` with a
 * tenant_id column (the same rule applyTenantIsolation uses to put row-level security on them),
 * their columns, primary keys and foreign keys, and orders them by their foreign keys.
 */
export async function discoverTenantTables(db: Db | Tx): Promise<TableDiscovery> {
  const { rows: columnRows } = await db.execute<ColumnRow>(sql`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
           (a.attidentity <> '' OR a.attgenerated <> '') AS assigned, col_description(c.oid, a.attnum) AS comment
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relkind IN ('r', 'p')
       AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id' AND NOT t.attisdropped)
     ORDER BY c.relname, a.attnum`);
  const { rows: constraintRows } = await db.execute<ConstraintRow>(sql`
    SELECT c.conrelid::regclass::text AS table, c.contype AS kind,
           array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS columns,
           CASE WHEN c.contype = 'f' THEN c.confrelid::regclass::text END AS references,
           CASE WHEN c.contype = 'f' THEN array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num ORDER BY k.ord)::text[] END AS "referencedColumns"
      FROM pg_constraint c
     WHERE c.connamespace = 'public'::regnamespace AND c.contype IN ('p', 'f')`);
  // Unique indexes besides primary keys; `columns` is empty for one led by an expression (lower(email)).
  const { rows: uniqueKeys } = await db.execute<{ table: string; index: string; columns: string[] }>(sql`
    SELECT i.indrelid::regclass::text AS table, i.indexrelid::regclass::text AS index,
           CASE WHEN i.indkey[0] = 0 THEN ARRAY[]::text[] ELSE array(SELECT a.attname FROM unnest(i.indkey::int2[]) k(num) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num)::text[] END AS columns
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
     WHERE i.indisunique AND NOT i.indisprimary`);
  const ledByTenant = (key: { columns: string[] }) => key.columns[0] === 'tenant_id';

  const tables = new Map<string, TenantTable>();
  for (const row of columnRows) {
    const table = tables.get(row.table) ?? { name: row.table, columns: [], primaryKey: [], ownIds: [] };
    const kind = row.comment?.includes(CARRY_VERBATIM) ? 'other' : kindOf(row.type);
    table.columns.push({ name: row.column, type: row.type, kind, assigned: row.assigned, checked: !row.assigned && !RECHAINED.has(`${row.table}.${row.column}`) });
    tables.set(row.table, table);
  }

  const excluded = new Map<string, string>();
  for (const [table, reason] of Object.entries(EXCLUDED)) if (tables.has(table)) excluded.set(table, reason);
  for (const key of uniqueKeys) if (!ledByTenant(key) && tables.has(key.table) && !excluded.has(key.table)) excluded.set(key.table, GLOBAL_KEY_REASON(key.index));

  const foreignKeys = constraintRows.filter((row) => row.kind === 'f' && tables.has(row.table));
  // Follow exclusions along foreign keys until nothing changes: a child cannot be restored without its parent.
  for (let changed = true; changed; ) {
    changed = false;
    for (const key of foreignKeys) {
      if (key.references && excluded.has(key.references) && !excluded.has(key.table)) {
        excluded.set(key.table, `refers to ${key.references}, which is not carried`);
        changed = true;
      }
    }
  }
  for (const name of excluded.keys()) tables.delete(name);

  const inForeignKey = new Set(foreignKeys.flatMap((key) => key.columns.map((column) => `${key.table}.${column}`)));
  const ownIdsOf = (table: TenantTable, columns: readonly string[]) =>
    columns.filter((column) => column !== 'tenant_id' && !inForeignKey.has(`${table.name}.${column}`) && table.columns.find((candidate) => candidate.name === column)?.kind === 'uuid');
  for (const row of constraintRows) {
    const table = tables.get(row.table);
    if (!table || row.kind !== 'p') continue;
    table.primaryKey = row.columns;
    table.ownIds = ownIdsOf(table, row.columns);
  }
  // A uuid unique within the tenant (an audit entry's id beside its seq key) is an identity too.
  // A key column naming installation-wide rows (users) must say so with a foreign key, as
  // tenant_member does: that is what keeps such ids from being replaced.
  for (const key of uniqueKeys.filter(ledByTenant)) {
    const table = tables.get(key.table);
    if (table) table.ownIds = [...new Set([...table.ownIds, ...ownIdsOf(table, key.columns)])];
  }
  for (const table of tables.values()) {
    if (table.primaryKey.length === 0) throw new Error(`Backup: tenant table ${table.name} has no primary key; a backup could not verify its rows.`);
    for (const key of foreignKeys.filter((candidate) => candidate.references === table.name)) {
      const assigned = (key.referencedColumns ?? []).filter((column) => table.columns.find((candidate) => candidate.name === column)?.assigned);
      // Such a reference would need the database's new value mapped into the child: refuse rather than restore it wrong.
      if (assigned.length > 0) throw new Error(`Backup: ${key.table} refers to identity column ${table.name}.${assigned.join(', ')}, which a restore cannot carry.`);
    }
  }

  return { tables: dependencyOrder([...tables.values()], foreignKeys), excluded: [...excluded].map(([table, reason]) => ({ table, reason })).sort((a, b) => a.table.localeCompare(b.table)) };
}

/** Parents before children; ties by name so two backups of one schema list tables alike. */
function dependencyOrder(tables: TenantTable[], foreignKeys: readonly ConstraintRow[]): TenantTable[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: TenantTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: TenantTable, path: string[]) => {
    const mark = state.get(table.name);
    if (mark === 'done') return;
    if (mark === 'visiting') throw new Error(`Backup: foreign keys form a cycle: ${[...path, table.name].join(' → ')}.`);
    state.set(table.name, 'visiting');
    const parents = foreignKeys
      .filter((key) => key.table === table.name && key.references && key.references !== table.name)
      .map((key) => byName.get(key.references as string))
      .filter((parent): parent is TenantTable => parent !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const parent of parents) visit(parent, [...path, table.name]);
    state.set(table.name, 'done');
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, []);
  return ordered;
}

/** A quoted SQL identifier. */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The SELECT list that reads a table the way a backup carries it: json as JSON, everything else
 * as PostgreSQL's own text form (exact for timestamps, numerics and bigints, and cast back
 * losslessly on restore). Run with TimeZone UTC so timestamps read the same everywhere.
 */
export const selectList = (table: TenantTable) => table.columns.map((column) => (column.kind === 'json' ? ident(column.name) : `${ident(column.name)}::text`)).join(', ');

/**
 * Rows ordered by identity column first (so a restore assigns new values in the same order), then
 * primary key. Qualified: a bare name would sort by the select list's text form of the column.
 */
export const orderList = (table: TenantTable) =>
  [...table.columns.filter((column) => column.assigned).map((column) => column.name), ...table.primaryKey].map((column) => `${ident(table.name)}.${ident(column)}`).join(', ');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FETCH = 1_000;

/**
 * A table's rows of one tenant as backup values (see selectList), streamed through a cursor of
 * the caller's transaction, FETCH rows at a time. The tenant filter is explicit besides row-level
 * security, which a superuser (the CLI on an owner connection) would not be held to.
 */
export async function* readTenantRows(tx: Tx, table: TenantTable, tenantId: string): AsyncGenerator<RowValue[]> {
  if (!UUID.test(tenantId)) throw new Error(`not a tenant id: ${tenantId}`);
  const cursor = `backup_${table.name}`.slice(0, 63);
  // A literal, not a parameter: DECLARE takes none; the id is checked above.
  await tx.execute(sql.raw(`DECLARE ${ident(cursor)} NO SCROLL CURSOR FOR SELECT ${selectList(table)} FROM ${ident(table.name)} WHERE tenant_id = '${tenantId}' ORDER BY ${orderList(table)}`));
  for (;;) {
    const { rows } = await tx.execute<Record<string, RowValue>>(sql.raw(`FETCH ${FETCH} FROM ${ident(cursor)}`));
    for (const row of rows) yield table.columns.map((column) => row[column.name] ?? null);
    if (rows.length < FETCH) break;
  }
  await tx.execute(sql.raw(`CLOSE ${ident(cursor)}`));
}
