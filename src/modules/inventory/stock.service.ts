import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Tx } from '../../kernel/db/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { withTenantTx } from '../../kernel/tenancy/index.ts';
import { assertActiveLocation, getLocation, type Location } from '../locations/index.ts';
import { saleMovementsInput, type AdjustmentInput, type InventorySettings, type Movement, type ReceiptInput, type ReorderInput, type SaleMovementsInput, type StockItem } from './domain/inventory.ts';
import { inventoryMovement, inventorySetting, inventoryStock, inventoryTransfer, inventoryTransferLine } from './inventory.table.ts';
import { allowsNegativeStock, appendMovements, applyMovements, lockStockRows, writeMovements, type MovementDraft } from './ledger.ts';
import { namesOf, productsOf } from './products.ts';

export const MOVEMENT_PAGE = 200;
const itemTarget = (locationId: string, productId: string) => ({ type: 'inventory.stock', id: `${locationId}/${productId}` });

/**
 * Stock at one location, opened inside the caller's transaction before it takes its row locks:
 * the location is checked active (and share-locked against archiving until commit) and the
 * tenant's negative-stock setting is read, so the movements recorded later read nothing under
 * those locks. Bound to that transaction.
 */
export interface StockAt {
  readonly tx: Tx;
  readonly location: Location;
  readonly allowNegative: boolean;
}

export async function openStockAt(tx: Tx, ctx: ServiceContext, locationId: string): Promise<StockAt> {
  const location = await assertActiveLocation(tx, ctx, locationId);
  return { tx, location, allowNegative: await allowsNegativeStock(tx, ctx.tenantId) };
}

/** A sale's (or refund's) movements written but not yet applied to stock: see stageSaleMovements. */
export interface StagedMovements {
  /** Moves the stock (locking its rows) and audits; answers the movements. Call once, after the caller's own row locks. */
  apply(): Promise<Movement[]>;
}

async function stageLines(tx: Tx, ctx: ServiceContext, at: StockAt, input: SaleMovementsInput, kind: 'sale' | 'refund'): Promise<StagedMovements> {
  if (at.tx !== tx) throw new Error('inventory: stock was opened in another transaction');
  // The POS calls in-process, past any route schema: check its input as a route would.
  const parsed = saleMovementsInput.safeParse(input);
  if (!parsed.success) throw new AppError('VALIDATION', 'Stock lines must name products and whole quantities of at least 1.', { reason: 'INVENTORY_BAD_LINES' });
  const { location } = at;
  const drafts: MovementDraft[] = input.lines.map((line) => ({
    locationId: location.id,
    productId: line.productId,
    kind,
    quantity: kind === 'sale' ? -line.quantity : line.quantity,
    reference: input.reference,
  }));
  const movements = await writeMovements(tx, ctx, drafts);
  return {
    async apply() {
      await applyMovements(tx, ctx, drafts, { locationNames: new Map([[location.id, location.name]]), allowNegative: at.allowNegative });
      await recordAudit(tx, ctx, {
        action: kind === 'sale' ? 'inventory.stock.sold' : 'inventory.stock.refunded',
        target: { type: 'inventory.location', id: location.id },
        data: { reference: input.reference, lines: input.lines.map(({ productId, quantity }) => ({ productId, quantity })) },
      });
      return movements;
    },
  };
}

/**
 * For the POS: the sold quantities at the location opened with openStockAt, deducted INSIDE the
 * caller's transaction `tx` (one sale, one transaction), in two steps so the caller's row locks
 * are held as briefly as possible: this writes the movements and their event (new rows, no
 * locks; call it before the caller's first row lock), and `apply()` deducts the stock and audits
 * (call it after the caller's own row locks and before its recordAudit: row locks before the
 * tenant's audit lock). It is a synchronous call through this public interface rather than a
 * reaction to a sale event because the sale itself must fail when stock would go negative
 * (tenant setting): a CONFLICT INSUFFICIENT_STOCK thrown by `apply()` rolls the whole sale back.
 * Products are not looked up in the catalog here; the POS sells catalog products it has already
 * read in the same transaction.
 */
export function stageSaleMovements(tx: Tx, ctx: ServiceContext, at: StockAt, input: SaleMovementsInput): Promise<StagedMovements> {
  return stageLines(tx, ctx, at, input, 'sale');
}

