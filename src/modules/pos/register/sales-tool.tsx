import { useState } from 'preact/hooks';
import { apiCall } from './api.ts';
import type { RegisterSummary, StaffMember } from './bootstrap.ts';
import { formatMoney } from './cart.ts';
import { useManagerApproval } from './manager-approval.tsx';
import { useAction } from './panels.tsx';
import { ToolFrame } from './tool-frame.tsx';
import type { RegisterSale } from './till.ts';

/** Recent sales of this till: reprint a receipt, refund items, or void a sale of the open shift. */

type Correction = { saleId: string; kind: 'refund' | 'void' };

interface RefundView {
  kind: 'refund' | 'void';
  amountMinor: number;
}

export function SalesTool({
  register,
  sales,
  staff,
  token,
  onNotice,
  onError,
  onClose,
}: {
  register: RegisterSummary;
  sales: RegisterSale[];
  staff: StaffMember[];
  token: () => Promise<string>;
  onNotice: (message: string) => void;
  onError: (message: string) => void;
  onClose: () => void;
}) {
  const [open, setOpen] = useState<Correction | null>(null);
  const [done, setDone] = useState<Record<string, string>>({});
  const mine = sales.filter((sale) => sale.body.registerId === register.id).sort((a, b) => b.createdAt - a.createdAt);
  return (
    <ToolFrame title="Sales and refunds" onClose={onClose}>
      {mine.length === 0 ? (
        <p class="muted">No sales on this till in the last 24 hours.</p>
      ) : (
        <ul class="register-sales" aria-label="Recent sales">
          {mine.map((sale) => {
            const money = (minor: number) => formatMoney(minor, sale.receipt.currency);
            const label = sale.saleNumber ? `Sale ${sale.saleNumber}` : 'Sale not yet synced';
            return (
              <li key={sale.id}>
                <div class="register-sale-row">
                  <span class="register-sale-what">
                    <strong>{label}</strong> · {new Date(sale.createdAt).toLocaleTimeString()} · {money(sale.receipt.totalMinor)} ·{' '}
                    {sale.receipt.lines.map((line) => `${line.quantity}× ${line.name}`).join(', ')}
                    {done[sale.id] && <strong> · {done[sale.id]}</strong>}
                  </span>
                  {sale.status === 'synced' ? (
                    <>
                      <a class="button secondary" href={`/pos/receipts/${sale.id}`} target="_blank" rel="noopener" aria-label={`Reprint receipt of ${label}`}>
                        Reprint
                      </a>
                      <button type="button" class="button secondary" aria-expanded={open?.saleId === sale.id && open.kind === 'refund'} aria-label={`Refund ${label}`} onClick={() => setOpen({ saleId: sale.id, kind: 'refund' })}>
                        Refund
                      </button>
                      <button type="button" class="button secondary" aria-expanded={open?.saleId === sale.id && open.kind === 'void'} aria-label={`Void ${label}`} onClick={() => setOpen({ saleId: sale.id, kind: 'void' })}>
                        Void
                      </button>
                    </>
                  ) : (
                    <span class="muted">Refund or void once the server has it.</span>
                  )}
                </div>
                {open?.saleId === sale.id && (
                  <CorrectionForm
                    key={`${sale.id}-${open.kind}`}
                    kind={open.kind}
                    sale={sale}
                    register={register}
                    staff={staff}
                    token={token}
                    onError={onError}
                    onCancel={() => setOpen(null)}
                    onDone={(refund) => {
                      const what = refund.kind === 'void' ? `Voided (${money(refund.amountMinor)} back)` : `Refunded ${money(refund.amountMinor)}`;
                      setDone((current) => ({ ...current, [sale.id]: what }));
                      setOpen(null);
                      onNotice(`${label}: ${what.toLowerCase()}.`);
                    }}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </ToolFrame>
  );
}

function CorrectionForm({
  kind,
  sale,
  register,
  staff,
  token,
  onError,
  onCancel,
  onDone,
}: {
  kind: 'refund' | 'void';
  sale: RegisterSale;
  register: RegisterSummary;
  staff: StaffMember[];
  token: () => Promise<string>;
  onError: (message: string) => void;
  onCancel: () => void;
  onDone: (refund: RefundView) => void;
}) {
  const [reason, setReason] = useState('');
  const [quantities, setQuantities] = useState(sale.receipt.lines.map((line) => String(line.quantity)));
  // One id per attempt: sending again after a lost answer gets the same refund, never a second one.
  const [id] = useState(() => crypto.randomUUID());
  const approval = useManagerApproval(staff);
  const { busy, run } = useAction(onError);
  const submit = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      if (!reason.trim()) throw new Error(`Say why the sale is ${kind === 'void' ? 'voided' : 'refunded'}.`);
      const lines = sale.receipt.lines
        .map((_, index) => ({ lineNo: index + 1, quantity: Number(quantities[index] ?? 0) }))
        .filter((line) => Number.isInteger(line.quantity) && line.quantity > 0);
      if (kind === 'refund' && lines.length === 0) throw new Error('Choose at least one item to refund.');
      const body = { id, registerId: register.id, reason: reason.trim(), ...(kind === 'refund' ? { lines } : {}), ...(approval.override ? { override: approval.override } : {}) };
      try {
        const { data } = await apiCall<{ data: RefundView }>(`/v1/pos/sales/${sale.id}/${kind === 'void' ? 'void' : 'refunds'}`, { body, bearer: await token() });
        onDone(data);
      } catch (failure) {
        if (!approval.override && approval.askFor(failure)) throw new Error('A manager must approve this: choose the manager and enter their PIN.', { cause: failure });
        throw failure;
      }
    });
  };
  const title = kind === 'void' ? 'Void the whole sale' : 'Refund items';
  return (
    <form class="register-correction" onSubmit={submit} aria-label={title}>
      <h3>{title}</h3>
      {kind === 'refund' &&
        sale.receipt.lines.map((line, index) => (
          <div class="field" key={index}>
            <label for={`refund-qty-${index}`}>
              {line.name} (sold {line.quantity})
            </label>
            <input
              id={`refund-qty-${index}`}
              type="number"
              min={0}
              max={line.quantity}
              inputMode="numeric"
              value={quantities[index]}
              onInput={(event) => {
                const value = event.currentTarget.value;
                setQuantities((current) => current.map((quantity, at) => (at === index ? value : quantity)));
              }}
            />
          </div>
        ))}
      <div class="field">
        <label for="correction-reason">Reason</label>
        <input id="correction-reason" required maxLength={500} autocomplete="off" value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
      </div>
      {approval.fields}
      <div class="register-actions">
        <button type="submit" class="button register-touch" disabled={busy}>
          {kind === 'void' ? 'Void sale' : 'Refund'}
        </button>
        <button type="button" class="button secondary register-touch" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
