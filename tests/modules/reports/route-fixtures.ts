import { renderExport } from '../../../src/modules/reports/index.ts';
import { api, page, resource, type RouteFixture } from '../../support/route-fixtures.ts';
import { posTill } from '../pos/route-fixtures.ts';

/** A closed shift (its Z report), and a CSV export rendered at once (as its job would) so it can be downloaded. */
const REPORTS_CLOSED_SHIFT = {
  id: resource(async (s) => {
    const till = await posTill(s);
    await s.asOwner('POST', `/v1/pos/shifts/${till.shiftId}/close`, { countedCashMinor: 1000 });
    return till.shiftId;
  }),
};
const REPORTS_EXPORT = {
  id: resource(async (s) => {
    const requested = await s.asOwner('POST', '/v1/reports/exports', { report: 'shifts' });
    await renderExport({ db: s.t.app.db, tenantId: s.tenant.id, actor: { kind: 'system', process: 'route-matrix' }, requestId: 'route-matrix', log: s.t.app.log }, requested.id);
    return requested.id;
  }),
};

export const routeFixtures: Record<string, RouteFixture> = {
  // Reports: sales from the read model, closed shifts (Z reports through pos), stock valuation, CSV exports.
  'GET /v1/reports/sales': api({ query: { from: '2026-01-01', to: '2026-01-31', groupBy: 'product' } }),
  'GET /v1/reports/shifts': api(),
  'GET /v1/reports/shifts/:id': api({ params: REPORTS_CLOSED_SHIFT }),
  'GET /v1/reports/stock-valuation': api(),
  'POST /v1/reports/exports': api({ body: { report: 'sales', params: { from: '2026-01-01', to: '2026-01-31', groupBy: 'day' } }, alsoHolds: ['reports.sales.read'] }),
  'GET /v1/reports/exports': api(),
  'GET /v1/reports/exports/:id': api({ params: REPORTS_EXPORT, alsoHolds: ['reports.sales.read'] }),
  'GET /v1/reports/exports/:id/download': api({ params: REPORTS_EXPORT, alsoHolds: ['reports.sales.read'] }),
  'GET /reports': page(),
  'GET /reports/sales': page({ query: { groupBy: 'location' } }),
  'GET /reports/shifts': page(),
  'GET /reports/shifts/:id': page({ params: REPORTS_CLOSED_SHIFT }),
  'GET /reports/stock-valuation': page(),
  'GET /reports/exports': page(),
  'POST /reports/exports': page({ body: { report: 'stock-valuation' }, alsoHolds: ['reports.stock.read'] }),
};
