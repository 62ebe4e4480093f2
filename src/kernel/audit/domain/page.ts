import { z } from 'zod';

const PAGE_SIZE_MAX = 100;

const wholeNumber = { error: 'must be a whole number' };

/** `page` and `pageSize` of a listing's query, as the catalog's listings take them. */
export const pageQuery = {
  page: z.coerce.number(wholeNumber).int(wholeNumber).min(1).max(1_000_000).default(1),
  pageSize: z.coerce
    .number(wholeNumber)
    .int(wholeNumber)
    .min(1)
    .max(PAGE_SIZE_MAX, { error: `must be at most ${PAGE_SIZE_MAX}` })
    .default(50),
};

export interface Page<T> {
  data: T[];
  pagination: { page: number; pageSize: number; total: number; totalPages: number };
}

export const pageBody = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    pagination: z.object({ page: z.number(), pageSize: z.number(), total: z.number(), totalPages: z.number() }),
  });

/**
 * The total a listing's window count (`count(*) over ()`) carried on the page's rows; a page past
 * the end has no rows to carry it, so then the total is counted alone.
 */
export async function pageTotal(rows: readonly { total: number }[], page: number, countAll: () => Promise<number>): Promise<number> {
  return rows[0]?.total ?? (page > 1 ? countAll() : 0);
}

export function toPage<T>(data: T[], total: number, query: { page: number; pageSize: number }): Page<T> {
  return { data, pagination: { page: query.page, pageSize: query.pageSize, total, totalPages: Math.ceil(total / query.pageSize) } };
}

/** An optional ISO 8601 instant bounding a listing: `from` inclusive, `to` exclusive. */
export const instant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-01-31T09:00:00Z' })
  .optional();

/** An optional exact-match text filter. */
export const exact = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max).optional();
