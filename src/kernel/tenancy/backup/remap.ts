import type { RowValue, TableColumn } from './tables.ts';

/**
 * Replaces ids in a row's values: a restore maps the source's ids to fresh ones, the check after it
 * maps them back. Ids are matched by value, wherever they stand: uuid and uuid[] columns, text
 * columns holding exactly an id (an audit entry's target_id), and strings anywhere inside json
 * (event payloads, audit data). Ids the map does not hold (users, who are installation-wide) stay.
 */
export function remapRow(columns: readonly TableColumn[], values: readonly RowValue[], ids: ReadonlyMap<string, string>): RowValue[] {
  return values.map((value, index) => remapValue((columns[index] as TableColumn).kind, value, ids));
}

function remapValue(kind: TableColumn['kind'], value: RowValue, ids: ReadonlyMap<string, string>): RowValue {
  if (value === null || typeof value !== 'string') return kind === 'json' ? (remapJson(value, ids) as RowValue) : value;
  switch (kind) {
    case 'uuid':
      return ids.get(value) ?? value;
    case 'text':
      return remapText(value, ids);
    case 'uuid[]':
      // PostgreSQL's text form of a uuid array, `{a,b,NULL}`: uuids need no quoting.
      return value.startsWith('{') && value.endsWith('}') && value.length > 2
        ? `{${value
            .slice(1, -1)
            .split(',')
            .map((item) => ids.get(item) ?? item)
            .join(',')}}`
        : value;
    case 'json':
      return remapJson(value, ids) as RowValue;
    case 'other':
      return value;
  }
}

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const remapText = (text: string, ids: ReadonlyMap<string, string>) => text.replace(UUIDS, (id) => ids.get(id.toLowerCase()) ?? id);

function remapJson(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return remapText(value, ids);
  if (Array.isArray(value)) return value.map((item) => remapJson(item, ids));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, remapJson(item, ids)]));
  return value;
}

/** The map the other way round. */
export const reverse = (ids: ReadonlyMap<string, string>): Map<string, string> => new Map([...ids].map(([from, to]) => [to, from]));
