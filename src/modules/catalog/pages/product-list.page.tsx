import { formatMoney } from '../../../kernel/money/index.ts';
import { counted, DataTable, FilterBar, Layout, Notice, Pagination, SelectField, TextField, type Chrome } from '../../../web/index.ts';
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

export function ProductListPage({ page, query, notice, showCost }: Props) {
  const { pagination } = page;
  return (
    <Layout title="Products">
      <h1>Products</h1>
      <Notice text={notice} />
      <FilterBar action="/catalog/products" create={{ href: '/catalog/products/new', label: 'New product' }}>
        <TextField name="q" label="Search name or SKU" type="search" value={query.q} />
        <SelectField name="status" label="Status" value={query.status ?? ''} options={STATUS_OPTIONS} />
      </FilterBar>
      <DataTable
        rows={page.data}
        rowKey={(product) => product.id}
        caption={counted(pagination.total, 'product')}
        empty="No products match."
        columns={[
          {
            header: 'Name',
            cell: (product) => (
              <span class="product-name-cell">
                {product.imageUrl && <img src={product.imageUrl} alt="" width={32} height={32} loading="lazy" />}
                <a href={`/catalog/products/${product.id}/edit`}>{product.name}</a>
              </span>
            ),
          },
          { header: 'SKU', cell: (product) => <code>{product.sku}</code> },
          { header: 'Category', cell: (product) => product.category ?? '—' },
          { header: 'Price', num: true, cell: (product) => formatMoney(product.priceMinor, product.currency) },
          showCost && { header: 'Unit cost', num: true, cell: (product) => (product.costMinor == null ? '—' : formatMoney(product.costMinor, product.currency)) },
          { header: 'Status', cell: (product) => <span class="badge">{product.archivedAt ? 'Archived' : product.active ? 'Active' : 'Inactive'}</span> },
        ]}
      />
      <Pagination page={pagination.page} totalPages={pagination.totalPages} path="/catalog/products" params={{ pageSize: String(query.pageSize), q: query.q, status: query.status }} />
    </Layout>
  );
}
