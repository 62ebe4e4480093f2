import { Layout, type Chrome } from '../../../web/index.ts';
import { localTime, money, type ReceiptContext } from '../domain/receipt.ts';
import type { Sale } from '../domain/schemas.ts';

/** Receipt-sized on screen; on paper only the receipt is printed (no navigation), in black. */
const PRINT_CSS = `
.receipt { max-width: 22rem; margin: 0 auto; font-family: ui-monospace, monospace; font-size: 0.9rem; }
.receipt table { width: 100%; border-collapse: collapse; }
.receipt td.amount { text-align: right; white-space: nowrap; }
.receipt .muted { color: #555; }
.receipt .marker { text-align: center; font-weight: bold; letter-spacing: 0.1em; }
.receipt hr { border: 0; border-top: 1px dashed #000; }
@media print {
  header, nav, footer, .page-banners, .no-print { display: none !important; }
  body { margin: 0; background: #fff; color: #000; }
  .receipt { max-width: none; width: 72mm; font-size: 9pt; }
}`;

export function ReceiptPage({ sale, context }: { sale: Sale; context: ReceiptContext; chrome: Chrome }) {
  const c = sale.currency;
  return (
    <Layout title={`Receipt ${sale.saleNumber}`}>
      <style>{PRINT_CSS}</style>
      <article class="receipt" aria-label={`Receipt ${sale.saleNumber}`}>
        {context.reprint && <p class="marker">REPRINT</p>}
        {sale.status === 'voided' && <p class="marker">VOIDED</p>}
        <h1>{context.businessName}</h1>
        <p>
          {context.locationName}
          <br />
          {context.registerName}
          <br />
          <time dateTime={sale.soldAt}>{localTime(sale.soldAt, context.timeZone)}</time>
          <br />
          Sale {sale.saleNumber}
        </p>
        <hr />
        <table>
          <tbody>
            {sale.lines.map((line) => (
              <>
                <tr key={`l${line.lineNo}`}>
                  <td>
                    {line.voided ? <s>{`${line.quantity} × ${line.name}`}</s> : `${line.quantity} × ${line.name}`}
                    {line.voided && <span class="muted"> (void: {line.voidReason})</span>}
                  </td>
                  <td class="amount">{line.voided ? '' : money(line.grossMinor, c)}</td>
                </tr>
                {line.modifiers.map((modifier) => (
                  <tr key={`m${line.lineNo}${modifier.name}`} class="muted">
                    <td>+ {modifier.name}</td>
                    <td class="amount">{money(modifier.priceDeltaMinor, c)}</td>
                  </tr>
                ))}
                {line.lineDiscountMinor !== 0 && (
                  <tr class="muted">
                    <td>Discount</td>
                    <td class="amount">{money(-line.lineDiscountMinor, c)}</td>
                  </tr>
                )}
              </>
            ))}
          </tbody>
        </table>
        <hr />
        <table>
          <tbody>
            <tr>
              <td>Subtotal</td>
              <td class="amount">{money(sale.subtotalMinor, c)}</td>
            </tr>
            {sale.discountMinor !== 0 && (
              <tr>
                <td>Discounts</td>
                <td class="amount">{money(-sale.discountMinor, c)}</td>
              </tr>
            )}
            {sale.taxes.map((tax) => (
              <tr key={tax.code} class="muted">
                <td>
                  {sale.pricesIncludeTax ? 'incl. ' : ''}
                  {tax.code} {(tax.rateBp / 100).toFixed(2)}%
                </td>
                <td class="amount">{money(tax.taxMinor, c)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Total {c}</th>
              <td class="amount">
                <strong>{money(sale.totalMinor, c)}</strong>
              </td>
            </tr>
            {sale.tipMinor !== 0 && (
              <tr>
                <td>Tip</td>
                <td class="amount">{money(sale.tipMinor, c)}</td>
              </tr>
            )}
            {sale.tenders.map((tender) => (
              <tr key={`t${tender.seq}`}>
                <td>{tender.kind === 'cash' ? 'Cash' : tender.kind === 'card' ? 'Card' : 'Voucher'}</td>
                <td class="amount">{money(tender.tenderedMinor, c)}</td>
              </tr>
            ))}
            <tr>
              <td>Change</td>
              <td class="amount">{money(sale.changeMinor, c)}</td>
            </tr>
          </tbody>
        </table>
        {context.reprint && <p class="marker">REPRINT</p>}
        <p class="no-print muted">Print this page for a paper copy (only the receipt is printed).</p>
      </article>
    </Layout>
  );
}
