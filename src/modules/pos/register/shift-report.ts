/** A shift's X or Z report as the API sends it (GET /v1/pos/shifts/:id/report). */
export interface ShiftReportView {
  kind: 'X' | 'Z';
  shift: { blindClose: boolean; openedAt: string };
  sales: { count: number; grossMinor: number; discountMinor: number; taxMinor: number; totalMinor: number };
  tenders: Record<string, number>;
  refunds: { count: number; amountMinor: number };
  voids: { saleCount: number; saleAmountMinor: number };
  cash: { openingFloatMinor: number; paidInMinor: number; paidOutMinor: number; expectedMinor?: number; countedMinor: number | null; varianceMinor: number | null };
}
