import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import { AppError } from '../../kernel/errors.ts';
import type { Tx } from '../../kernel/db/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
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

export async function openStockAt(uow: UnitOfWork, locationId: string): Promise<StockAt> {
  const location = await assertActiveLocation(uow, locationId);
  return { tx: uow.tx, location, allowNegative: await allowsNegativeStock(uow.tx, uow.tenantId) };
}

async function stageLines(uow: UnitOfWork, at: StockAt, input: SaleMovementsInput, kind: 'sale' | 'refund'): Promise<Movement[]> {
  if (at.tx !== uow.tx) throw new Error('inventory: stock was opened in another transaction');
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
  const movements = await writeMovements(uow, drafts);
  recordAudit(uow, {
    action: kind === 'sale' ? 'inventory.stock.sold' : 'inventory.stock.refunded',
    target: { type: 'inventory.location', id: location.id },
    data: { reference: input.reference, lines: input.lines.map(({ productId, quantity }) => ({ productId, quantity })) },
  });
  // The stock rows are locked last among row locks: in the apply phase, after the caller's body.
  uow.onApply(() => applyMovements(uow, drafts, { locationNames: new Map([[location.id, location.name]]), allowNegative: at.allowNegative }));
  return movements;
}

/**
 * For the POS: the sold quantities at the location opened with openStockAt, deducted INSIDE the
 * caller's unit of work (one sale, one transaction). The movements, their event and the audit
 * entry are written now (new rows, no locks: call it before taking your own row locks, so they
 * are held as briefly as possible); the stock itself moves in the unit of work's apply phase,
 * after the caller's body has taken its row locks and before the tenant's audit lock, so the
 * caller need not know inventory's lock order. It is a synchronous call through this public
 * interface rather than a reaction to a sale event because the sale itself must fail when stock
 * would go negative (tenant setting): a CONFLICT INSUFFICIENT_STOCK thrown in the apply phase
 * rolls the whole sale back. Products are not looked up in the catalog here; the POS sells
 * catalog products it has already read in the same transaction.
 */
export function stageSaleMovements(uow: UnitOfWork, at: StockAt, input: SaleMovementsInput): Promise<Movement[]> {
  return stageLines(uow, at, input, 'sale');
}

/** For the POS: refunded quantities put back at the location opened with openStockAt, as stageSaleMovements does. */
export function stageRefundMovements(uow: UnitOfWork, at: StockAt, input: SaleMovementsInput): Promise<Movement[]> {
  return stageLines(uow, at, input, 'refund');
}

/** Goods in: one receipt movement per line, one transaction. */
export async function receiveStock(ctx: ServiceContext, input: ReceiptInput): Promise<Movement[]> {
  const products = await productsOf(
    ctx,
    input.lines.map((line) => line.productId),
  );
  return withTenantTx(ctx, async (uow) => {
    const location = await assertActiveLocation(uow, input.locationId);
    const drafts: MovementDraft[] = input.lines.map((line) => ({
      locationId: location.id,
      productId: line.productId,
      kind: 'receipt',
      quantity: line.quantity,
      reason: input.note ?? null,
      reference: input.reference ?? null,
    }));
    const { movements } = await appendMovements(uow, drafts, {
      locationNames: new Map([[location.id, location.name]]),
      productNames: namesOf(products),
      enforceAvailability: true,
    });
    recordAudit(uow, {
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
  return withTenantTx(ctx, async (uow) => {
    const location = await assertActiveLocation(uow, input.locationId);
    const { movements } = await appendMovements(
      uow,
      [{ locationId: location.id, productId: input.productId, kind: 'adjustment', quantity: input.quantityDelta, reason: input.reason }],
      { locationNames: new Map([[location.id, location.name]]), productNames: namesOf(products), enforceAvailability: true },
    );
    recordAudit(uow, {
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
  return withTenantTx(ctx, async (uow) => {
    await assertActiveLocation(uow, locationId);
    const rows = await lockStockRows(uow.tx, ctx.tenantId, [{ locationId, productId }]);
    const before = [...rows.values()][0];
    const [row] = await uow.tx
      .update(inventoryStock)
      .set({ reorderPoint: input.reorderPoint, reorderQuantity: input.reorderQuantity ?? null, lowAlerted: false, updatedAt: sql`now()` })
      .where(and(eq(inventoryStock.tenantId, ctx.tenantId), eq(inventoryStock.locationId, locationId), eq(inventoryStock.productId, productId)))
      .returning();
    if (!row) throw new Error('inventory: stock row vanished under its lock');
    recordAudit(uow, {
      action: 'inventory.reorder_point.set',
      target: itemTarget(locationId, productId),
      data: {
        changes: {
          reorderPoint: { before: before?.reorderPoint ?? null, after: row.reorderPoint },
          reorderQuantity: { before: before?.reorderQuantity ?? null, after: row.reorderQuantity },
        },
      },
    });
    emit(uow, { type: 'inventory.reorder_point.changed', payload: { locationId, productId, reorderPoint: row.reorderPoint, reorderQuantity: row.reorderQuantity } });
    const low = row.reorderPoint !== null && row.onHand <= row.reorderPoint;
    return { locationId, productId, onHand: row.onHand, inTransit: 0, reorderPoint: row.reorderPoint, reorderQuantity: row.reorderQuantity, low };
  });
}

/** Every stock item of a location with what is on its way there; NOT_FOUND for a location of another tenant. */
export async function listStock(ctx: ServiceContext, locationId: string): Promise<StockItem[]> {
  await getLocation(ctx, locationId);
  return withTenantTx(ctx, async (uow) => {
    const stock = await uow.tx
      .select()
      .from(inventoryStock)
      .where(and(eq(inventoryStock.tenantId, ctx.tenantId), eq(inventoryStock.locationId, locationId)))
      .orderBy(asc(inventoryStock.productId));
    const transit = await uow.tx
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
  const rows = await withTenantTx(ctx, (uow) =>
    uow.tx
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
  return { allowNegativeStock: await withTenantTx(ctx, (uow) => allowsNegativeStock(uow.tx, ctx.tenantId)) };
}

export function setInventorySettings(ctx: ServiceContext, input: InventorySettings): Promise<InventorySettings> {
  return withTenantTx(ctx, async (uow) => {
    const before = await allowsNegativeStock(uow.tx, ctx.tenantId);
    // Saving what is already set changes nothing and records nothing.
    if (before !== input.allowNegativeStock) {
      await uow.tx
        .insert(inventorySetting)
        .values({ tenantId: ctx.tenantId, allowNegativeStock: input.allowNegativeStock })
        .onConflictDoUpdate({ target: inventorySetting.tenantId, set: { allowNegativeStock: input.allowNegativeStock, updatedAt: sql`now()` } });
      recordAudit(uow, {
        action: 'inventory.settings.updated',
        target: { type: 'inventory.settings', id: ctx.tenantId },
        data: { changes: { allowNegativeStock: { before, after: input.allowNegativeStock } } },
      });
      emit(uow, { type: 'inventory.settings.changed', payload: { allowNegativeStock: input.allowNegativeStock } });
    }
    return { allowNegativeStock: input.allowNegativeStock };
  });
}