/** For the POS: refunded quantities put back at the location opened with openStockAt, in the two steps of stageSaleMovements. */
export function stageRefundMovements(tx: Tx, ctx: ServiceContext, at: StockAt, input: SaleMovementsInput): Promise<StagedMovements> {
  return stageLines(tx, ctx, at, input, 'refund');
}

/** Goods in: one receipt movement per line, one transaction. */
export async function receiveStock(ctx: ServiceContext, input: ReceiptInput): Promise<Movement[]> {
  const products = await productsOf(
    ctx,
    input.lines.map((line) => line.productId),
  );
  return withTenantTx(ctx, async (tx) => {
    const location = await assertActiveLocation(tx, ctx, input.locationId);
    const drafts: MovementDraft[] = input.lines.map((line) => ({
      locationId: location.id,
      productId: line.productId,
      kind: 'receipt',
      quantity: line.quantity,
      reason: input.note ?? null,
      reference: input.reference ?? null,
    }));
    const { movements } = await appendMovements(tx, ctx, drafts, {
      locationNames: new Map([[location.id, location.name]]),
      productNames: namesOf(products),
      enforceAvailability: true,
    });
    await recordAudit(tx, ctx, {
      action: 'inventory.stock.received',
      target: { type: 'inventory.location', id: location.id },
      data: { reference: input.reference ?? null, note: input.note ?? null, lines: input.lines },
    });
    return movements;
  });
}

/** A manual correction with its reason (breakage, theft, found stock). */
export async function adjustStock(ctx: ServiceContext, input: AdjustmentInput): Promise<Movement> {
  const products = await productsOf(ctx, [input.productId]);
  return withTenantTx(ctx, async (tx) => {
    const location = await assertActiveLocation(tx, ctx, input.locationId);
    const { movements } = await appendMovements(
      tx,
      ctx,
      [{ locationId: location.id, productId: input.productId, kind: 'adjustment', quantity: input.quantityDelta, reason: input.reason }],
      { locationNames: new Map([[location.id, location.name]]), productNames: namesOf(products), enforceAvailability: true },
    );
    await recordAudit(tx, ctx, {
      action: 'inventory.stock.adjusted',
      target: itemTarget(location.id, input.productId),
      data: { quantityDelta: input.quantityDelta, reason: input.reason },
    });
    return movements[0] as Movement;
  });
}

/**
 * Sets an item's reorder point (null: no alerts) and reorder quantity. The alert is re-armed: the
 * next movement that leaves on-hand at or below the new point raises it.
 */
export async function setReorderPoint(ctx: ServiceContext, locationId: string, productId: string, input: ReorderInput): Promise<StockItem> {
  await productsOf(ctx, [productId]);
  return withTenantTx(ctx, async (tx) => {
    await assertActiveLocation(tx, ctx, locationId);
    const rows = await lockStockRows(tx, ctx.tenantId, [{ locationId, productId }]);
    const before = [...rows.values()][0];
    const [row] = await tx
      .update(inventoryStock)
      .set({ reorderPoint: input.reorderPoint, reorderQuantity: input.reorderQuantity ?? null, lowAlerted: false, updatedAt: sql`now()` })
      .where(and(eq(inventoryStock.tenantId, ctx.tenantId), eq(inventoryStock.locationId, locationId), eq(inventoryStock.productId, productId)))
      .returning();
    if (!row) throw new Error('inventory: stock row vanished under its lock');
    await recordAudit(tx, ctx, {
      action: 'inventory.reorder_point.set',
      target: itemTarget(locationId, productId),
      data: {
        changes: {
          reorderPoint: { before: before?.reorderPoint ?? null, after: row.reorderPoint },
          reorderQuantity: { before: before?.reorderQuantity ?? null, after: row.reorderQuantity },
        },
      },
    });
    await emit(tx, ctx, { type: 'inventory.reorder_point.changed', payload: { locationId, productId, reorderPoint: row.reorderPoint, reorderQuantity: row.reorderQuantity } });
    const low = row.reorderPoint !== null && row.onHand <= row.reorderPoint;
    return { locationId, productId, onHand: row.onHand, inTransit: 0, reorderPoint: row.reorderPoint, reorderQuantity: row.reorderQuantity, low };
  });
}

