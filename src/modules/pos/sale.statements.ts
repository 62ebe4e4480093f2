import { sql } from 'drizzle-orm';
import { recordsetOf, statement, type Tx } from '../../kernel/db/index.ts';
import { posSaleLine, posTender } from './pos.table.ts';

const lines = recordsetOf(posSaleLine);
const tenders = recordsetOf(posTender);

/**
 * A sale's lines and tenders in one statement (any number of each: they arrive as two jsonb
 * arrays, so the text never changes). No RETURNING: the rows are exactly what was sent.
 */
const insertLinesAndTenders = statement(
  'pos_sale_lines_tenders',
  sql`WITH line_rows AS (INSERT INTO ${posSaleLine} (${lines.columns}) SELECT * FROM ${lines.from(sql.placeholder('lines'), 'line')})
      INSERT INTO ${posTender} (${tenders.columns}) SELECT * FROM ${tenders.from(sql.placeholder('tenders'), 'tender')}`,
);

/** Writes the sale's lines and tenders in the caller's transaction. */
export async function writeLinesAndTenders(tx: Tx, lineRows: readonly (typeof posSaleLine.$inferSelect)[], tenderRows: readonly (typeof posTender.$inferSelect)[]): Promise<void> {
  await insertLinesAndTenders.run(tx, { lines: lines.json(lineRows), tenders: tenders.json(tenderRows) });
}
