import { CsrfField, FormErrorSummary, Layout, PostButton, TextField, CheckboxField, type FieldErrors, type Chrome } from '../../../web/index.ts';
import { PRODUCT_BARCODE_MAX, PRODUCT_CATEGORY_MAX, PRODUCT_NAME_MAX, PRODUCT_SKU_MAX } from '../domain/product.ts';

/** What the person typed, kept as text so a rejected form comes back exactly as sent. */
export interface ProductFormValues {
  name: string;
  sku: string;
  /** Empty: none. */
  barcode: string;
  /** Empty: none. */
  category: string;
  price: string;
  currency: string;
  /** Unit cost as typed; empty when unknown. */
  cost: string;
  active: boolean;
}

/** How the cost field shows for this actor (field rule catalog.product_cost.*). */
export type CostAccess = 'hidden' | 'read' | 'write';

interface Props {
  mode: { kind: 'create' } | { kind: 'edit'; id: string; archived: boolean };
  values: ProductFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  cost: CostAccess;
  chrome: Chrome;
}

export function ProductFormPage({ mode, values, errors, formError, cost, chrome }: Props) {
  const title = mode.kind === 'create' ? 'New product' : `Edit ${values.name || 'product'}`;
  const action = mode.kind === 'create' ? '/catalog/products' : `/catalog/products/${mode.id}`;
  return (
    <Layout title={title}>
      <p>
        <a href="/catalog/products">← Products</a>
      </p>
      <h1>{title}</h1>
      <FormErrorSummary errors={errors} formError={formError} />
      <form method="post" action={action} novalidate>
        <CsrfField token={chrome.csrfToken} />
        <TextField name="name" label="Name" value={values.name} error={errors.name} required maxLength={PRODUCT_NAME_MAX} autoFocus />
        <TextField
          name="sku"
          label="SKU"
          value={values.sku}
          error={errors.sku}
          required
          maxLength={PRODUCT_SKU_MAX}
          hint="Your stock code: letters, digits and . _ - /"
        />
        <TextField
          name="barcode"
          label="Barcode"
          value={values.barcode}
          error={errors.barcode}
          maxLength={PRODUCT_BARCODE_MAX}
          inputMode="numeric"
          hint="What the till's scanner reads (EAN/UPC); leave empty if none"
        />
        <TextField name="category" label="Category" value={values.category} error={errors.category} maxLength={PRODUCT_CATEGORY_MAX} hint="Groups the till's product grid, e.g. Hand tools" />
        <TextField name="price" label="Price" value={values.price} error={errors.price} required inputMode="decimal" hint="e.g. 4.50" />
        <TextField name="currency" label="Currency" value={values.currency} error={errors.currency} required maxLength={3} hint="ISO code, e.g. EUR; every product of a business is priced in one currency" />
        {cost === 'write' && (
          <TextField name="cost" label="Unit cost" value={values.cost} error={errors.cost} inputMode="decimal" hint="What one unit costs you; leave empty if unknown" />
        )}
        {cost === 'read' && (
          <p>
            Unit cost: <strong>{values.cost || 'not set'}</strong>
          </p>
        )}
        <CheckboxField name="active" label="Active (can be sold)" checked={values.active} />
        <button class="button" type="submit">
          {mode.kind === 'create' ? 'Create product' : 'Save changes'}
        </button>
      </form>
      {mode.kind === 'edit' && (
        <PostButton
          action={`/catalog/products/${mode.id}/${mode.archived ? 'restore' : 'archive'}`}
          csrfToken={chrome.csrfToken}
          label={mode.archived ? 'Restore product' : 'Archive product'}
          secondary
        />
      )}
    </Layout>
  );
}
