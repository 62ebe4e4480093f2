import type { ComponentChildren } from 'preact';
import { formatMoney } from '../../../kernel/money/index.ts';
import { formatDateTime } from '../../../kernel/time/index.ts';
import { CsrfField, Layout, Notice, SelectField, TextField, useTimeZone, When, type Chrome, type FieldErrors } from '../../../web/index.ts';
import type { ShiftReport } from '../../pos/index.ts';
import type { ExportView, SalesReport, SalesRow, ShiftSummary, ValuationReport } from '../domain.ts';
import { BarChart } from './chart.tsx';

export interface Option {
  value: string;
  label: string;
}

const money = (minor: number | null | undefined, currency: string | null) => (minor === null || minor === undefined ? '—' : currency ? formatMoney(minor, currency) : String(minor));

/** The link names the shift by its register and closing time, on the business's clocks: one register has many. */
function ZReportLink({ shift }: { shift: ShiftSummary }) {
  const timeZone = useTimeZone();
  const closed = shift.closedAt ? formatDateTime(new Date(shift.closedAt), timeZone) : '—';
  return (
    <a href={`/reports/shifts/${shift.shiftId}`} aria-label={`Z report of ${shift.registerName}, closed ${closed}`}>
      Z report
    </a>
  );
}

function Page({ title, notice, children }: { title: string; chrome: Chrome; notice?: string | undefined; children: ComponentChildren }) {
  return (
    <Layout title={title}>
      <p>
        <a href="/reports">Reports</a>
      </p>
      <h1>{title}</h1>
      <Notice text={notice} />
      {children}
    </Layout>
  );
}

export interface OverviewLinks {
  sales: boolean;
  stock: boolean;
  exports: boolean;
}

export function ReportsOverviewPage({ links, today }: { chrome: Chrome; links: OverviewLinks; today: SalesReport | undefined }) {
  return (
    <Layout title="Reports">
      <h1>Reports</h1>
      <ul>
        {links.sales && (
          <li>
            <a href="/reports/sales">Sales</a> by day, location or product
          </li>
        )}
        {links.sales && (
          <li>
            <a href="/reports/shifts">Closed shifts</a> and their Z reports
          </li>
        )}
        {links.stock && (
          <li>
            <a href="/reports/stock-valuation">Stock valuation</a> per location
          </li>
        )}
        {links.exports && (
          <li>
            <a href="/reports/exports">CSV exports</a>
          </li>
        )}
      </ul>
      {today && (
        <section aria-labelledby="last-7-days">
          <h2 id="last-7-days">Last 7 days</h2>
          <SalesTable report={today} caption={`Sales ${today.from} to ${today.to}, by day`} />
        </section>
      )}
    </Layout>
  );
}

const GROUP_OPTIONS: Option[] = [
  { value: 'day', label: 'Day' },
  { value: 'location', label: 'Location' },
  { value: 'product', label: 'Product' },
];

const GROUP_NAMES = { day: 'Day', location: 'Location', product: 'Product' } as const;

/** One line of the sales table: a group's figures, or a currency's totals (same columns). */
function SalesFigures({ row }: { row: SalesRow }) {
  return (
    <tr>
      <th scope="row">{row.label}</th>
      <td class="num">{row.quantity}</td>
      <td class="num">{money(row.grossMinor, row.currency)}</td>
      <td class="num">{money(row.discountMinor, row.currency)}</td>
      <td class="num">{money(row.netMinor, row.currency)}</td>
      <td class="num">{money(row.taxMinor, row.currency)}</td>
      <td class="num">{money(row.totalMinor, row.currency)}</td>
      <td class="num">{money(row.refundMinor, row.currency)}</td>
      <td class="num">{money(row.netTakingsMinor, row.currency)}</td>
    </tr>
  );
}

