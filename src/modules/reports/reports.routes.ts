import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { exportInput, exportView, salesQuery, salesReport as salesReportSchema, shiftSummary, valuationReport } from './domain.ts';
import { downloadExport, getExport, listExports, requestExport } from './export.service.ts';
import { REPORTS_PERMISSIONS } from './permissions.ts';
import { salesReport } from './sales.service.ts';
import { closedShifts, shiftZReport } from './shifts.service.ts';
import { mayReadCost, stockValuation } from './stock-valuation.service.ts';

const access = (permission: string) => ({ access: { permission } }) as const;
const tags = ['reports'];
const data = <T extends z.ZodType>(schema: T) => z.object({ data: schema });
const idParams = z.strictObject({ id: z.uuid({ error: 'must be an id (UUID)' }) });

export function reportsApiRoutes(app: AppInstance): void {
  app.get(
    '/v1/reports/sales',
    {
      config: access(REPORTS_PERMISSIONS.salesRead),
      schema: { tags, summary: 'Sales by day, location or product (days in each location’s time zone), from the reporting read model', querystring: salesQuery, response: { 200: data(salesReportSchema) } },
    },
    async (request) => ({ data: await salesReport(serviceContext(request), request.query) }),
  );

  app.get(
    '/v1/reports/shifts',
    { config: access(REPORTS_PERMISSIONS.salesRead), schema: { tags, summary: 'Closed shifts of every register, most recent first', response: { 200: data(z.array(shiftSummary)) } } },
    async (request) => ({ data: await closedShifts(serviceContext(request)) }),
  );

  app.get(
    '/v1/reports/shifts/:id',
    {
      config: access(REPORTS_PERMISSIONS.salesRead),
      schema: { tags, summary: "A shift's Z report (X report while open), from the POS", params: idParams, response: { 200: data(z.record(z.string(), z.unknown())) } },
    },
    async (request) => ({ data: await shiftZReport(serviceContext(request), request.params.id) }),
  );

  app.get(
    '/v1/reports/stock-valuation',
    {
      config: access(REPORTS_PERMISSIONS.stockRead),
      schema: { tags, summary: 'On hand × unit cost per location; cost and value only with catalog.product_cost.read', response: { 200: data(valuationReport) } },
    },
    async (request) => {
      const ctx = serviceContext(request);
      return { data: await stockValuation(ctx, mayReadCost(ctx)) };
    },
  );

  app.post(
    '/v1/reports/exports',
    { config: access(REPORTS_PERMISSIONS.exportCreate), schema: { tags, summary: 'Queue a CSV export of a report (rendered by a job)', body: exportInput, response: { 202: data(exportView) } } },
    async (request, reply) => reply.code(202).send({ data: await requestExport(serviceContext(request), request.body) }),
  );

  app.get(
    '/v1/reports/exports',
    { config: access(REPORTS_PERMISSIONS.exportCreate), schema: { tags, summary: 'Recent CSV exports of the business', response: { 200: data(z.array(exportView)) } } },
    async (request) => ({ data: await listExports(serviceContext(request)) }),
  );

  app.get(
    '/v1/reports/exports/:id',
    { config: access(REPORTS_PERMISSIONS.exportCreate), schema: { tags, summary: "An export's status", params: idParams, response: { 200: data(exportView) } } },
    async (request) => ({ data: await getExport(serviceContext(request), request.params.id) }),
  );

  app.get(
    '/v1/reports/exports/:id/download',
    { config: access(REPORTS_PERMISSIONS.exportCreate), schema: { tags, summary: 'The finished CSV (409 while it is queued or failed)', params: idParams } },
    async (request, reply) => {
      const { filename, csv } = await downloadExport(serviceContext(request), request.params.id);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').send(csv);
    },
  );
}
