import { formatMoney } from '../../../kernel/money/index.ts';
import { CsrfField, ErrorAlert, Layout, Notice, PostButton, SelectField, TextField, When, type Chrome } from '../../../web/index.ts';
import type { StockCount } from '../domain/inventory.ts';
import type { Option } from './stock.page.tsx';

const STATUS_LABELS: Record<string, string> = { open: 'Open', posted: 'Posted', cancelled: 'Cancelled' };

interface ListProps {
  counts: Omit<StockCount, 'lines'>[];
  locations: Option[];
  locationNames: ReadonlyMap<string, string>;
  notice?: string | undefined;
  formError?: string | undefined;
  chrome: Chrome;
}

export function CountListPage({ counts, locations, locationNames, notice, formError, chrome }: ListProps) {
  return (
    <Layout title="Stock counts">
      <h1>Stock counts</h1>
      <Notice text={notice} />
      <ErrorAlert text={formError} />
      <section aria-labelledby="start-count">
        <h2 id="start-count">Start a count</h2>
        <form method="post" action="/inventory/counts">
          <CsrfField token={chrome.csrfToken} />
          <SelectField name="locationId" label="Location" options={locations} />
          <button class="button" type="submit">
            Start count
          </button>
        </form>
      </section>
      {counts.length === 0 ? (
        <p class="muted">No counts yet.</p>
      ) : (
        <table class="data">
          <caption class="muted">Counts, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Location</th>
              <th scope="col">Started</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {counts.map((count) => (
              <tr key={count.id}>
                <td>
                  <a href={`/inventory/counts/${count.id}`}>{locationNames.get(count.locationId) ?? count.locationId}</a>
                </td>
                <td>
                  <When at={count.startedAt} />
                </td>
                <td>{STATUS_LABELS[count.status] ?? count.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

interface DetailProps {
  count: StockCount;
  locationName: string;
  productNames: ReadonlyMap<string, string>;
  /** Products that may be added to the count (not yet on it). */
  products: Option[];
  notice?: string | undefined;
  formError?: string | undefined;
  chrome: Chrome;
}

export function CountDetailPage({ count, locationName, productNames, products, notice, formError, chrome }: DetailProps) {
  const title = `Stock count of ${locationName}`;
  const open = count.status === 'open';
  const showValue = count.lines.some((line) => line.varianceValueMinor != null);
  return (
    <Layout title={title}>
      <p>
        <a href="/inventory/counts">← Stock counts</a>
      </p>
      <h1>{title}</h1>
      <p>
        Status: <strong>{STATUS_LABELS[count.status] ?? count.status}</strong>. Started <When at={count.startedAt} />.
      </p>
      <Notice text={notice} />
      <ErrorAlert text={formError} />
      <form method="post" action={`/inventory/counts/${count.id}/lines`}>
        <CsrfField token={chrome.csrfToken} />
        <table class="data">
          <caption class="muted">Expected is on hand when the count started; posting corrects stock by counted minus on hand when each figure was entered.</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">
                Expected
              </th>
              <th scope="col" class="num">
                Counted
              </th>
              <th scope="col" class="num">
                Variance
              </th>
              <th scope="col" class="num">
                Correction on posting
              </th>
              {showValue && (
                <th scope="col" class="num">
                  Variance at cost
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {count.lines.map((line) => {
              const name = productNames.get(line.productId) ?? line.productId;
              return (
                <tr key={line.productId}>
                  <td>{name}</td>
                  <td class="num">{line.expected}</td>
                  <td class="num">
                    {open ? (
                      <input
                          id={`counted-${line.productId}`}
                          name={`counted.${line.productId}`}
                          inputMode="numeric"
                          aria-label={`Counted ${name}`}
                          value={line.counted === null ? '' : String(line.counted)}
                        />
                    ) : (
                      (line.counted ?? '—')
                    )}
                  </td>
                  <td class="num">{line.variance ?? '—'}</td>
                  <td class="num">{line.correction ?? '—'}</td>
                  {showValue && <td class="num">{line.varianceValueMinor != null && line.currency ? formatMoney(line.varianceValueMinor, line.currency) : '—'}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
        {open && (
          <>
            {products.length > 0 && (
              <fieldset>
                <legend>Add a product not on the list</legend>
                <SelectField name="addProductId" label="Product" options={[{ value: '', label: '—' }, ...products]} />
                <TextField name="addCounted" label="Counted" inputMode="numeric" />
              </fieldset>
            )}
            <button class="button" type="submit">
              Save counted quantities
            </button>
          </>
        )}
      </form>
      {open && (
        <div class="actions">
          <PostButton action={`/inventory/counts/${count.id}/post`} csrfToken={chrome.csrfToken} label="Post count (correct stock)" />
          <PostButton action={`/inventory/counts/${count.id}/cancel`} csrfToken={chrome.csrfToken} label="Cancel count" secondary />
        </div>
      )}
    </Layout>
  );
}
