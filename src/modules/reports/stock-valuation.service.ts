import type { ServiceContext } from '../../kernel/context.ts';
import { listProducts, type Product } from '../catalog/index.ts';
import { listStock } from '../inventory/index.ts';
import { listLocations } from '../locations/index.ts';
import type { ValuationLine, ValuationReport } from './domain.ts';

/** The catalog permission that reveals product costs (catalog's field rule on `costMinor`). */
export const COST_READ = 'catalog.product_cost.read';

/** Whether this actor may see costs: system work (no permissions) may; people need COST_READ. */
export const mayReadCost = (ctx: Pick<ServiceContext, 'permissions'>) => !ctx.permissions || ctx.permissions.has(COST_READ);

/** Every product of the tenant, archived ones too, through catalog's public list. */
async function allProducts(ctx: ServiceContext): Promise<Map<string, Product>> {
  const products = new Map<string, Product>();
  for (const status of [undefined, 'archived'] as const) {
    for (let page = 1; ; page++) {
      const found = await listProducts(ctx, { page, pageSize: 100, ...(status ? { status } : {}) });
      for (const product of found.data) products.set(product.id, product);
      if (page >= found.pagination.totalPages) break;
    }
  }
  return products;
}

/**
 * On hand × unit cost per location and product, through inventory's, catalog's and locations'
 * public interfaces. `includeCost` false leaves cost and value out entirely (not zero): callers
 * pass mayReadCost(ctx), or what the requester could see when an export was asked for.
 */
export async function stockValuation(ctx: ServiceContext, includeCost: boolean): Promise<ValuationReport> {
  const locations = await listLocations(ctx, { status: 'active' });
  const products = await allProducts(ctx);
  const lines: ValuationLine[] = [];
  const summaries: ValuationReport['locations'] = [];
  for (const location of locations) {
    const items = (await listStock(ctx, location.id)).filter((item) => item.onHand !== 0);
    const byCurrency = new Map<string | null, { onHand: number; valueMinor: number; unvalued: number }>();
    for (const item of items) {
      const product = products.get(item.productId);
      const currency = product?.currency ?? null;
      const unitCost = product?.costMinor ?? null;
      // Negative stock (where allowed) is not an asset: it is listed, valued at nothing.
      const value = unitCost === null ? null : Math.max(item.onHand, 0) * unitCost;
      lines.push({
        locationId: location.id,
        locationName: location.name,
        productId: item.productId,
        productName: product?.name ?? item.productId,
        sku: product?.sku ?? '',
        onHand: item.onHand,
        currency,
        ...(includeCost ? { unitCostMinor: unitCost, valueMinor: value } : {}),
      });
      const sum = byCurrency.get(currency) ?? { onHand: 0, valueMinor: 0, unvalued: 0 };
      sum.onHand += item.onHand;
      if (value === null) sum.unvalued += 1;
      else sum.valueMinor += value;
      byCurrency.set(currency, sum);
    }
    for (const [currency, sum] of byCurrency)
      summaries.push({
        locationId: location.id,
        locationName: location.name,
        currency,
        onHand: sum.onHand,
        ...(includeCost ? { valueMinor: sum.valueMinor, unvaluedProducts: sum.unvalued } : {}),
      });
  }
  lines.sort((a, b) => a.locationName.localeCompare(b.locationName) || a.productName.localeCompare(b.productName) || a.productId.localeCompare(b.productId));
  return { costVisible: includeCost, lines, locations: summaries };
}
