import { CheckboxField, CsrfField, FormErrorSummary, Layout, Notice, SelectField, TextField, When, type Chrome, type FieldErrors } from '../../../web/index.ts';
import type { ActorNamer } from '../../../kernel/identity/index.ts';
import type { Movement, StockItem } from '../domain/inventory.ts';

export interface Option {
  value: string;
  label: string;
}

const MOVEMENT_LABELS: Record<string, string> = {
  sale: 'Sale',
  refund: 'Refund',
  receipt: 'Receipt',
  adjustment: 'Adjustment',
  transfer_out: 'Transfer out',
  transfer_in: 'Transfer in',
  count_correction: 'Count correction',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A till's record (`pos.sale:<id>`, `pos.refund:<id>`): named by what it is, as inventory cannot read the till's tables. */
const TILL_RECORD = /^pos\.([a-z_]+):[0-9a-f-]{36}$/i;

/** A movement's reference in words: its transfer or count as a link, another module's record by kind, else as typed. */
function MovementReference({ movement }: { movement: Movement }) {
  const reference = movement.reference;
  if (!reference) return <>—</>;
  if (UUID.test(reference) && movement.kind.startsWith('transfer_')) return <a href={`/inventory/transfers/${reference}`}>Transfer</a>;
  if (UUID.test(reference) && movement.kind === 'count_correction') return <a href={`/inventory/counts/${reference}`}>Stock count</a>;
  const till = TILL_RECORD.exec(reference);
  if (till?.[1]) return <>{`Till ${till[1].replace(/_/g, ' ')}`}</>;
  return <>{reference}</>;
}

const signed = (quantity: number) => (quantity > 0 ? `+${quantity}` : String(quantity));

interface OverviewProps {
  locations: Option[];
  locationId: string | undefined;
  items: StockItem[];
  productNames: ReadonlyMap<string, string>;
  notice?: string | undefined;
  chrome: Chrome;
}

export function StockOverviewPage({ locations, locationId, items, productNames, notice }: OverviewProps) {
  return (
    <Layout title="Stock">
      <h1>Stock</h1>
      <Notice text={notice} />
      <p>
        <a href="/inventory/receive">Receive goods</a> · <a href="/inventory/adjust">Adjust stock</a> · <a href="/inventory/settings">Settings</a>
      </p>
      {locations.length === 0 ? (
        <p class="muted">
          No locations yet: <a href="/locations">add a location</a> first.
        </p>
      ) : (
        <form class="toolbar" method="get" action="/inventory">
          <SelectField name="locationId" label="Location" value={locationId} options={locations} />
          <div class="field">
            <button class="button secondary" type="submit">
              Show
            </button>
          </div>
        </form>
      )}
      {locationId && items.length === 0 && <p class="muted">No stock recorded at this location.</p>}
      {items.length > 0 && (
        <table class="data">
          <caption class="muted">Stock at {locations.find((location) => location.value === locationId)?.label}</caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">
                On hand
              </th>
              <th scope="col" class="num">
                In transit
              </th>
              <th scope="col" class="num">
                Reorder point
              </th>
              <th scope="col">Status</th>
              <th scope="col">History</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.productId}>
                <td>{productNames.get(item.productId) ?? item.productId}</td>
                <td class="num">{item.onHand}</td>
                <td class="num">{item.inTransit}</td>
                <td class="num">{item.reorderPoint ?? '—'}</td>
                <td>{item.low ? <strong class="badge">Low stock</strong> : <span class="badge">OK</span>}</td>
                <td>
                  <a
                    href={`/inventory/locations/${item.locationId}/products/${item.productId}/history`}
                    aria-label={`History of ${productNames.get(item.productId) ?? item.productId}`}
                  >
                    History
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** The reorder form as typed: blank fields mean "none". */
export interface ReorderFormValues {
  reorderPoint: string;
  reorderQuantity: string;
}

interface HistoryProps {
  locationName: string;
  productName: string;
  locationId: string;
  productId: string;
  movements: Movement[];
  nameOf: ActorNamer;
  /** Shown when the actor may set reorder points. */
  reorder?: { values: ReorderFormValues; errors: FieldErrors } | undefined;
  notice?: string | undefined;
  chrome: Chrome;
}

export function StockHistoryPage({ locationName, productName, locationId, productId, movements, nameOf, reorder, notice, chrome }: HistoryProps) {
  const title = `${productName} at ${locationName}`;
  return (
    <Layout title={title}>
      <p>
        <a href={`/inventory?locationId=${locationId}`}>← Stock</a>
      </p>
      <h1>{title}</h1>
      <Notice text={notice} />
      {reorder && (
        <section aria-labelledby="reorder">
          <h2 id="reorder">Reorder point</h2>
          <FormErrorSummary errors={reorder.errors} />
          <form method="post" action={`/inventory/locations/${locationId}/products/${productId}/reorder`} novalidate>
            <CsrfField token={chrome.csrfToken} />
            <TextField
              name="reorderPoint"
              label="Reorder point"
              value={reorder.values.reorderPoint}
              error={reorder.errors.reorderPoint}
              inputMode="numeric"
              hint="Alert when on hand falls to this or below; leave empty for no alerts"
            />
            <TextField name="reorderQuantity" label="Reorder quantity" value={reorder.values.reorderQuantity} error={reorder.errors.reorderQuantity} inputMode="numeric" hint="Suggested quantity to order; optional" />
            <button class="button" type="submit">
              Save reorder point
            </button>
          </form>
        </section>
      )}
      <h2>History</h2>
      {movements.length === 0 ? (
        <p class="muted">No movements yet.</p>
      ) : (
        <table class="data">
          <caption class="muted">Stock history, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Kind</th>
              <th scope="col" class="num">
                Change
              </th>
              <th scope="col">Reason</th>
              <th scope="col">Reference</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {movements.map((movement) => (
              <tr key={movement.id}>
                <td>
                  <When at={movement.occurredAt} />
                </td>
                <td>{MOVEMENT_LABELS[movement.kind] ?? movement.kind}</td>
                <td class="num">{signed(movement.quantity)}</td>
                <td>{movement.reason ?? '—'}</td>
                <td>
                  <MovementReference movement={movement} />
                </td>
                <td>{nameOf(movement.actor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** What the person typed into the receive or adjust form, kept as text for a rejected form. */
export interface MovementFormValues {
  locationId: string;
  productId: string;
  quantity: string;
  reference: string;
  note: string;
}

interface MovementFormProps {
  mode: 'receive' | 'adjust';
  locations: Option[];
  products: Option[];
  values: MovementFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  chrome: Chrome;
}

export function MovementFormPage({ mode, locations, products, values, errors, formError, chrome }: MovementFormProps) {
  const title = mode === 'receive' ? 'Receive goods' : 'Adjust stock';
  return (
    <Layout title={title}>
      <p>
        <a href="/inventory">← Stock</a>
      </p>
      <h1>{title}</h1>
      <FormErrorSummary errors={errors} formError={formError} />
      <form method="post" action={`/inventory/${mode}`} novalidate>
        <CsrfField token={chrome.csrfToken} />
        <SelectField name="locationId" label="Location" value={values.locationId} options={locations} error={errors.locationId} />
        <SelectField name="productId" label="Product" value={values.productId} options={products} error={errors.productId} />
        {mode === 'receive' ? (
          <>
            <TextField name="quantity" label="Quantity received" value={values.quantity} error={errors.quantity} required inputMode="numeric" hint="Whole units" />
            <TextField name="reference" label="Delivery reference" value={values.reference} error={errors.reference} hint="e.g. the supplier's delivery note" />
            <TextField name="note" label="Note" value={values.note} error={errors.note} />
          </>
        ) : (
          <>
            <TextField name="quantity" label="Change" value={values.quantity} error={errors.quantity} required inputMode="numeric" hint="Whole units; negative to remove, e.g. -2" />
            <TextField name="note" label="Reason" value={values.note} error={errors.note} required hint="e.g. damaged, found in back room" />
          </>
        )}
        <button class="button" type="submit">
          {title}
        </button>
      </form>
    </Layout>
  );
}

interface SettingsProps {
  allowNegativeStock: boolean;
  notice?: string | undefined;
  chrome: Chrome;
}

export function InventorySettingsPage({ allowNegativeStock, notice, chrome }: SettingsProps) {
  return (
    <Layout title="Inventory settings">
      <p>
        <a href="/inventory">← Stock</a>
      </p>
      <h1>Inventory settings</h1>
      <Notice text={notice} />
      <form method="post" action="/inventory/settings">
        <CsrfField token={chrome.csrfToken} />
        <CheckboxField name="allowNegativeStock" label="Allow negative stock (sell what the system thinks is not there)" checked={allowNegativeStock} />
        <button class="button" type="submit">
          Save settings
        </button>
      </form>
    </Layout>
  );
}
