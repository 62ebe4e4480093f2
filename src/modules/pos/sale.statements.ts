import { sql } from 'drizzle-orm';
import { statement, type Tx } from '../../kernel/db/index.ts';
import { posSaleLine, posTender } from './pos.table.ts';

type LineRow = typeof posSaleLine.$inferSelect;
type TenderRow = typeof posTender.$inferSelect;

/** A row as jsonb_to_recordset reads it: the table's column names. */
const lineRecord = (line: LineRow) => ({
  tenant_id: line.tenantId,
  sale_id: line.saleId,
  line_no: line.lineNo,
  product_id: line.productId,
  name: line.name,
  sku: line.sku,
  quantity: line.quantity,
  catalog_price_minor: line.catalogPriceMinor,
  unit_price_minor: line.unitPriceMinor,
  price_overridden: line.priceOverridden,
  modifiers: line.modifiers,
  discount: line.discount,
  gross_minor: line.grossMinor,
  line_discount_minor: line.lineDiscountMinor,
  ticket_discount_minor: line.ticketDiscountMinor,
  tax_code: line.taxCode,
  tax_rate_bp: line.taxRateBp,
  net_minor: line.netMinor,
  tax_minor: line.taxMinor,
  total_minor: line.totalMinor,
  voided: line.voided,
  void_reason: line.voidReason,
  refunded_quantity: line.refundedQuantity,
});

const tenderRecord = (tender: TenderRow) => ({
  tenant_id: tender.tenantId,
  sale_id: tender.saleId,
  seq: tender.seq,
  kind: tender.kind,
  amount_minor: tender.amountMinor,
  tendered_minor: tender.tenderedMinor,
  charge_id: tender.chargeId,
  voucher_id: tender.voucherId,
  refunded_minor: tender.refundedMinor,
});

/**
 * A sale's lines and tenders in one statement (any number of each: they arrive as two jsonb
 * arrays, so the text never changes). No RETURNING: the rows are exactly what was sent.
 */
const insertLinesAndTenders = statement(
  'pos_sale_lines_tenders',
  sql`WITH line_rows AS (
        INSERT INTO ${posSaleLine} (tenant_id, sale_id, line_no, product_id, name, sku, quantity, catalog_price_minor, unit_price_minor, price_overridden, modifiers,
                                    discount, gross_minor, line_discount_minor, ticket_discount_minor, tax_code, tax_rate_bp, net_minor, tax_minor, total_minor, voided, void_reason, refunded_quantity)
        SELECT * FROM jsonb_to_recordset(${sql.placeholder('lines')}::jsonb) AS line(tenant_id uuid, sale_id uuid, line_no integer, product_id uuid, name text, sku text, quantity integer,
               catalog_price_minor bigint, unit_price_minor bigint, price_overridden boolean, modifiers jsonb, discount jsonb, gross_minor bigint, line_discount_minor bigint,
               ticket_discount_minor bigint, tax_code text, tax_rate_bp integer, net_minor bigint, tax_minor bigint, total_minor bigint, voided boolean, void_reason text, refunded_quantity integer))
      INSERT INTO ${posTender} (tenant_id, sale_id, seq, kind, amount_minor, tendered_minor, charge_id, voucher_id, refunded_minor)
      SELECT * FROM jsonb_to_recordset(${sql.placeholder('tenders')}::jsonb) AS tender(tenant_id uuid, sale_id uuid, seq integer, kind text, amount_minor bigint,
             tendered_minor bigint, charge_id uuid, voucher_id uuid, refunded_minor bigint)`,
);

/** Writes the sale's lines and tenders in the caller's transaction. */
export async function writeLinesAndTenders(tx: Tx, lines: readonly LineRow[], tenders: readonly TenderRow[]): Promise<void> {
  await insertLinesAndTenders.run(tx, { lines: JSON.stringify(lines.map(lineRecord)), tenders: JSON.stringify(tenders.map(tenderRecord)) });
}
