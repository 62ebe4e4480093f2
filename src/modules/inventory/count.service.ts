import { and, desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import { actorLabel } from '../../kernel/context.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { assertActiveLocation } from '../locations/index.ts';
import type { CountEntry, CountLine, StockCount } from './domain/inventory.ts';
import { inventoryErrors } from './errors.ts';
import { inventoryCount, inventoryCountLine, inventoryStock } from './inventory.table.ts';
import { appendMovements, lockStockRows, type MovementDraft } from './ledger.ts';
import { productsOf } from './products.ts';

/*
 * How a count settles movements that happen while it is open: every counted quantity is
 * a snapshot of the shelf at the moment it is entered, so each line keeps the ledger's on-hand
 * of that moment (read under the item's row lock). Posting appends
 *   count_correction = counted − on-hand when counted was entered,
 * so sales, receipts and transfers before the entry are part of what was counted, and those
 * after it stay on top of the counted figure. The review also shows the variance against the
 * snapshot taken when the count started (expected).
 */

type CountRow = typeof inventoryCount.$inferSelect;
type LineRow = typeof inventoryCountLine.$inferSelect;
const target = (id: string) => ({ type: 'inventory.count', id });
const COST_PERMISSION = 'catalog.product_cost.read';

function toCount(row: CountRow, lines: LineRow[]): StockCount {
  return {
    id: row.id,
    locationId: row.locationId,
    status: row.status,
    startedBy: row.startedBy,
    startedAt: row.startedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    lines: lines.map(
      (line): CountLine => ({
        productId: line.productId,
        expected: line.expected,
        counted: line.counted,
        variance: line.counted === null ? null : line.counted - line.expected,
        correction: line.counted === null || line.onHandAtEntry === null ? null : line.counted - line.onHandAtEntry,
      }),
    ),
  };
}

async function lockCount(uow: UnitOfWork, id: string): Promise<CountRow> {
  const [row] = await uow.tx.select().from(inventoryCount).where(and(eq(inventoryCount.tenantId, uow.tenantId), eq(inventoryCount.id, id))).for('update');
  if (!row) throw inventoryErrors.countNotFound();
  return row;
}

const linesOf = (uow: UnitOfWork, id: string) =>
  uow.tx
    .select()
    .from(inventoryCountLine)
    .where(and(eq(inventoryCountLine.tenantId, uow.tenantId), eq(inventoryCountLine.countId, id)))
    .orderBy(inventoryCountLine.productId);

/** Opens a count of a location with the ledger's on-hand of every item there as expected quantities; one open count per location. */
export function startCount(ctx: ServiceContext, locationId: string): Promise<StockCount> {
  return withTenantTx(ctx, async (uow) => {
    const location = await assertActiveLocation(uow, locationId);
    // Serialises starts at one location so two cannot both see "no open count".
    await uow.tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`plinth.inventory.count:${ctx.tenantId}:${location.id}`}))`);
    const [open] = await uow.tx
      .select({ id: inventoryCount.id })
      .from(inventoryCount)
      .where(and(eq(inventoryCount.tenantId, ctx.tenantId), eq(inventoryCount.locationId, location.id), eq(inventoryCount.status, 'open')))
      .limit(1);
    if (open) throw inventoryErrors.countOpen(location.name);
    const [row] = await uow.tx
      .insert(inventoryCount)
      .values({ tenantId: ctx.tenantId, locationId: location.id, startedBy: actorLabel(ctx.actor) })
      .returning();
    if (!row) throw new Error('inventory: count insert returned no row');
    const stock = await uow.tx
      .select({ productId: inventoryStock.productId, onHand: inventoryStock.onHand })
      .from(inventoryStock)
      .where(and(eq(inventoryStock.tenantId, ctx.tenantId), eq(inventoryStock.locationId, location.id)));
    if (stock.length > 0)
      await uow.tx.insert(inventoryCountLine).values(stock.map((item) => ({ tenantId: ctx.tenantId, countId: row.id, productId: item.productId, expected: item.onHand })));
    recordAudit(uow, { action: 'inventory.count.started', target: target(row.id), data: { locationId: location.id, items: stock.length } });
    emit(uow, { type: 'inventory.count.started', payload: { countId: row.id, locationId: location.id } });
    return toCount(row, await linesOf(uow, row.id));
  });
}

/** Enters (or re-enters) counted quantities; partial and resumable. A product not in the snapshot is added with expected 0. */
export async function enterCounts(ctx: ServiceContext, id: string, entry: CountEntry): Promise<StockCount> {
  await productsOf(
    ctx,
    entry.lines.map((line) => line.productId),
  );
  return withTenantTx(ctx, async (uow) => {
    const count = await lockCount(uow, id);
    if (count.status !== 'open') throw inventoryErrors.countClosed();
    const stock = await lockStockRows(
      uow.tx,
      ctx.tenantId,
      entry.lines.map((line) => ({ locationId: count.locationId, productId: line.productId })),
    );
    for (const line of entry.lines) {
      const onHand = stock.get(`${count.locationId}/${line.productId}`)?.onHand ?? 0;
      await uow.tx
        .insert(inventoryCountLine)
        .values({ tenantId: ctx.tenantId, countId: id, productId: line.productId, expected: 0, counted: line.counted, onHandAtEntry: onHand, countedAt: new Date() })
        .onConflictDoUpdate({
          target: [inventoryCountLine.tenantId, inventoryCountLine.countId, inventoryCountLine.productId],
          set: { counted: line.counted, onHandAtEntry: onHand, countedAt: sql`now()` },
        });
    }
    recordAudit(uow, { action: 'inventory.count.entered', target: target(id), data: { lines: entry.lines } });
    emit(uow, { type: 'inventory.count.entered', payload: { countId: id, lines: entry.lines } });
    return toCount(count, await linesOf(uow, id));
  });
}

/**
 * A count with its variance; with catalog.product_cost.read (or as the system) each counted
 * line also carries the variance's value at unit cost, which catalog hides from anyone else.
 */
export async function getCount(ctx: ServiceContext, id: string): Promise<StockCount> {
  const count = await withTenantTx(ctx, async (uow) => {
    const [row] = await uow.tx.select().from(inventoryCount).where(and(eq(inventoryCount.tenantId, ctx.tenantId), eq(inventoryCount.id, id)));
    if (!row) throw inventoryErrors.countNotFound();
    return toCount(row, await linesOf(uow, id));
  });
  const mayReadCost = ctx.permissions === undefined || ctx.permissions.has(COST_PERMISSION);
  if (!mayReadCost) return count;
  const products = await productsOf(
    ctx,
    count.lines.filter((line) => line.variance !== null).map((line) => line.productId),
  );
  for (const line of count.lines) {
    const product = products.get(line.productId);
    if (line.variance === null || !product || product.costMinor == null) continue;
    line.varianceValueMinor = line.variance * product.costMinor;
    line.currency = product.currency;
  }
  return count;
}

export function listCounts(ctx: ServiceContext): Promise<Omit<StockCount, 'lines'>[]> {
  return withTenantTx(ctx, async (uow) => {
    const rows = await uow.tx.select().from(inventoryCount).where(eq(inventoryCount.tenantId, ctx.tenantId)).orderBy(desc(inventoryCount.startedAt)).limit(100);
    return rows.map((row) => {
      const { lines: _lines, ...rest } = toCount(row, []);
      return rest;
    });
  });
}

/** Posts the counted lines as count_correction movements and closes the count, in one transaction. */
export function postCount(ctx: ServiceContext, id: string): Promise<StockCount> {
  return withTenantTx(ctx, async (uow) => {
    const count = await lockCount(uow, id);
    if (count.status !== 'open') throw inventoryErrors.countClosed();
    const location = await assertActiveLocation(uow, count.locationId);
    const lines = await linesOf(uow, id);
    const drafts: MovementDraft[] = [];
    for (const line of lines) {
      if (line.counted === null || line.onHandAtEntry === null) continue;
      const correction = line.counted - line.onHandAtEntry;
      if (correction !== 0)
        drafts.push({ locationId: location.id, productId: line.productId, kind: 'count_correction', quantity: correction, reason: 'stock count', reference: id });
    }
    const { movements } = await appendMovements(uow, drafts, { locationNames: new Map([[location.id, location.name]]), enforceAvailability: false });
    const [closed] = await uow.tx
      .update(inventoryCount)
      .set({ status: 'posted', closedAt: sql`now()` })
      .where(and(eq(inventoryCount.tenantId, ctx.tenantId), eq(inventoryCount.id, id)))
      .returning();
    recordAudit(uow, {
      action: 'inventory.count.posted',
      target: target(id),
      data: { corrections: movements.map(({ productId, quantity }) => ({ productId, quantity })) },
    });
    emit(uow, { type: 'inventory.count.posted', payload: { countId: id, locationId: location.id, movements: movements.map((movement) => movement.id) } });
    return toCount(closed as CountRow, lines);
  });
}

/** Abandons an open count; nothing is posted. */
export function cancelCount(ctx: ServiceContext, id: string): Promise<StockCount> {
  return withTenantTx(ctx, async (uow) => {
    const count = await lockCount(uow, id);
    if (count.status !== 'open') throw inventoryErrors.countClosed();
    const [closed] = await uow.tx
      .update(inventoryCount)
      .set({ status: 'cancelled', closedAt: sql`now()` })
      .where(and(eq(inventoryCount.tenantId, ctx.tenantId), eq(inventoryCount.id, id)))
      .returning();
    recordAudit(uow, { action: 'inventory.count.cancelled', target: target(id), data: {} });
    emit(uow, { type: 'inventory.count.cancelled', payload: { countId: id } });
    return toCount(closed as CountRow, await linesOf(uow, id));
  });
}
