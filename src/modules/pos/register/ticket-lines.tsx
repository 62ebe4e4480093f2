import type { TicketTotals } from '../domain/totals.ts';
import { parsePercent, type CartLine } from './cart.ts';

/** The ticket's lines: quantity steppers and a line discount; the table keeps to its panel's width. */
export function TicketLines({
  lines,
  totals,
  money,
  onBump,
  onDiscount,
  onError,
}: {
  lines: CartLine[];
  totals: TicketTotals;
  money: (minor: number) => string;
  onBump: (productId: string, delta: number) => void;
  onDiscount: (productId: string, discountBp: number) => void;
  onError: (message: string) => void;
}) {
  return (
    <table class="data register-lines">
      <caption class="visually-hidden">Ticket lines</caption>
      <colgroup>
        <col />
        <col class="col-qty" />
        <col class="col-disc" />
        <col class="col-total" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Qty</th>
          <th scope="col">
            <abbr title="Discount percent">Disc.</abbr>
          </th>
          <th scope="col" class="col-total">
            Total
          </th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line, index) => (
          <tr key={line.productId}>
            <th scope="row">{line.name}</th>
            <td>
              <span class="register-qty">
                <button type="button" class="button secondary" aria-label={`One less ${line.name}`} onClick={() => onBump(line.productId, -1)}>
                  −
                </button>
                <span>{line.quantity}</span>
                <button type="button" class="button secondary" aria-label={`One more ${line.name}`} onClick={() => onBump(line.productId, 1)}>
                  +
                </button>
              </span>
            </td>
            <td>
              <input
                class="register-discount"
                aria-label={`Discount percent on ${line.name}`}
                inputMode="decimal"
                placeholder="%"
                value={line.discountBp ? String(line.discountBp / 100) : ''}
                onChange={(event) => {
                  const bp = parsePercent(event.currentTarget.value);
                  if (bp === null) return onError('A discount is a percentage from 0 to 100.');
                  onDiscount(line.productId, bp);
                }}
              />
            </td>
            <td>{money(totals.lines[index]?.totalMinor ?? 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
