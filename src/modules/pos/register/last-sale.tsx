import { formatMoney } from './cart.ts';
import type { RegisterSale } from './till.ts';

/** What the ticket shows between sales: the last sale's receipt, and sales the server refused. */

/** The last sale's receipt: the server's once synced, else a provisional one marked as such. */
export function Receipt({ sale }: { sale: RegisterSale }) {
  const { receipt } = sale;
  const money = (minor: number) => formatMoney(minor, receipt.currency);
  if (sale.status === 'synced') {
    return (
      <section class="register-receipt" aria-labelledby="receipt-title">
        <h3 id="receipt-title">Receipt {sale.saleNumber}</h3>
        <p>
          {formatMoney(receipt.totalMinor, receipt.currency)}
          {receipt.changeMinor > 0 ? ` · change ${money(receipt.changeMinor)}` : ''} · recorded by the server.
        </p>
        <p class="register-receipt-actions">
          <a class="button secondary" href={`/pos/receipts/${sale.id}`} target="_blank" rel="noopener">
            Print receipt
          </a>
          <a class="button secondary" href={`/v1/pos/sales/${sale.id}/receipt.txt?width=32`} target="_blank" rel="noopener">
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

export function RefusedSales({ sales, onRequeue }: { sales: RegisterSale[]; onRequeue: (id: string) => Promise<void> }) {
  if (sales.length === 0) return null;
  return (
    <section aria-labelledby="refused-title" class="register-refused">
      <h3 id="refused-title">Sales the server refused</h3>
      <ul>
        {sales.map((sale) => (
          <li key={sale.id}>
            {new Date(sale.createdAt).toLocaleTimeString()} · {formatMoney(sale.receipt.totalMinor, sale.receipt.currency)}: {sale.lastError}{' '}
            <button type="button" class="button secondary" onClick={() => void onRequeue(sale.id)}>
              Send again
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
