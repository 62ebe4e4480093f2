import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ProductSummary, RegisterSummary, StaffMember } from './bootstrap.ts';
import {
  addProduct,
  changeQuantity,
  formatMoney,
  parseMoney,
  parsePercent,
  remainingDue,
  saleBody,
  searchProducts,
  settle,
  ticketTotals,
  type CartLine,
  type ProvisionalReceipt,
  type SaleBody,
  type TenderKind,
  type TenderRow,
} from './cart.ts';
import { useAction } from './panels.tsx';
import type { RegisterSale } from './till.ts';

/** The selling screen: product grid and search, the ticket, payment, and the last sale's receipt. */

const TENDER_LABELS: Record<TenderKind, string> = { cash: 'Cash', card: 'Card', voucher: 'Voucher' };
const TENDER_KEYS: Record<string, TenderKind> = { F2: 'cash', F3: 'card', F4: 'voucher' };

export function Selling({
  register,
  shiftId,
  cashier,
  products,
  sales,
  lastSaleId,
  onComplete,
  onRequeue,
  onSwitchCashier,
  onCloseShift,
  onError,
  voucherBalance,
}: {
  register: RegisterSummary;
  /** The till's open shift: an offline sale keeps the shift it was rung up in. */
  shiftId: string;
  cashier: StaffMember;
  products: ProductSummary[];
  sales: RegisterSale[];
  lastSaleId: string | null;
  onComplete: (body: SaleBody, receipt: ProvisionalReceipt) => Promise<void>;
  onRequeue: (id: string) => Promise<void>;
  onSwitchCashier: () => Promise<void>;
  onCloseShift: () => void;
  onError: (message: string) => void;
  /** A voucher's balance by code (asks the server as the cashier); throws when there is none. */
  voucherBalance: (code: string) => Promise<{ balanceMinor: number; currency: string }>;
}) {
  const [query, setQuery] = useState('');
  const [lines, setLines] = useState<CartLine[]>([]);
  const [ticketDiscount, setTicketDiscount] = useState('');
  const [tenders, setTenders] = useState<TenderRow[]>([]);
  const [tenderAmount, setTenderAmount] = useState('');
  const [voucherCode, setVoucherCode] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const { busy, run } = useAction(onError);
  const { currency } = register;

  const matches = useMemo(() => searchProducts(products, query), [products, query]);
  const ticketDiscountBp = parsePercent(ticketDiscount) ?? 0;
  const totals = ticketTotals(register, lines, ticketDiscountBp);
  const plan = settle(totals.totalMinor, tenders);
  const remaining = remainingDue(totals.totalMinor, tenders);
  const money = (minor: number) => formatMoney(minor, currency);

  const add = (product: ProductSummary) => {
    setLines((current) => addProduct(current, product));
    setTenders([]);
  };
  const bump = (productId: string, delta: number) => {
    setLines((current) => changeQuantity(current, productId, delta));
    setTenders([]);
  };

  const addTender = (kind: TenderKind) =>
    run(async () => {
      if (lines.length === 0) throw new Error('Add products to the ticket first.');
      const typed = tenderAmount.trim() ? parseMoney(tenderAmount, currency) : remaining;
      if (typed === null || typed <= 0) throw new Error('Enter the amount tendered, e.g. 20.00.');
      if (kind !== 'cash' && typed > remaining) throw new Error(`${TENDER_LABELS[kind]} can pay at most the ${money(remaining)} still due (only cash gives change).`);
      if (kind === 'voucher') {
        if (voucherCode.trim().length < 4) throw new Error('Enter the voucher code.');
        // Online, the balance is checked now; offline the server checks it when the sale syncs.
        if (navigator.onLine) await assertVoucherCovers(voucherCode.trim(), typed, money, voucherBalance);
      }
      setTenders((current) => [...current, kind === 'voucher' ? { kind, amountMinor: typed, code: voucherCode.trim() } : { kind, amountMinor: typed }]);
      setTenderAmount('');
      setVoucherCode('');
    });

  const complete = () =>
    run(async () => {
      if (!plan) throw new Error(lines.length === 0 ? 'The ticket is empty.' : `Take payment first: ${money(remaining)} still due.`);
      if (parsePercent(ticketDiscount) === null) throw new Error('The ticket discount must be a percentage from 0 to 100.');
      // The id exists before anything is stored or sent: every resend of this sale carries it.
      const id = crypto.randomUUID();
      const soldAt = new Date().toISOString();
      const receipt: ProvisionalReceipt = {
        registerName: register.name,
        cashierName: cashier.displayName,
        soldAt,
        currency,
        lines: lines.map((line, index) => ({ name: line.name, quantity: line.quantity, totalMinor: totals.lines[index]?.totalMinor ?? 0 })),
        subtotalMinor: totals.subtotalMinor,
        discountMinor: totals.discountMinor,
        taxMinor: totals.taxMinor,
        totalMinor: totals.totalMinor,
        tenders,
        changeMinor: plan.changeMinor,
      };
      await onComplete(saleBody({ id, register, shiftId, soldAt, lines, ticketDiscountBp, tenders, totalMinor: totals.totalMinor }), receipt);
      setLines([]);
      setTenders([]);
      setTicketDiscount('');
      setQuery('');
      searchRef.current?.focus();
    });

  // Keyboard: type anywhere to search, + / − change the last line, F2–F4 take payment, F9 completes.
  // The listener is attached once and calls the handler of the LATEST render (kept in a ref):
  // effects run after paint, so a listener re-attached per render would see stale state when
  // keys come fast (a scanner, or F4 right after typing an amount).
  const onKeyRef = useRef<(event: KeyboardEvent) => void>(() => undefined);
  onKeyRef.current = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement | null;
    const inField = target?.tagName === 'INPUT' || target?.tagName === 'SELECT' || target?.tagName === 'TEXTAREA';
    const inEmptySearch = target === searchRef.current && !searchRef.current?.value;
    const tender = TENDER_KEYS[event.key];
    if (tender) {
      event.preventDefault();
      void addTender(tender);
    } else if (event.key === 'F9') {
      event.preventDefault();
      void complete();
    } else if ((event.key === '+' || event.key === '-') && (!inField || inEmptySearch)) {
      if (lines.length === 0) return;
      event.preventDefault();
      // The newest state, not this render's: keys can come faster than renders.
      const delta = event.key === '+' ? 1 : -1;
      setLines((current) => {
        const last = current[current.length - 1];
        return last ? changeQuantity(current, last.productId, delta) : current;
      });
      setTenders([]);
    } else if (!inField && event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey && target?.tagName !== 'BUTTON') {
      searchRef.current?.focus();
    }
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => onKeyRef.current(event);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // After a reload the newest sale of this shift is the last one (its receipt may still be needed).
  const lastSale = sales.find((sale) => sale.id === lastSaleId) ?? sales.filter((sale) => sale.body.shiftId === shiftId).at(-1);
  const refused = sales.filter((sale) => sale.status === 'rejected');

  return (
    <div class="register-selling">
      <div class="register-products">
        <form
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            const first = matches[0];
            if (first) {
              add(first);
              setQuery('');
            }
          }}
        >
          <div class="field">
            <label for="register-search">Search products (name or SKU, Enter adds the first)</label>
            <input
              id="register-search"
              ref={searchRef}
              type="search"
              autocomplete="off"
              aria-keyshortcuts="Escape"
              value={query}
              onInput={(event) => setQuery(event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') setQuery('');
              }}
            />
          </div>
        </form>
        <ul class="register-grid" aria-label="Products">
          {matches.map((product) => (
            <li key={product.id}>
              <button type="button" class="register-product" onClick={() => add(product)}>
                <span class="register-product-name">{product.name}</span>
                <span class="muted">{product.sku}</span>
                <span>{money(product.priceMinor)}</span>
              </button>
            </li>
          ))}
        </ul>
        {matches.length === 0 && <p class="muted">No product matches.</p>}
      </div>
      <div class="register-ticket">
        <h2>Ticket</h2>
        {lines.length === 0 ? (
          <p class="muted">Empty. Pick a product or type to search.</p>
        ) : (
          <table class="data register-lines">
            <caption class="visually-hidden">Ticket lines</caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Qty</th>
                <th scope="col">Disc. %</th>
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line, index) => (
                <tr key={line.productId}>
                  <th scope="row">{line.name}</th>
                  <td>
                    <span class="register-qty">
                      <button type="button" class="button secondary" aria-label={`One less ${line.name}`} onClick={() => bump(line.productId, -1)}>
                        −
                      </button>
                      <span>{line.quantity}</span>
                      <button type="button" class="button secondary" aria-label={`One more ${line.name}`} onClick={() => bump(line.productId, 1)}>
                        +
                      </button>
                    </span>
                  </td>
                  <td>
                    <input
                      class="register-discount"
                      aria-label={`Discount percent on ${line.name}`}
                      inputMode="decimal"
                      value={line.discountBp ? String(line.discountBp / 100) : ''}
                      onChange={(event) => {
                        const bp = parsePercent(event.currentTarget.value);
                        if (bp === null) return onError('A discount is a percentage from 0 to 100.');
                        setLines((current) => current.map((candidate) => (candidate.productId === line.productId ? { ...candidate, discountBp: bp } : candidate)));
                        setTenders([]);
                      }}
                    />
                  </td>
                  <td>{money(totals.lines[index]?.totalMinor ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div class="field">
          <label for="ticket-discount">Ticket discount %</label>
          <input id="ticket-discount" inputMode="decimal" value={ticketDiscount} onInput={(event) => setTicketDiscount(event.currentTarget.value)} onChange={() => setTenders([])} />
        </div>
        <dl class="register-totals">
          <dt>Subtotal</dt>
          <dd>{money(totals.subtotalMinor)}</dd>
          <dt>Discount</dt>
          <dd>{money(totals.discountMinor)}</dd>
          <dt>Tax{register.pricesIncludeTax ? ' (included)' : ''}</dt>
          <dd>{money(totals.taxMinor)}</dd>
          <dt>Total</dt>
          <dd id="register-total">{money(totals.totalMinor)}</dd>
          <dt>Still due</dt>
          <dd>{money(remaining)}</dd>
        </dl>
        <h3>Payment</h3>
        {tenders.length > 0 && (
          <ul class="register-tenders" aria-label="Tenders">
            {tenders.map((tender, index) => (
              <li key={index}>
                {TENDER_LABELS[tender.kind]}
                {tender.code ? ` ${tender.code}` : ''}: {money(tender.amountMinor)}{' '}
                <button type="button" class="button secondary" aria-label={`Remove ${TENDER_LABELS[tender.kind]} ${money(tender.amountMinor)}`} onClick={() => setTenders((current) => current.filter((_, at) => at !== index))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        {plan && plan.changeMinor > 0 && <p>Change: {money(plan.changeMinor)}</p>}
        <div class="register-tender-inputs">
          <div class="field">
            <label for="tender-amount">Amount tendered (empty: the amount due)</label>
            <input id="tender-amount" inputMode="decimal" value={tenderAmount} onInput={(event) => setTenderAmount(event.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="voucher-code">Voucher code</label>
            <input id="voucher-code" autocomplete="off" value={voucherCode} onInput={(event) => setVoucherCode(event.currentTarget.value)} />
          </div>
        </div>
        <div class="register-actions">
          {(['cash', 'card', 'voucher'] as const).map((kind, index) => (
            <button key={kind} type="button" class="button secondary register-touch" disabled={busy} aria-keyshortcuts={`F${index + 2}`} onClick={() => void addTender(kind)}>
              {TENDER_LABELS[kind]} (F{index + 2})
            </button>
          ))}
          <button type="button" class="button register-touch" disabled={busy || !plan} aria-keyshortcuts="F9" onClick={() => void complete()}>
            Complete sale (F9)
          </button>
        </div>
        {lastSale && <Receipt sale={lastSale} />}
        {refused.length > 0 && (
          <section aria-labelledby="refused-title" class="register-refused">
            <h3 id="refused-title">Sales the server refused</h3>
            <ul>
              {refused.map((sale) => (
                <li key={sale.id}>
                  {new Date(sale.createdAt).toLocaleTimeString()} · {formatMoney(sale.receipt.totalMinor, sale.receipt.currency)}: {sale.lastError}{' '}
                  <button type="button" class="button secondary" onClick={() => void onRequeue(sale.id)}>
                    Send again
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        <div class="register-actions">
          <button type="button" class="button secondary register-touch" onClick={() => void onSwitchCashier()}>
            Switch cashier
          </button>
          <button type="button" class="button secondary register-touch" onClick={onCloseShift}>
            Close shift
          </button>
        </div>
      </div>
    </div>
  );
}

async function assertVoucherCovers(
  code: string,
  amountMinor: number,
  money: (minor: number) => string,
  voucherBalance: (code: string) => Promise<{ balanceMinor: number; currency: string }>,
): Promise<void> {
  const { balanceMinor } = await voucherBalance(code);
  if (balanceMinor < amountMinor) throw new Error(`Voucher ${code} holds only ${money(balanceMinor)}.`);
}

/** The last sale's receipt: the server's once synced, else a provisional one marked as such. */
function Receipt({ sale }: { sale: RegisterSale }) {
  const { receipt } = sale;
  const money = (minor: number) => formatMoney(minor, receipt.currency);
  if (sale.status === 'synced') {
    return (
      <section class="register-receipt" aria-labelledby="receipt-title">
        <h3 id="receipt-title">Receipt {sale.saleNumber}</h3>
        <p>
          Recorded by the server. <a href={`/pos/receipts/${sale.id}`} target="_blank" rel="noopener">Print receipt</a> ·{' '}
          <a href={`/v1/pos/sales/${sale.id}/receipt.txt?width=32`} target="_blank" rel="noopener">
            Receipt as text (32 columns)
          </a>
        </p>
      </section>
    );
  }
  return (
    <section class="register-receipt provisional" aria-labelledby="receipt-title">
      <h3 id="receipt-title">NOT YET SYNCED — provisional receipt</h3>
      <p class="muted">
        {receipt.registerName} · {receipt.cashierName} · {new Date(receipt.soldAt).toLocaleString()} · ref {sale.id.slice(0, 8)}
      </p>
      <table class="data">
        <caption class="visually-hidden">Receipt lines</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Qty</th>
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {receipt.lines.map((line, index) => (
            <tr key={index}>
              <th scope="row">{line.name}</th>
              <td>{line.quantity}</td>
              <td>{money(line.totalMinor)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Total {money(receipt.totalMinor)} (tax {money(receipt.taxMinor)}){receipt.changeMinor > 0 ? ` · change ${money(receipt.changeMinor)}` : ''}
      </p>
      {sale.lastError && <p class="muted">Last attempt: {sale.lastError}</p>}
      <button type="button" class="button secondary register-touch" onClick={() => window.print()}>
        Print provisional receipt
      </button>
    </section>
  );
}
