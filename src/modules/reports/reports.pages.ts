import { nameActors } from '../../kernel/identity/index.ts';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { addDays, DEFAULT_TIME_ZONE, localDate } from '../../kernel/time/index.ts';
import { chrome, formFields, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { listLocations } from '../locations/index.ts';
import { listRegisters } from '../pos/index.ts';
import { exportInput, salesQueryOn } from './domain.ts';
import { listExports, requestExport } from './export.service.ts';
import { ExportsPage, ReportsOverviewPage, SalesReportPage, ShiftReportPage, ShiftsPage, StockValuationPage, type SalesFormValues } from './pages/reports.page.tsx';
import { REPORTS_PERMISSIONS } from './permissions.ts';
import { salesReport } from './sales.service.ts';
import { closedShifts, shiftZReport } from './shifts.service.ts';
import { mayReadCost, stockValuation } from './stock-valuation.service.ts';

const access = (permission: string) => ({ access: { permission } }) as const;
const SALES = access(REPORTS_PERMISSIONS.salesRead);
const STOCK = access(REPORTS_PERMISSIONS.stockRead);
const EXPORT = access(REPORTS_PERMISSIONS.exportCreate);
const hidden = { hide: true };
const idParams = z.object({ id: z.uuid() });

const may = (request: FastifyRequest, permission: string) => request.permissions.has(permission);
const businessToday = (request: FastifyRequest) => localDate(new Date(), request.tenant?.timeZone ?? DEFAULT_TIME_ZONE);
const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

/** Zod issues keyed by the form field they concern. */
function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) errors[String(issue.path.at(-1) ?? 'from')] ??= issue.message;
  return errors;
}

export function reportsPageRoutes(app: AppInstance): void {
  app.get('/reports', { config: SALES, schema: hidden }, async (request, reply) => {
    const ctx = serviceContext(request);
    // The last seven days on the business's clocks.
    const to = businessToday(request);
    const today = await salesReport(ctx, { from: addDays(to, -6), to, groupBy: 'day' });
    const links = { sales: true, stock: may(request, REPORTS_PERMISSIONS.stockRead), exports: may(request, REPORTS_PERMISSIONS.exportCreate) };
    return sendPage(reply, ReportsOverviewPage({ chrome: chrome(request, reply), links, today }));
  });

  app.get('/reports/sales', { config: SALES, schema: hidden }, async (request, reply) => {
    const ctx = serviceContext(request);
    const query = request.query as Record<string, unknown>;
    const raw = { from: text(query.from), to: text(query.to), groupBy: text(query.groupBy), locationId: text(query.locationId) };
    const parsed = salesQueryOn(businessToday(request)).safeParse(Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== '')));
    const locations = (await listLocations(ctx, { status: 'all' })).map((location) => ({ value: location.id, label: `${location.name} (${location.code})` }));
    const page = (values: SalesFormValues, errors: FieldErrors, report: Awaited<ReturnType<typeof salesReport>> | undefined, status = 200) =>
      sendPage(reply, SalesReportPage({ chrome: chrome(request, reply), values, errors, report, locations, canExport: may(request, REPORTS_PERMISSIONS.exportCreate) }), status);
    if (!parsed.success) return page({ ...raw, groupBy: raw.groupBy || 'day' }, fieldErrors(parsed.error.issues), undefined, 422);
    const report = await salesReport(ctx, parsed.data);
    return page({ from: report.from, to: report.to, groupBy: report.groupBy, locationId: report.locationId ?? '' }, {}, report);
  });

  app.get('/reports/shifts', { config: SALES, schema: hidden }, async (request, reply) => {
    const ctx = serviceContext(request);
    const [shifts, locations] = [await closedShifts(ctx), await listLocations(ctx, { status: 'all' })];
    const names = new Map(locations.map((location) => [location.id, location.name]));
    return sendPage(reply, ShiftsPage({ chrome: chrome(request, reply), shifts, locations: names, canExport: may(request, REPORTS_PERMISSIONS.exportCreate) }));
  });

  app.get('/reports/shifts/:id', { config: SALES, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const ctx = serviceContext(request);
    const shiftReport = await shiftZReport(ctx, request.params.id);
    const nameOf = await nameActors(ctx, [shiftReport.shift.openedBy, shiftReport.shift.closedBy]);
    const report = { ...shiftReport, shift: { ...shiftReport.shift, openedBy: nameOf(shiftReport.shift.openedBy), closedBy: shiftReport.shift.closedBy && nameOf(shiftReport.shift.closedBy) } };
    const register = (await listRegisters(ctx)).find((candidate) => candidate.id === report.shift.registerId);
    return sendPage(reply, ShiftReportPage({ chrome: chrome(request, reply), report, registerName: register?.name ?? 'Register' }));
  });

  app.get('/reports/stock-valuation', { config: STOCK, schema: hidden }, async (request, reply) => {
    const ctx = serviceContext(request);
    const report = await stockValuation(ctx, mayReadCost(ctx));
    return sendPage(reply, StockValuationPage({ chrome: chrome(request, reply), report, canExport: may(request, REPORTS_PERMISSIONS.exportCreate) }));
  });

  app.get('/reports/exports', { config: EXPORT, schema: hidden }, async (request, reply) => {
    const { notice } = request.query as Record<string, unknown>;
    const exports = await listExports(serviceContext(request));
    return sendPage(reply, ExportsPage({ chrome: chrome(request, reply), exports, notice: typeof notice === 'string' ? notice.slice(0, 200) : undefined }));
  });

  app.post('/reports/exports', { config: EXPORT, schema: hidden }, async (request, reply) => {
    const fields = formFields(request.body);
    const report = formText(fields.report);
    const params = report === 'sales' ? Object.fromEntries(['from', 'to', 'groupBy', 'locationId'].map((name) => [name, formText(fields[name]).trim()]).filter(([, value]) => value !== '')) : {};
    const input = exportInput.safeParse({ report, params });
    if (!input.success) return reply.redirect(`/reports/exports?notice=${encodeURIComponent('That export could not be requested: check the report and its dates.')}`, 303);
    await requestExport(serviceContext(request), input.data);
    return reply.redirect(`/reports/exports?notice=${encodeURIComponent('Export requested; it will be ready shortly.')}`, 303);
  });
}