/** Every stock item of a location with what is on its way there; NOT_FOUND for a location of another tenant. */
export async function listStock(ctx: ServiceContext, locationId: string): Promise<StockItem[]> {
  await getLocation(ctx, locationId);
  return withTenantTx(ctx, async (tx) => {
    const stock = await tx
      .select()
      .from(inventoryStock)
      .where(and(eq(inventoryStock.tenantId, ctx.tenantId), eq(inventoryStock.locationId, locationId)))
      .orderBy(asc(inventoryStock.productId));
    const transit = await tx
      .select({ productId: inventoryTransferLine.productId, quantity: sql<number>`sum(${inventoryTransferLine.quantity})`.mapWith(Number) })
      .from(inventoryTransferLine)
      .innerJoin(inventoryTransfer, and(eq(inventoryTransfer.tenantId, inventoryTransferLine.tenantId), eq(inventoryTransfer.id, inventoryTransferLine.transferId)))
      .where(and(eq(inventoryTransfer.tenantId, ctx.tenantId), eq(inventoryTransfer.toLocationId, locationId), eq(inventoryTransfer.status, 'in_transit')))
      .groupBy(inventoryTransferLine.productId);
    const inTransit = new Map(transit.map((row) => [row.productId, row.quantity]));
    const items: StockItem[] = stock.map((row) => ({
      locationId,
      productId: row.productId,
      onHand: row.onHand,
      inTransit: inTransit.get(row.productId) ?? 0,
      reorderPoint: row.reorderPoint,
      reorderQuantity: row.reorderQuantity,
      low: row.reorderPoint !== null && row.onHand <= row.reorderPoint,
    }));
    for (const [productId, quantity] of inTransit)
      if (!stock.some((row) => row.productId === productId))
        items.push({ locationId, productId, onHand: 0, inTransit: quantity, reorderPoint: null, reorderQuantity: null, low: false });
    return items;
  });
}

/** An item's ledger, newest first (at most MOVEMENT_PAGE movements). */
export async function listMovements(ctx: ServiceContext, locationId: string, productId: string): Promise<Movement[]> {
  await getLocation(ctx, locationId);
  const rows = await withTenantTx(ctx, (tx) =>
    tx
      .select()
      .from(inventoryMovement)
      .where(and(eq(inventoryMovement.tenantId, ctx.tenantId), eq(inventoryMovement.locationId, locationId), eq(inventoryMovement.productId, productId)))
      .orderBy(desc(inventoryMovement.seq))
      .limit(MOVEMENT_PAGE),
  );
  return rows.map((row) => ({
    id: row.id,
    locationId: row.locationId,
    productId: row.productId,
    kind: row.kind,
    quantity: row.quantity,
    reason: row.reason,
    reference: row.reference,
    actor: row.actor,
    occurredAt: row.occurredAt.toISOString(),
  }));
}

export async function getInventorySettings(ctx: ServiceContext): Promise<InventorySettings> {
  return { allowNegativeStock: await withTenantTx(ctx, (tx) => allowsNegativeStock(tx, ctx.tenantId)) };
}

export function setInventorySettings(ctx: ServiceContext, input: InventorySettings): Promise<InventorySettings> {
  return withTenantTx(ctx, async (tx) => {
    const before = await allowsNegativeStock(tx, ctx.tenantId);
    // Saving what is already set changes nothing and records nothing.
    if (before !== input.allowNegativeStock) {
      await tx
        .insert(inventorySetting)
        .values({ tenantId: ctx.tenantId, allowNegativeStock: input.allowNegativeStock })
        .onConflictDoUpdate({ target: inventorySetting.tenantId, set: { allowNegativeStock: input.allowNegativeStock, updatedAt: sql`now()` } });
      await recordAudit(tx, ctx, {
        action: 'inventory.settings.updated',
        target: { type: 'inventory.settings', id: ctx.tenantId },
        data: { changes: { allowNegativeStock: { before, after: input.allowNegativeStock } } },
      });
      await emit(tx, ctx, { type: 'inventory.settings.changed', payload: { allowNegativeStock: input.allowNegativeStock } });
    }
    return { allowNegativeStock: input.allowNegativeStock };
  });
}
