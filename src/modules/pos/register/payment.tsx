import type { TenderPlan, TicketTotals } from '../domain/totals.ts';
import type { TenderKind, TenderRow } from './cart.ts';

/** The ticket's foot, always in view: totals, ticket discount, amount and voucher, the pay buttons. */

export const TENDER_LABELS: Record<TenderKind, string> = { cash: 'Cash', card: 'Card', voucher: 'Voucher' };
export const TENDER_KEYS: Record<string, TenderKind> = { F2: 'cash', F3: 'card', F4: 'voucher' };
const TENDER_ORDER = ['cash', 'card', 'voucher'] as const;

export function Payment({
  totals,
  pricesIncludeTax,
  remaining,
  plan,
  tenders,
  money,
  busy,
  ticketDiscount,
  tenderAmount,
  voucherCode,
  onTicketDiscount,
  onTenderAmount,
  onVoucherCode,
  onTender,
  onRemoveTender,
  onComplete,
}: {
  totals: TicketTotals;
  pricesIncludeTax: boolean;
  remaining: number;
  plan: TenderPlan | null;
  tenders: TenderRow[];
  money: (minor: number) => string;
  busy: boolean;
  ticketDiscount: string;
  tenderAmount: string;
  voucherCode: string;
  onTicketDiscount: (text: string, committed: boolean) => void;
  onTenderAmount: (text: string) => void;
  onVoucherCode: (text: string) => void;
  onTender: (kind: TenderKind) => void;
  onRemoveTender: (index: number) => void;
  onComplete: () => void;
}) {
  return (
    <div class="register-foot">
      <dl class="register-totals">
        <dt>Subtotal</dt>
        <dd>{money(totals.subtotalMinor)}</dd>
        <dt>Discount</dt>
        <dd>{money(totals.discountMinor)}</dd>
        <dt>Tax{pricesIncludeTax ? ' (incl.)' : ''}</dt>
        <dd>{money(totals.taxMinor)}</dd>
        <dt class="grand">Total</dt>
        <dd id="register-total" class="grand">
          {money(totals.totalMinor)}
        </dd>
        <dt class="due">Still due</dt>
        <dd class="due">{money(remaining)}</dd>
      </dl>
      {tenders.length > 0 && (
        <ul class="register-tenders" aria-label="Tenders">
          {tenders.map((tender, index) => (
            <li key={index}>
              {TENDER_LABELS[tender.kind]}
              {tender.code ? ` ${tender.code}` : ''}: {money(tender.amountMinor)}{' '}
              <button type="button" class="button secondary" aria-label={`Remove ${TENDER_LABELS[tender.kind]} ${money(tender.amountMinor)}`} onClick={() => onRemoveTender(index)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {plan && plan.changeMinor > 0 && <p class="register-change">Change: {money(plan.changeMinor)}</p>}
      <div class="register-inline-fields">
        <div class="field">
          <label for="ticket-discount">Ticket disc. %</label>
          <input id="ticket-discount" inputMode="decimal" value={ticketDiscount} onInput={(event) => onTicketDiscount(event.currentTarget.value, false)} onChange={(event) => onTicketDiscount(event.currentTarget.value, true)} />
        </div>
        <div class="field">
          <label for="tender-amount">Amount tendered</label>
          <input id="tender-amount" inputMode="decimal" placeholder={money(remaining)} value={tenderAmount} onInput={(event) => onTenderAmount(event.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="voucher-code">Voucher code</label>
          <input id="voucher-code" autocomplete="off" value={voucherCode} onInput={(event) => onVoucherCode(event.currentTarget.value)} />
        </div>
      </div>
      <div class="register-pay">
        {TENDER_ORDER.map((kind, index) => (
          <button key={kind} type="button" class="button secondary register-touch" disabled={busy} aria-keyshortcuts={`F${index + 2}`} onClick={() => onTender(kind)}>
            {TENDER_LABELS[kind]} (F{index + 2})
          </button>
        ))}
        <button type="button" class="button register-touch register-complete" disabled={busy || !plan} aria-keyshortcuts="F9" onClick={onComplete}>
          Complete sale (F9)
        </button>
      </div>
    </div>
  );
}