function SalesTable({ report, caption }: { report: SalesReport; caption: string }) {
  if (report.rows.length === 0) return <p class="muted">No sales in this period.</p>;
  return (
    <table class="data">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{GROUP_NAMES[report.groupBy]}</th>
          <th scope="col" class="num">
            Quantity
          </th>
          <th scope="col" class="num">
            Gross
          </th>
          <th scope="col" class="num">
            Discounts
          </th>
          <th scope="col" class="num">
            Net (without tax)
          </th>
          <th scope="col" class="num">
            Tax
          </th>
          <th scope="col" class="num">
            Paid
          </th>
          <th scope="col" class="num">
            Refunds
          </th>
          <th scope="col" class="num">
            Net takings
          </th>
        </tr>
      </thead>
      <tbody>
        {report.rows.map((row) => (
          <SalesFigures key={`${row.key}-${row.currency}`} row={row} />
        ))}
      </tbody>
      <tfoot>
        {report.totals.map((row) => (
          <SalesFigures key={row.currency} row={row} />
        ))}
      </tfoot>
    </table>
  );
}

export interface SalesFormValues {
  from: string;
  to: string;
  groupBy: string;
  locationId: string;
}

export function SalesReportPage({
  chrome,
  values,
  errors,
  report,
  locations,
  canExport,
}: {
  chrome: Chrome;
  values: SalesFormValues;
  errors: FieldErrors;
  report: SalesReport | undefined;
  locations: Option[];
  canExport: boolean;
}) {
  const bars = (report?.rows ?? []).map((row) => ({ label: report && report.totals.length > 1 ? `${row.label} (${row.currency})` : row.label, value: row.netTakingsMinor, text: money(row.netTakingsMinor, row.currency) }));
  return (
    <Page title="Sales" chrome={chrome}>
      <form class="toolbar" method="get" action="/reports/sales">
        <TextField name="from" label="From" hint="YYYY-MM-DD" value={values.from} error={errors.from} />
        <TextField name="to" label="To" hint="YYYY-MM-DD" value={values.to} error={errors.to} />
        <SelectField name="groupBy" label="Group by" value={values.groupBy} options={GROUP_OPTIONS} error={errors.groupBy} />
        <SelectField name="locationId" label="Location" value={values.locationId} options={[{ value: '', label: 'All locations' }, ...locations]} error={errors.locationId} />
        <div class="field">
          <button class="button secondary" type="submit">
            Show
          </button>
        </div>
      </form>
      {report && (
        <>
          <BarChart bars={bars} summary={`Net takings (paid less refunds) per ${report.groupBy}, ${report.from} to ${report.to}. The table below lists the same figures.`} />
          <SalesTable report={report} caption={`Sales ${report.from} to ${report.to}, by ${report.groupBy}; days in each location's time zone`} />
          {canExport && (
            <form method="post" action="/reports/exports">
              <CsrfField token={chrome.csrfToken} />
              <input type="hidden" name="report" value="sales" />
              <input type="hidden" name="from" value={report.from} />
              <input type="hidden" name="to" value={report.to} />
              <input type="hidden" name="groupBy" value={report.groupBy} />
              {report.locationId && <input type="hidden" name="locationId" value={report.locationId} />}
              <button class="button secondary" type="submit">
                Export as CSV
              </button>
            </form>
          )}
        </>
      )}
    </Page>
  );
}

