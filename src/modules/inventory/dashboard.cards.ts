import { and, asc, eq, isNotNull, lte, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../kernel/context.ts';
import type { CardContent, DashboardCard } from '../../kernel/module/index.ts';
import { withTenantTx } from '../../kernel/tenancy/index.ts';
import { locationsById } from '../locations/index.ts';
import { inventoryStock } from './inventory.table.ts';
import { namesOf, productsOf } from './products.ts';

const s = inventoryStock;
const SHOWN = 6;

/** Stock at or below its reorder point, the furthest below first. */
async function lowStockCard(ctx: ServiceContext): Promise<CardContent> {
  const { rows, total, locations } = await withTenantTx(ctx, async (uow) => {
    const low = and(eq(s.tenantId, uow.tenantId), isNotNull(s.reorderPoint), lte(s.onHand, s.reorderPoint));
    const found = await uow.tx
      .select({ locationId: s.locationId, productId: s.productId, onHand: s.onHand, reorderPoint: s.reorderPoint, total: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(s)
      .where(low)
      .orderBy(asc(sql`${s.onHand} - ${s.reorderPoint}`), asc(s.productId))
      .limit(SHOWN);
    return { rows: found, total: found[0]?.total ?? 0, locations: await locationsById(uow) };
  });
  const names = namesOf(await productsOf(ctx, rows.map((row) => row.productId)));
  return {
    ...(total > 0 ? { headline: { value: String(total), caption: total === 1 ? 'item to reorder' : 'items to reorder' } } : {}),
    items: rows.map((row) => ({
      label: names.get(row.productId) ?? 'A product',
      detail: `${row.onHand} left at ${locations.get(row.locationId)?.name ?? 'a location'} (reorder at ${row.reorderPoint})`,
      href: `/inventory?locationId=${row.locationId}`,
    })),
    empty: { text: 'Nothing is at or below its reorder point.', action: { label: 'Set reorder points', href: '/inventory' } },
    link: { label: 'Stock', href: '/inventory' },
  };
}

export const INVENTORY_CARDS: readonly DashboardCard[] = [{ id: 'low-stock', title: 'Low stock', area: 'business', permission: 'inventory.stock.read', order: 30, load: lowStockCard }];
