import { stringify } from 'csv-stringify/sync';
import type { SalesReport, ShiftSummary, ValuationReport } from './domain.ts';

/** A report as CSV rows: a header, then one row per table row. Money stays in integer minor units. */
export interface CsvTable {
  header: string[];
  rows: (string | number | null)[][];
}

const GROUP_HEADER = { day: 'day', location: 'location', product: 'product' } as const;

export function salesTable(report: SalesReport): CsvTable {
  return {
    header: [GROUP_HEADER[report.groupBy], 'key', 'currency', 'quantity', 'gross_minor', 'discount_minor', 'tax_minor', 'net_minor', 'total_minor', 'refund_quantity', 'refund_minor', 'refund_tax_minor', 'net_takings_minor'],
    rows: report.rows.map((row) => [
      row.label,
      row.key,
      row.currency,
      row.quantity,
      row.grossMinor,
      row.discountMinor,
      row.taxMinor,
      row.netMinor,
      row.totalMinor,
      row.refundQuantity,
      row.refundMinor,
      row.refundTaxMinor,
      row.netTakingsMinor,
    ]),
  };
}

export function valuationTable(report: ValuationReport): CsvTable {
  const base = ['location', 'location_id', 'product', 'sku', 'product_id', 'on_hand', 'currency'];
  return {
    header: report.costVisible ? [...base, 'unit_cost_minor', 'value_minor'] : base,
    rows: report.lines.map((line) => {
      const row = [line.locationName, line.locationId, line.productName, line.sku, line.productId, line.onHand, line.currency];
      return report.costVisible ? [...row, line.unitCostMinor ?? null, line.valueMinor ?? null] : row;
    }),
  };
}

export function shiftsTable(shifts: readonly ShiftSummary[]): CsvTable {
  return {
    header: ['shift_id', 'register', 'register_id', 'opened_at', 'closed_at', 'currency', 'counted_cash_minor', 'expected_cash_minor', 'variance_minor'],
    rows: shifts.map((shift) => [
      shift.shiftId,
      shift.registerName,
      shift.registerId,
      shift.openedAt,
      shift.closedAt,
      shift.currency,
      shift.countedCashMinor,
      shift.expectedCashMinor ?? null,
      shift.varianceMinor ?? null,
    ]),
  };
}

/**
 * RFC 4180 CSV (CRLF, quoted where needed). A cell a spreadsheet would run as a formula (starting
 * with =, +, - or @ and not a number) gets a leading apostrophe: product names are user input.
 */
export function toCsv(table: CsvTable): string {
  const cell = (value: string | number | null) => {
    if (value === null) return '';
    if (typeof value === 'number') return String(value);
    return /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  };
  return stringify([table.header, ...table.rows.map((row) => row.map(cell))], { record_delimiter: '\r\n' });
}
