/** Reports' public surface: the only file other modules and editions import. */
export { reportsEvents } from './events.ts';
export { reportsModule } from './manifest.ts';
export { salesReport } from './sales.service.ts';
export { stockValuation, mayReadCost } from './stock-valuation.service.ts';
export { closedShifts } from './shifts.service.ts';
export { requestExport, getExport, listExports, downloadExport, renderExport, EXPORT_REQUESTED } from './export.service.ts';
export { salesFactsHandler, SALES_EVENTS } from './facts.handler.ts';
export type { SalesQuery, SalesReport, SalesRow, ValuationReport, ValuationLine, ShiftSummary, ExportInput, ExportView } from './domain.ts';
