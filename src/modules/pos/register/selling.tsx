import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ProductSummary, RegisterSummary, StaffMember } from './bootstrap.ts';
import {
  addProduct,
  changeQuantity,
  formatMoney,
  parseMoney,
  parsePercent,
  remainingDue,
  saleBody,
  settle,
  ticketTotals,
  type CartLine,
  type ProvisionalReceipt,
  type SaleBody,
  type TenderKind,
  type TenderRow,
} from './cart.ts';
import { Receipt, RefusedSales } from './last-sale.tsx';
import { useAction } from './panels.tsx';
import { Payment, TENDER_KEYS, TENDER_LABELS } from './payment.tsx';
import { ProductPicker } from './product-picker.tsx';
import { TicketLines } from './ticket-lines.tsx';
import type { RegisterSale } from './till.ts';

/**
 * The selling screen: the ticket's state and the till's keys. Products (or the till tool the bar
 * opened) on the left, the ticket with its always-visible pay buttons on the right.
 */

export function Selling({
  register,
  shiftId,
  cashier,
  products,
  sales,
  lastSaleId,
  onComplete,
  onRequeue,
  onError,
  voucherBalance,
  tool,
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
  onError: (message: string) => void;
  /** A voucher's balance by code (asks the server as the cashier); throws when there is none. */
  voucherBalance: (code: string) => Promise<{ balanceMinor: number; currency: string }>;
  /** A till tool (sales and refunds, cash in/out, X report) shown in place of the products. */
  tool: ComponentChildren | null;
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
  const clearTicket = () => {
    setLines([]);
    setTenders([]);
    setTicketDiscount('');
    searchRef.current?.focus();
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
      {tool ?? (
        <ProductPicker
          products={products.filter((product) => product.currency === currency)}
          unsellable={products.filter((product) => product.currency !== currency)}
          currency={currency}
          searchRef={searchRef}
          query={query}
          onQuery={setQuery}
          onAdd={add}
          onError={onError}
        />
      )}
      <section class="register-ticket" aria-labelledby="ticket-title">
        <div class="register-ticket-head">
          <h2 id="ticket-title">Ticket</h2>
          {lines.length > 0 && (
            <button type="button" class="button secondary" onClick={clearTicket}>
              Clear ticket
            </button>
          )}
        </div>
        <div class="register-ticket-body">
          {lines.length === 0 ? (
            <>
              <p class="muted">Empty. Tap a product, type to search or scan a barcode.</p>
              {lastSale && <Receipt sale={lastSale} />}
              <RefusedSales sales={refused} onRequeue={onRequeue} />
            </>
          ) : (
            <TicketLines
              lines={lines}
              totals={totals}
              money={money}
              onBump={bump}
              onDiscount={(productId, discountBp) => {
                setLines((current) => current.map((candidate) => (candidate.productId === productId ? { ...candidate, discountBp } : candidate)));
                setTenders([]);
              }}
              onError={onError}
            />
          )}
        </div>
        <Payment
          totals={totals}
          pricesIncludeTax={register.pricesIncludeTax}
          remaining={remaining}
          plan={plan}
          tenders={tenders}
          money={money}
          busy={busy}
          ticketDiscount={ticketDiscount}
          tenderAmount={tenderAmount}
          voucherCode={voucherCode}
          onTicketDiscount={(text, committed) => {
            setTicketDiscount(text);
            if (committed) setTenders([]);
          }}
          onTenderAmount={setTenderAmount}
          onVoucherCode={setVoucherCode}
          onTender={(kind) => void addTender(kind)}
          onRemoveTender={(index) => setTenders((current) => current.filter((_, at) => at !== index))}
          onComplete={() => void complete()}
        />
      </section>
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
