import type { ServiceContext } from '../../kernel/context.ts';
import { getProduct, type Product } from '../catalog/index.ts';

/**
 * The products a use case names, read through catalog's public interface before the use case's
 * own transaction opens: catalog's reads run their own transaction, and opening a second one while
 * holding stock row locks could exhaust the pool under contention. A product of another tenant
 * is NOT_FOUND exactly like a missing one (catalog's answer).
 */
export async function productsOf(ctx: ServiceContext, ids: readonly string[]): Promise<Map<string, Product>> {
  const products = new Map<string, Product>();
  for (const id of new Set(ids)) products.set(id, await getProduct(ctx, id));
  return products;
}

export const namesOf = (products: ReadonlyMap<string, Product>) => new Map([...products].map(([id, product]) => [id, `${product.name} (${product.sku})`]));
