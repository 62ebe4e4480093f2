import { formatMoney } from '../../../kernel/money/index.ts';
import { Layout, TextField, SelectField, type Chrome } from '../../../web/index.ts';
import type { Page, Product, ProductListQuery } from '../domain/product.ts';

interface Props {
  page: Page<Product>;
  query: ProductListQuery;
  notice?: string | undefined;
  /** The actor may see unit costs (the handler has already removed them otherwise). */
  showCost: boolean;
  chrome: Chrome;
}

const STATUS_OPTIONS = [
  { value: '', label: 'Not archived' },
  { value: 'active', label: 'Active' },
  { value: 'inactive', label: 'Inactive' },
  { value: 'archived', label: 'Archived' },
];

function pageHref(query: ProductListQuery, page: number): string {
  const params = new URLSearchParams({ page: String(page), pageSize: String(query.pageSize) });
  if (query.q) params.set('q', query.q);
  if (query.status) params.set('status', query.status);
  return `/catalog/products?${params.toString()}`;
}

export function ProductListPage({ page, query, notice, showCost, chrome }: Props) {
  const { pagination } = page;
  return (
    <Layout title="Products" nav={chrome.nav} tenantName={chrome.tenantName} signedIn={chrome.signedIn} csrfToken={chrome.csrfToken}>
      <h1>Products</h1>
      {notice && (
        <p class="alert success" role="status">
          {notice}
        </p>
      )}
      <form class="toolbar" method="get" action="/catalog/products" role="search">
        <TextField name="q" label="Search name or SKU" type="search" value={query.q} />
        <SelectField name="status" label="Status" value={query.status ?? ''} options={STATUS_OPTIONS} />
        <div class="field">
          <button class="button secondary" type="submit">
            Filter
          </button>
        </div>
        <div class="field">
          <a class="button" href="/catalog/products/new">
            New product
          </a>
        </div>
      </form>
      {page.data.length === 0 ? (
        <p class="muted">No products match.</p>
      ) : (
        <table class="data">
          <caption class="muted">
            {pagination.total} product{pagination.total === 1 ? '' : 's'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">SKU</th>
              <th scope="col" class="num">
                Price
              </th>
              {showCost && (
                <th scope="col" class="num">
                  Unit cost
                </th>
              )}
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {page.data.map((product) => (
              <tr key={product.id}>
                <td>
                  <a href={`/catalog/products/${product.id}/edit`}>{product.name}</a>
                </td>
                <td>
                  <code>{product.sku}</code>
                </td>
                <td class="num">{formatMoney(product.priceMinor, product.currency)}</td>
                {showCost && <td class="num">{product.costMinor == null ? '—' : formatMoney(product.costMinor, product.currency)}</td>}
                <td>
                  <span class="badge">{product.archivedAt ? 'Archived' : product.active ? 'Active' : 'Inactive'}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pagination.totalPages > 1 && (
        <nav class="pagination" aria-label="Pages">
          {pagination.page > 1 && <a href={pageHref(query, pagination.page - 1)}>Previous</a>}
          <span>
            Page {pagination.page} of {pagination.totalPages}
          </span>
          {pagination.page < pagination.totalPages && <a href={pageHref(query, pagination.page + 1)}>Next</a>}
        </nav>
      )}
    </Layout>
  );
}
