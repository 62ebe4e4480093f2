export const REPORTS_PERMISSIONS = {
  salesRead: 'reports.sales.read',
  stockRead: 'reports.stock.read',
  exportCreate: 'reports.export.create',
} as const;
