import { and, desc, eq, inArray } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import { actorLabel } from '../../kernel/context.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { validationError } from '../../kernel/errors.ts';
import { defineEventHandler, emit, type EventType } from '../../kernel/jobs/index.ts';
import { withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { salesTable, shiftsTable, toCsv, valuationTable, type CsvTable } from './csv.ts';
import { REPORT_KINDS, type ExportInput, type ExportView, type ReportKind } from './domain.ts';
import { reportsErrors } from './errors.ts';
import { REPORTS_PERMISSIONS } from './permissions.ts';
import { reportsExport } from './reports.table.ts';
import { salesQueryIn, salesReportIn } from './sales.service.ts';
import { closedShifts } from './shifts.service.ts';
import { COST_READ, mayReadCost, stockValuation } from './stock-valuation.service.ts';

export const EXPORT_REQUESTED = 'reports.export.requested' satisfies EventType;
type Row = typeof reportsExport.$inferSelect;

const target = (id: string) => ({ type: 'reports.export', id });
const ofTenant = (ctx: Pick<ServiceContext, 'tenantId'>, id: string) => and(eq(reportsExport.tenantId, ctx.tenantId), eq(reportsExport.id, id));

function toView(row: Row): ExportView {
  return {
    id: row.id,
    report: row.report,
    params: row.params,
    status: row.status,
    rowCount: row.rowCount,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    downloadUrl: row.status === 'done' ? `/v1/reports/exports/${row.id}/download` : null,
  };
}

/** What reading each report needs: an export holds the same rows, so asking for or fetching one needs it too. */
const READ_PERMISSION: Record<ReportKind, string> = { sales: REPORTS_PERMISSIONS.salesRead, shifts: REPORTS_PERMISSIONS.salesRead, 'stock-valuation': REPORTS_PERMISSIONS.stockRead };

/** System work (no permissions) may read any report; people need its read permission. A report kind no longer known is nobody's. */
function mayRead(ctx: Pick<ServiceContext, 'permissions'>, report: string): boolean {
  const permission = READ_PERMISSION[report as ReportKind] as string | undefined;
  return !ctx.permissions || (permission !== undefined && ctx.permissions.has(permission));
}

function assertMayRead(ctx: Pick<ServiceContext, 'permissions'>, row: { report: string; includeCost?: boolean }): void {
  if (!mayRead(ctx, row.report)) throw reportsErrors.permissionRequired(READ_PERMISSION[row.report as ReportKind] ?? REPORTS_PERMISSIONS.salesRead);
  // Stock valuation is the one report with cost columns, rendered when the requester could see costs; nobody else who may not gets that file.
  if (row.report === 'stock-valuation' && row.includeCost && !mayReadCost(ctx)) throw reportsErrors.permissionRequired(COST_READ);
}

/**
 * Queues a CSV export: the row (status queued), an audit entry and `reports.export.requested`,
 * one transaction. Whether the requester may see product costs is recorded now, so the job
 * (which runs as the system) renders what they may see.
 */
export function requestExport(ctx: ServiceContext, input: ExportInput): Promise<ExportView> {
  assertMayRead(ctx, input);
  return withTenantTx(ctx, async (uow) => {
    // The export keeps the days it covers: "the last 30 days" means those of the day it was asked for.
    const params = input.report === 'sales' ? await salesQueryIn(uow.tx, ctx.tenantId, input.params) : { success: true as const, data: input.params };
    if (!params.success) throw validationError(params.error.issues.map((issue) => ({ in: 'body', path: `params.${issue.path.join('.')}`, message: issue.message })));
    const [row] = await uow.tx
      .insert(reportsExport)
      .values({ tenantId: ctx.tenantId, report: input.report, params: params.data, includeCost: mayReadCost(ctx), requestedBy: actorLabel(ctx.actor) })
      .returning();
    if (!row) throw new Error('insert into reports_export returned no row');
    recordAudit(uow, { action: 'reports.export.requested', target: target(row.id), data: { report: row.report, params: row.params, includeCost: row.includeCost } });
    emit(uow, { type: EXPORT_REQUESTED, payload: { exportId: row.id, report: row.report } });
    return toView(row);
  });
}

export async function getExport(ctx: ServiceContext, id: string): Promise<ExportView> {
  const [row] = await withTenantTx(ctx, (uow) => uow.tx.select().from(reportsExport).where(ofTenant(ctx, id)).limit(1));
  if (!row) throw reportsErrors.exportNotFound();
  assertMayRead(ctx, { report: row.report });
  return toView(row);
}

export async function listExports(ctx: ServiceContext): Promise<ExportView[]> {
  const readable = REPORT_KINDS.filter((report) => mayRead(ctx, report));
  const rows = await withTenantTx(ctx, (uow) =>
    uow.tx.select().from(reportsExport).where(and(eq(reportsExport.tenantId, ctx.tenantId), inArray(reportsExport.report, readable))).orderBy(desc(reportsExport.createdAt)).limit(50),
  );
  return rows.map(toView);
}

/** The finished CSV and a file name for it; CONFLICT while it is queued or failed. Audited. */
export function downloadExport(ctx: ServiceContext, id: string): Promise<{ filename: string; csv: string }> {
  return withTenantTx(ctx, async (uow) => {
    const [row] = await uow.tx.select().from(reportsExport).where(ofTenant(ctx, id)).limit(1);
    if (!row) throw reportsErrors.exportNotFound();
    assertMayRead(ctx, row);
    if (row.status !== 'done' || row.csv === null) throw reportsErrors.exportNotReady(row.status);
    recordAudit(uow, { action: 'reports.export.downloaded', target: target(row.id), data: { report: row.report, rowCount: row.rowCount } });
    return { filename: `${row.report}-${row.createdAt.toISOString().slice(0, 10)}-${row.id.slice(0, 8)}.csv`, csv: row.csv };
  });
}

/** The report use cases run inside the export's unit of work (each a savepoint of its own). */
const inside = (uow: UnitOfWork): ServiceContext => ({ ...uow, db: uow.tx });

/** The export's table, or why it cannot be rendered (parameters that no longer parse, an unknown report). */
async function tableOf(uow: UnitOfWork, row: Row): Promise<CsvTable | { problem: string }> {
  switch (row.report) {
    case 'sales': {
      const query = await salesQueryIn(uow.tx, uow.tenantId, row.params);
      if (!query.success) return { problem: `invalid parameters: ${query.error.issues.map((issue) => issue.message).join('; ')}` };
      return salesTable(await salesReportIn(uow, query.data));
    }
    case 'stock-valuation':
      return valuationTable(await stockValuation(inside(uow), row.includeCost));
    case 'shifts':
      return shiftsTable(await closedShifts(inside(uow)));
    default:
      return { problem: `unknown report ${row.report}` };
  }
}

/**
 * Renders a queued export into its row and marks it done, in the caller's tenant transaction
 * (the event handler's). The row lock makes a parallel run wait and then find it done; an export
 * already done or failed is left alone. One that can never render is marked failed; other errors
 * throw, so the job is retried.
 */
export async function renderExportIn(uow: UnitOfWork, id: string): Promise<void> {
  const [row] = await uow.tx.select().from(reportsExport).where(ofTenant(uow, id)).for('update').limit(1);
  if (!row || row.status !== 'queued') return;
  const table = await tableOf(uow, row);
  if ('problem' in table) {
    await uow.tx.update(reportsExport).set({ status: 'failed', error: table.problem.slice(0, 500), completedAt: new Date() }).where(ofTenant(uow, id));
    return;
  }
  await uow.tx.update(reportsExport).set({ status: 'done', csv: toCsv(table), rowCount: table.rows.length, completedAt: new Date() }).where(ofTenant(uow, id));
}

/** The same outside a handler (tests, a CLI): one tenant transaction. */
export function renderExport(ctx: ServiceContext, id: string): Promise<void> {
  return withTenantTx(ctx, (uow) => renderExportIn(uow, id));
}

export const exportHandler = defineEventHandler({
  name: 'render-export',
  events: [EXPORT_REQUESTED],
  handle: (uow, event) => renderExportIn(uow, event.payload.exportId),
});
