import type { ComponentChildren } from 'preact';

/** The parts of a list page: a GET filter form, the table of rows, and links to other pages. */

interface FilterBarProps {
  /** The list's own URL: the form reloads it with the filters as query parameters. */
  action: string;
  /** The filter fields (TextField, SelectField), named as the query parameters. */
  children: ComponentChildren;
  /** The page's main action beside the filters (e.g. a link to the new-item form). */
  create?: { href: string; label: string } | undefined;
}

/** A search landmark whose form works without JavaScript: a plain GET of the list. */
export function FilterBar({ action, children, create }: FilterBarProps) {
  return (
    <form class="toolbar" method="get" action={action} role="search">
      {children}
      <div class="field">
        <button class="button secondary" type="submit">
          Filter
        </button>
      </div>
      {create && (
        <div class="field">
          <a class="button" href={create.href}>
            {create.label}
          </a>
        </div>
      )}
    </form>
  );
}

export interface Column<Row> {
  header: string;
  /** Right-aligned figures (amounts, counts). */
  num?: boolean;
  /** The cell naming the row (`<th scope="row">`), so screen readers announce it with each cell. */
  rowHeader?: boolean;
  cell: (row: Row) => ComponentChildren;
}

interface DataTableProps<Row> {
  rows: readonly Row[];
  /** Columns; `false` leaves one out (a column only some readers may see). */
  columns: readonly (Column<Row> | false)[];
  rowKey: (row: Row) => string;
  /** What the table holds, e.g. "12 products" (see `counted`). */
  caption: ComponentChildren;
  /** Said instead of an empty table. */
  empty: string;
}

/** "1 product", "3 products", "2 businesses". */
export const counted = (count: number, singular: string, plural = `${singular}s`) => `${count} ${count === 1 ? singular : plural}`;

export function DataTable<Row>({ rows, columns, rowKey, caption, empty }: DataTableProps<Row>) {
  if (rows.length === 0) return <p class="muted">{empty}</p>;
  const shown = columns.filter((column): column is Column<Row> => column !== false);
  const numClass = (column: Column<Row>) => (column.num ? 'num' : undefined);
  return (
    <table class="data">
      <caption class="muted">{caption}</caption>
      <thead>
        <tr>
          {shown.map((column) => (
            <th key={column.header} scope="col" class={numClass(column)}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {shown.map((column) =>
              column.rowHeader ? (
                <th key={column.header} scope="row">
                  {column.cell(row)}
                </th>
              ) : (
                <td key={column.header} class={numClass(column)}>
                  {column.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface PaginationProps {
  page: number;
  totalPages: number;
  /** The list's URL; the links keep its filters (`params`, empty ones left out) and change `page`. */
  path: string;
  params?: Record<string, string | undefined>;
}

/** Previous / "Page n of m" / Next; nothing when everything fits on one page. */
export function Pagination({ page, totalPages, path, params = {} }: PaginationProps) {
  if (totalPages <= 1) return null;
  const href = (to: number) => {
    const query = new URLSearchParams({ page: String(to) });
    for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
    return `${path}?${query.toString()}`;
  };
  return (
    <nav class="pagination" aria-label="Pages">
      {page > 1 && <a href={href(page - 1)}>Previous</a>}
      <span>
        Page {page} of {totalPages}
      </span>
      {page < totalPages && <a href={href(page + 1)}>Next</a>}
    </nav>
  );
}
