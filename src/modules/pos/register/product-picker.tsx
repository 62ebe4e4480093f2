import type { RefObject } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { ProductSummary } from './bootstrap.ts';
import { formatMoney, looksScanned, productWithCode, searchProducts } from './cart.ts';

/** The left of the selling screen: search and scanner input, category tabs, the product grid. */

const ALL = '';
const SWATCHES = ['#1f5f8b', '#2d7d46', '#8a4baf', '#b3541e', '#0f766e', '#9d174d', '#4d5b9e', '#7c6f12'];

/** The same colour for the same category (or name) on every till and every reload. */
function swatchOf(key: string): string {
  let hash = 0;
  for (const character of key) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return SWATCHES[hash % SWATCHES.length] as string;
}

const initialsOf = (name: string) =>
  name
    .split(/\s+/)
    .filter((word) => /^[\p{L}\p{N}]/u.test(word))
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase())
    .join('');

export function ProductPicker({
  products,
  unsellable,
  currency,
  searchRef,
  query,
  onQuery,
  onAdd,
  onError,
}: {
  products: ProductSummary[];
  /** Priced in another currency than this register's: named, so they do not silently go missing. */
  unsellable: ProductSummary[];
  currency: string;
  searchRef: RefObject<HTMLInputElement | null>;
  query: string;
  onQuery: (query: string) => void;
  onAdd: (product: ProductSummary) => void;
  onError: (message: string) => void;
}) {
  const [category, setCategory] = useState(ALL);
  const categories = useMemo(() => [...new Set(products.map((product) => product.category).filter((name): name is string => Boolean(name)))].sort(), [products]);
  const matches = useMemo(() => {
    const found = searchProducts(products, query);
    // A search looks through every category; the tabs narrow the browsing grid only.
    return query.trim() || category === ALL ? found : found.filter((product) => product.category === category);
  }, [products, query, category]);

  // A scanner types the code and Enter: the product with exactly that barcode (or SKU) goes on the ticket.
  const submit = (event: Event) => {
    event.preventDefault();
    const exact = productWithCode(products, query);
    const chosen = exact ?? (looksScanned(query) ? undefined : matches[0]);
    if (chosen) onAdd(chosen);
    else if (query.trim()) onError(looksScanned(query) ? `No product has the barcode ${query.trim()}.` : `No product matches “${query.trim()}”.`);
    onQuery('');
  };

  return (
    <div class="register-products">
      <form role="search" class="register-search" onSubmit={submit}>
        <div class="field">
          <label for="register-search" class="visually-hidden">
            Search products or scan a barcode (Enter adds)
          </label>
          <input
            id="register-search"
            ref={searchRef}
            type="search"
            autocomplete="off"
            placeholder="Search or scan a barcode…"
            aria-keyshortcuts="Escape"
            value={query}
            onInput={(event) => onQuery(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') onQuery('');
            }}
          />
        </div>
      </form>
      {categories.length > 0 && (
        <div class="register-categories" role="group" aria-label="Categories">
          {[ALL, ...categories].map((name) => (
            <button key={name} type="button" class="button secondary" aria-pressed={category === name} onClick={() => setCategory(name)}>
              {name || 'All'}
            </button>
          ))}
        </div>
      )}
      <div class="register-grid-scroll">
        <ul class="register-grid" aria-label="Products">
          {matches.map((product) => (
            <li key={product.id}>
              <button type="button" class="register-product" onClick={() => onAdd(product)}>
                {product.imageUrl ? (
                  <img class="register-product-image" src={product.imageUrl} alt="" loading="lazy" width={160} height={120} />
                ) : (
                  <span class="register-product-swatch" style={{ background: swatchOf(product.category ?? product.name) }} aria-hidden="true">
                    {initialsOf(product.name)}
                  </span>
                )}
                <span class="register-product-name">{product.name}</span>
                <span class="register-product-price">{formatMoney(product.priceMinor, currency)}</span>
              </button>
            </li>
          ))}
        </ul>
        {matches.length === 0 && <p class="muted">No product matches.</p>}
        {unsellable.length > 0 && (
          <p class="muted register-unsellable">
            Not sold at this {currency} register (priced in another currency; a manager changes them under Products): {unsellable.map((product) => `${product.name} (${product.currency})`).join(', ')}.
          </p>
        )}
      </div>
    </div>
  );
}
