import { CsrfField, FormErrorSummary, ErrorAlert, Layout, Notice, PostButton, SelectField, TextField, When, type Chrome, type FieldErrors } from '../../../web/index.ts';
import type { Transfer } from '../domain/inventory.ts';
import type { Option } from './stock.page.tsx';

const STATUS_LABELS: Record<string, string> = { draft: 'Draft', in_transit: 'In transit', received: 'Received', cancelled: 'Cancelled' };

export interface TransferFormValues {
  fromLocationId: string;
  toLocationId: string;
  productId: string;
  quantity: string;
  note: string;
}

interface ListProps {
  transfers: Omit<Transfer, 'lines'>[];
  locations: Option[];
  products: Option[];
  locationNames: ReadonlyMap<string, string>;
  values: TransferFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  notice?: string | undefined;
  chrome: Chrome;
}

export function TransferListPage({ transfers, locations, products, locationNames, values, errors, formError, notice, chrome }: ListProps) {
  return (
    <Layout title="Transfers">
      <h1>Transfers</h1>
      <Notice text={notice} />
      {transfers.length === 0 ? (
        <p class="muted">No transfers yet.</p>
      ) : (
        <table class="data">
          <caption class="muted">Transfers, newest first</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">To</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {transfers.map((transfer) => (
              <tr key={transfer.id}>
                <td>
                  <a href={`/inventory/transfers/${transfer.id}`}>{locationNames.get(transfer.fromLocationId) ?? transfer.fromLocationId}</a>
                </td>
                <td>{locationNames.get(transfer.toLocationId) ?? transfer.toLocationId}</td>
                <td>
                  <When at={transfer.createdAt} />
                </td>
                <td>{STATUS_LABELS[transfer.status] ?? transfer.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="new-transfer">
        <h2 id="new-transfer">New transfer</h2>
        <FormErrorSummary errors={errors} formError={formError} />
        <form method="post" action="/inventory/transfers" novalidate>
          <CsrfField token={chrome.csrfToken} />
          <SelectField name="fromLocationId" label="From" value={values.fromLocationId} options={locations} error={errors.fromLocationId} />
          <SelectField name="toLocationId" label="To" value={values.toLocationId} options={locations} error={errors.toLocationId} />
          <SelectField name="productId" label="Product" value={values.productId} options={products} error={errors.productId} />
          <TextField name="quantity" label="Quantity" value={values.quantity} error={errors.quantity} required inputMode="numeric" hint="Whole units" />
          <TextField name="note" label="Note" value={values.note} error={errors.note} />
          <button class="button" type="submit">
            Create draft transfer
          </button>
        </form>
      </section>
    </Layout>
  );
}

interface DetailProps {
  transfer: Transfer;
  locationNames: ReadonlyMap<string, string>;
  productNames: ReadonlyMap<string, string>;
  notice?: string | undefined;
  formError?: string | undefined;
  chrome: Chrome;
}

export function TransferDetailPage({ transfer, locationNames, productNames, notice, formError, chrome }: DetailProps) {
  const from = locationNames.get(transfer.fromLocationId) ?? transfer.fromLocationId;
  const to = locationNames.get(transfer.toLocationId) ?? transfer.toLocationId;
  const title = `Transfer from ${from} to ${to}`;
  const receiving = transfer.status === 'in_transit';
  return (
    <Layout title={title}>
      <p>
        <a href="/inventory/transfers">← Transfers</a>
      </p>
      <h1>{title}</h1>
      <p>
        Status: <strong>{STATUS_LABELS[transfer.status] ?? transfer.status}</strong>
        {transfer.note ? `. ${transfer.note}` : ''}
      </p>
      <Notice text={notice} />
      <ErrorAlert text={formError} />
      <form method="post" action={`/inventory/transfers/${transfer.id}/receive`}>
        <CsrfField token={chrome.csrfToken} />
        <table class="data">
          <caption class="muted">Lines</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">
                Sent
              </th>
              <th scope="col" class="num">
                Received
              </th>
              <th scope="col" class="num">
                Discrepancy
              </th>
            </tr>
          </thead>
          <tbody>
            {transfer.lines.map((line) => {
              const name = productNames.get(line.productId) ?? line.productId;
              return (
                <tr key={line.productId}>
                  <td>{name}</td>
                  <td class="num">{line.quantity}</td>
                  <td class="num">
                    {receiving ? (
                      <input name={`received.${line.productId}`} inputMode="numeric" aria-label={`Received ${name}`} value={String(line.quantity)} />
                    ) : (
                      (line.receivedQuantity ?? '—')
                    )}
                  </td>
                  <td class="num">{line.discrepancy ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {receiving && (
          <button class="button" type="submit">
            Receive at {to}
          </button>
        )}
      </form>
      <div class="actions">
        {transfer.status === 'draft' && <PostButton action={`/inventory/transfers/${transfer.id}/send`} csrfToken={chrome.csrfToken} label={`Send from ${from}`} />}
        {(transfer.status === 'draft' || transfer.status === 'in_transit') && (
          <PostButton action={`/inventory/transfers/${transfer.id}/cancel`} csrfToken={chrome.csrfToken} label="Cancel transfer" secondary />
        )}
      </div>
    </Layout>
  );
}