export function ShiftsPage({ chrome, shifts, locations, canExport }: { chrome: Chrome; shifts: ShiftSummary[]; locations: ReadonlyMap<string, string>; canExport: boolean }) {
  return (
    <Page title="Closed shifts" chrome={chrome}>
      {shifts.length === 0 ? (
        <p class="muted">No closed shifts yet.</p>
      ) : (
        <table class="data">
          <caption>Closed shifts, most recent first</caption>
          <thead>
            <tr>
              <th scope="col">Register</th>
              <th scope="col">Location</th>
              <th scope="col">Opened</th>
              <th scope="col">Closed</th>
              <th scope="col" class="num">
                Counted cash
              </th>
              <th scope="col" class="num">
                Expected cash
              </th>
              <th scope="col" class="num">
                Variance
              </th>
              <th scope="col">Z report</th>
            </tr>
          </thead>
          <tbody>
            {shifts.map((shift) => (
              <tr key={shift.shiftId}>
                <th scope="row">{shift.registerName}</th>
                <td>{locations.get(shift.locationId) ?? '—'}</td>
                <td>
                  <When at={shift.openedAt} />
                </td>
                <td>
                  <When at={shift.closedAt} />
                </td>
                <td class="num">{money(shift.countedCashMinor, shift.currency)}</td>
                <td class="num">{shift.expectedCashMinor === undefined ? 'Hidden (blind close)' : money(shift.expectedCashMinor, shift.currency)}</td>
                <td class="num">{shift.varianceMinor === undefined ? 'Hidden (blind close)' : money(shift.varianceMinor, shift.currency)}</td>
                <td>
                  <ZReportLink shift={shift} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canExport && shifts.length > 0 && (
        <form method="post" action="/reports/exports">
          <CsrfField token={chrome.csrfToken} />
          <input type="hidden" name="report" value="shifts" />
          <button class="button secondary" type="submit">
            Export as CSV
          </button>
        </form>
      )}
    </Page>
  );
}

export function ShiftReportPage({ chrome, report, registerName }: { chrome: Chrome; report: ShiftReport; registerName: string }) {
  const c = report.currency;
  const rows: [string, number | null | undefined][] = [
    ['Sales', report.sales.count],
    ['Gross', report.sales.grossMinor],
    ['Discounts', report.sales.discountMinor],
    ['Tax', report.sales.taxMinor],
    ['Total', report.sales.totalMinor],
    ['Tips', report.sales.tipMinor],
    ['Cash tenders', report.tenders.cash],
    ['Card tenders', report.tenders.card],
    ['Voucher tenders', report.tenders.voucher],
    ['Refunds', report.refunds.amountMinor],
    ['Voided sales', report.voids.saleAmountMinor],
    ['Opening float', report.cash.openingFloatMinor],
    ['Paid in', report.cash.paidInMinor],
    ['Paid out', report.cash.paidOutMinor],
    ['Expected cash', report.cash.expectedMinor],
    ['Counted cash', report.cash.countedMinor],
    ['Variance', report.cash.varianceMinor],
  ];
  return (
    <Page title={`${report.kind} report: ${registerName}`} chrome={chrome}>
      <p>
        Opened <When at={report.shift.openedAt} /> by {report.shift.openedBy};{' '}
        {report.shift.closedAt ? (
          <>
            closed <When at={report.shift.closedAt} /> by {report.shift.closedBy ?? '—'}
          </>
        ) : (
          'still open (X report)'
        )}
        .
      </p>
      <p>
        <a href="/reports/shifts">All closed shifts</a>
      </p>
      <table class="data">
        <caption>{`${report.kind} report figures`}</caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col" class="num">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td class="num">{label === 'Sales' ? String(value) : value === undefined ? 'Hidden (blind close)' : money(value, c)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.taxes.length > 0 && (
        <table class="data">
          <caption>Tax by rate</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col" class="num">
                Rate
              </th>
              <th scope="col" class="num">
                Net
              </th>
              <th scope="col" class="num">
                Tax
              </th>
            </tr>
          </thead>
          <tbody>
            {report.taxes.map((tax) => (
              <tr key={`${tax.code}-${tax.rateBp}`}>
                <th scope="row">{tax.code}</th>
                <td class="num">{(tax.rateBp / 100).toFixed(2)} %</td>
                <td class="num">{money(tax.netMinor, c)}</td>
                <td class="num">{money(tax.taxMinor, c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

export function StockValuationPage({ chrome, report, canExport }: { chrome: Chrome; report: ValuationReport; canExport: boolean }) {
  const bars = report.costVisible
    ? report.locations.map((entry) => ({ label: `${entry.locationName}${entry.currency ? ` (${entry.currency})` : ''}`, value: entry.valueMinor ?? 0, text: money(entry.valueMinor, entry.currency) }))
    : report.locations.map((entry) => ({ label: entry.locationName, value: entry.onHand, text: `${entry.onHand} units` }));
  return (
    <Page title="Stock valuation" chrome={chrome}>
      {!report.costVisible && <p class="muted">Costs are hidden: your role does not include seeing product costs, so this report shows quantities only.</p>}
      {report.lines.length === 0 ? (
        <p class="muted">No stock on hand.</p>
      ) : (
        <>
          <BarChart bars={bars} summary={report.costVisible ? 'Stock value per location (on hand × unit cost). The tables below list the same figures.' : 'Units on hand per location. The tables below list the same figures.'} />
          <table class="data">
            <caption>Per location</caption>
            <thead>
              <tr>
                <th scope="col">Location</th>
                <th scope="col">Currency</th>
                <th scope="col" class="num">
                  On hand
                </th>
                {report.costVisible && (
                  <th scope="col" class="num">
                    Value
                  </th>
                )}
                {report.costVisible && (
                  <th scope="col" class="num">
                    Products without cost
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {report.locations.map((entry) => (
                <tr key={`${entry.locationId}-${entry.currency ?? ''}`}>
                  <th scope="row">{entry.locationName}</th>
                  <td>{entry.currency ?? '—'}</td>
                  <td class="num">{entry.onHand}</td>
                  {report.costVisible && <td class="num">{money(entry.valueMinor, entry.currency)}</td>}
                  {report.costVisible && <td class="num">{entry.unvaluedProducts ?? 0}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          <table class="data">
            <caption>Per product and location</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Location</th>
                <th scope="col" class="num">
                  On hand
                </th>
                {report.costVisible && (
                  <th scope="col" class="num">
                    Unit cost
                  </th>
                )}
                {report.costVisible && (
                  <th scope="col" class="num">
                    Value
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {report.lines.map((line) => (
                <tr key={`${line.locationId}-${line.productId}`}>
                  <th scope="row">
                    {line.productName}
                    {line.sku ? ` (${line.sku})` : ''}
                  </th>
                  <td>{line.locationName}</td>
                  <td class="num">{line.onHand}</td>
                  {report.costVisible && <td class="num">{money(line.unitCostMinor, line.currency)}</td>}
                  {report.costVisible && <td class="num">{money(line.valueMinor, line.currency)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
          {canExport && (
            <form method="post" action="/reports/exports">
              <CsrfField token={chrome.csrfToken} />
              <input type="hidden" name="report" value="stock-valuation" />
              <button class="button secondary" type="submit">
                Export as CSV
              </button>
            </form>
          )}
        </>
      )}
    </Page>
  );
}

const STATUS = { queued: 'Queued', done: 'Ready', failed: 'Failed' } as const;

export function ExportsPage({ chrome, exports, notice }: { chrome: Chrome; exports: ExportView[]; notice?: string | undefined }) {
  return (
    <Page title="CSV exports" chrome={chrome} notice={notice}>
      <p class="muted">Exports are prepared in the background; reload this page to see when one is ready.</p>
      {exports.length === 0 ? (
        <p class="muted">No exports yet. Use “Export as CSV” on a report.</p>
      ) : (
        <table class="data">
          <caption>Recent exports</caption>
          <thead>
            <tr>
              <th scope="col">Requested</th>
              <th scope="col">Report</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Rows
              </th>
              <th scope="col">Download</th>
            </tr>
          </thead>
          <tbody>
            {exports.map((entry) => (
              <tr key={entry.id}>
                <th scope="row">
                  <When at={entry.createdAt} />
                </th>
                <td>{entry.report}</td>
                <td>
                  {STATUS[entry.status]}
                  {entry.error ? `: ${entry.error}` : ''}
                </td>
                <td class="num">{entry.rowCount ?? '—'}</td>
                <td>{entry.downloadUrl ? <a href={entry.downloadUrl}>Download CSV</a> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
