import { useEffect, useState } from 'preact/hooks';
import { apiCall } from './api.ts';
import { formatMoney } from './cart.ts';
import { useAction } from './panels.tsx';
import type { ShiftReportView } from './shift-report.ts';
import { ToolFrame } from './tool-frame.tsx';

/** The parts of GET /v1/pos/shifts/:id/report the till shows. */

/** The X report of the open shift, on the till: what was sold and what the drawer should hold. */
export function XReportTool({ shiftId, currency, token, onError, onClose }: { shiftId: string; currency: string; token: () => Promise<string>; onError: (message: string) => void; onClose: () => void }) {
  const [report, setReport] = useState<ShiftReportView | null>(null);
  const { run } = useAction(onError);
  const money = (minor: number) => formatMoney(minor, currency);
  const load = () =>
    run(async () => {
      const { data } = await apiCall<{ data: ShiftReportView }>(`/v1/pos/shifts/${shiftId}/report`, { bearer: await token() });
      setReport(data);
    });
  useEffect(() => {
    void load();
    // Once per shift shown; "Refresh" asks again.
  }, [shiftId]);

  return (
    <ToolFrame title="X report (shift so far)" onClose={onClose}>
      {!report ? (
        <p class="muted">Loading the report…</p>
      ) : (
        <>
          <dl class="register-report">
            <dt>Sales</dt>
            <dd>
              {report.sales.count} · {money(report.sales.totalMinor)}
            </dd>
            <dt>Discounts</dt>
            <dd>{money(report.sales.discountMinor)}</dd>
            <dt>Tax</dt>
            <dd>{money(report.sales.taxMinor)}</dd>
            {Object.entries(report.tenders).map(([kind, minor]) => [
              <dt key={`${kind}-t`}>Paid by {kind}</dt>,
              <dd key={`${kind}-d`}>{money(minor)}</dd>,
            ])}
            <dt>Refunds</dt>
            <dd>
              {report.refunds.count} · {money(report.refunds.amountMinor)}
            </dd>
            <dt>Voided sales</dt>
            <dd>
              {report.voids.saleCount} · {money(report.voids.saleAmountMinor)}
            </dd>
            <dt>Opening float</dt>
            <dd>{money(report.cash.openingFloatMinor)}</dd>
            <dt>Cash in / out</dt>
            <dd>
              {money(report.cash.paidInMinor)} / {money(report.cash.paidOutMinor)}
            </dd>
            <dt>Expected in the drawer</dt>
            <dd>{report.cash.expectedMinor === undefined ? 'hidden (blind close)' : money(report.cash.expectedMinor)}</dd>
          </dl>
          <div class="register-actions">
            <button type="button" class="button secondary register-touch" onClick={() => void load()}>
              Refresh
            </button>
            <button type="button" class="button secondary register-touch" onClick={() => window.print()}>
              Print
            </button>
          </div>
        </>
      )}
    </ToolFrame>
  );
}
