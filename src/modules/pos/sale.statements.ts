import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { prepared, recordsetOf, statement, type Tx } from '../../kernel/db/index.ts';
import { posRegister, posSale, posSaleLine, posShift, posTender } from './pos.table.ts';

/** The fingerprint of an earlier sale with this id, the register and the shift (each null when missing), in one round trip. */
export const earlierSaleRegisterAndShift = prepared('pos_sale_check', (tx) =>
  tx
    .select({
      earlierFingerprint: sql<string | null>`(SELECT ${posSale.fingerprint} FROM ${posSale} WHERE ${posSale.tenantId} = ${sql.placeholder('tenantId')} AND ${posSale.id} = ${sql.placeholder('saleId')})`,
      register: posRegister,
      shift: posShift,
    })
    .from(sql`(SELECT 1) AS one`)
    .leftJoin(posRegister, and(eq(posRegister.tenantId, sql.placeholder('tenantId')), eq(posRegister.id, sql.placeholder('registerId'))))
    .leftJoin(posShift, and(eq(posShift.tenantId, sql.placeholder('tenantId')), eq(posShift.id, sql.placeholder('shiftId')))),
);

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


/**
 * Claims the register's next sale number, share-locks the shift and inserts the sale's header, in
 * that lock order (see insertSaleHeader); answers the sale's row and the register as locked.
 */
export const claimNumberAndInsertSale = prepared('pos_sale_insert_header', (tx) => {
  const claimed = tx.$with('claimed').as(
    tx
      .update(posRegister)
      .set({ nextSaleNumber: sql`${posRegister.nextSaleNumber} + 1` })
      .where(and(eq(posRegister.tenantId, sql.placeholder('tenantId')), eq(posRegister.id, sql.placeholder('registerId'))))
      .returning({ number: sql<number>`${posRegister.nextSaleNumber} - 1`.as('number'), code: posRegister.code, archivedAt: posRegister.archivedAt, deviceId: posRegister.deviceId }),
  );
  const shift = tx.$with('sale_shift').as(
    tx
      .select({ status: posShift.status })
      .from(posShift)
      .innerJoin(claimed, sql`true`)
      .where(and(eq(posShift.tenantId, sql.placeholder('tenantId')), eq(posShift.id, sql.placeholder('shiftId'))))
      .for('share', { of: posShift }),
  );
  return tx
    .with(claimed, shift)
    .insert(posSale)
    .values({
      tenantId: sql.placeholder('tenantId'),
      id: sql.placeholder('id'),
      registerId: sql.placeholder('registerId'),
      shiftId: sql.placeholder('shiftId'),
      locationId: sql.placeholder('locationId'),
      number: sql`(SELECT number FROM claimed)`,
      // As String.padStart(6, '0'): at least six digits, never cut.
      saleNumber: sql`(SELECT code || '-' || lpad(number::text, greatest(6, length(number::text)), '0') FROM claimed)`,
      currency: sql.placeholder('currency'),
      pricesIncludeTax: sql.placeholder('pricesIncludeTax'),
      subtotalMinor: sql.placeholder('subtotalMinor'),
      discountMinor: sql.placeholder('discountMinor'),
      taxMinor: sql.placeholder('taxMinor'),
      totalMinor: sql.placeholder('totalMinor'),
      tipMinor: sql.placeholder('tipMinor'),
      changeMinor: sql.placeholder('changeMinor'),
      // As text: drizzle would encode a null placeholder as the jsonb value null, not SQL NULL.
      ticketDiscount: sql`${sql.placeholder('ticketDiscount')}::jsonb`,
      fingerprint: sql.placeholder('fingerprint'),
      soldAt: sql.placeholder('soldAt'),
      late: sql`(SELECT status = 'closed' FROM sale_shift)`,
      cashierUserId: sql.placeholder('cashierUserId'),
      actor: sql.placeholder('actor'),
      approvedBy: sql.placeholder('approvedBy'),
    })
    .returning({
      ...getTableColumns(posSale),
      registerArchived: sql<boolean>`(SELECT archived_at IS NOT NULL FROM claimed)`,
      registerDeviceId: sql<string | null>`(SELECT device_id FROM claimed)`,
    });
});
