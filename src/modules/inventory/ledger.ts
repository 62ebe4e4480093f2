import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { actorLabel, type ServiceContext } from '../../kernel/context.ts';
import type { Tx } from '../../kernel/db/index.ts';
import { emit } from '../../kernel/jobs/index.ts';
import type { Movement } from './domain/inventory.ts';
import { inventoryErrors } from './errors.ts';
import { inventoryMovement, inventorySetting, inventoryStock, type MovementKind } from './inventory.table.ts';
import { queueLowStockEmails } from './low-stock.notify.ts';

export interface MovementDraft {
  locationId: string;
  productId: string;
  kind: MovementKind;
  /** Signed change of on-hand in whole units. */
  quantity: number;
  reason?: string | null | undefined;
  reference?: string | null | undefined;
}

export interface AppendOptions {
  /** Names for messages, alerts and events; an unknown product is shown by its id. */
  locationNames: ReadonlyMap<string, string>;
  productNames?: ReadonlyMap<string, string>;
  /**
   * Refuse a decrease that would leave on-hand below zero unless the tenant allows negative
   * stock. Count corrections skip it: a count records what is physically there.
   */
  enforceAvailability: boolean;
  /** The tenant's negative-stock setting, when the caller read it earlier in this transaction (no read under the row locks). */
  allowNegative?: boolean;
}

export interface LowStockCrossing {
  locationId: string;
  productId: string;
  onHand: number;
  reorderPoint: number;
}

type StockRow = typeof inventoryStock.$inferSelect;
const itemKey = (locationId: string, productId: string) => `${locationId}/${productId}`;

export async function allowsNegativeStock(tx: Tx, tenantId: string): Promise<boolean> {
  const [row] = await tx.select({ allow: inventorySetting.allowNegativeStock }).from(inventorySetting).where(eq(inventorySetting.tenantId, tenantId));
  return row?.allow ?? false;
}

/**
 * Locks the stock rows of these items (creating missing ones at zero) in one fixed order, so two
 * transactions touching the same items queue instead of deadlocking. Answers them by item key.
 * Usually every row exists and this is one statement; rows created here are inserted in the same
 * order and then locked.
 */
export async function lockStockRows(tx: Tx, tenantId: string, items: readonly { locationId: string; productId: string }[]): Promise<Map<string, StockRow>> {
  const wanted = [...new Map(items.map((item) => [itemKey(item.locationId, item.productId), item])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const lockInOrder = (keys: readonly (readonly [string, { locationId: string; productId: string }])[]) =>
    tx
      .select()
      .from(inventoryStock)
      .where(
        and(
          eq(inventoryStock.tenantId, tenantId),
          inArray(sql`(${inventoryStock.locationId}, ${inventoryStock.productId})`, keys.map(([, item]) => sql`(${item.locationId}::uuid, ${item.productId}::uuid)`)),
        ),
      )
      .orderBy(asc(inventoryStock.locationId), asc(inventoryStock.productId))
      .for('update');
  const locked = new Map((await lockInOrder(wanted)).map((row) => [itemKey(row.locationId, row.productId), row]));
  const missing = wanted.filter(([key]) => !locked.has(key));
  if (missing.length > 0) {
    await tx
      .insert(inventoryStock)
      .values(missing.map(([, item]) => ({ tenantId, locationId: item.locationId, productId: item.productId })))
      .onConflictDoNothing();
    for (const row of await lockInOrder(missing)) locked.set(itemKey(row.locationId, row.productId), row);
  }
  for (const [key] of wanted) if (!locked.has(key)) throw new Error(`inventory: stock row ${key} vanished under its lock`);
  return locked;
}

export function toMovement(row: typeof inventoryMovement.$inferSelect): Movement {
  return {
    id: row.id,
    locationId: row.locationId,
    productId: row.productId,
    kind: row.kind,
    quantity: row.quantity,
    reason: row.reason,
    reference: row.reference,
    actor: row.actor,
    occurredAt: row.occurredAt.toISOString(),
  };
}

/**
 * Appends movements to the ledger and moves each item's balance by the same amount in the
 * caller's transaction: the balance is the ledger's sum by construction. The movements (new rows
 * nobody else touches) and the `inventory.stock.moved` event are written first, then the items'
 * rows are locked and moved, so the row locks are held for two statements. Refuses
 * (INSUFFICIENT_STOCK, which rolls back the movements with the caller's transaction) a decrease
 * below zero when the tenant disallows negative stock.
 * An item whose on-hand ends at or below its reorder point raises `inventory.stock.low` and
 * queues emails once; it re-arms only after stock rises above the point again.
 * The caller records its own audit entry afterwards (audit takes the tenant's append lock, which
 * must come after row locks).
 */
export async function appendMovements(
  tx: Tx,
  ctx: Pick<ServiceContext, 'tenantId' | 'actor' | 'requestId'>,
  drafts: readonly MovementDraft[],
  options: AppendOptions,
): Promise<{ movements: Movement[]; crossings: LowStockCrossing[] }> {
  if (drafts.length === 0) return { movements: [], crossings: [] };
  const allowNegative = !options.enforceAvailability || (options.allowNegative ?? (await allowsNegativeStock(tx, ctx.tenantId)));
  const actor = actorLabel(ctx.actor);
  const inserted = await tx
    .insert(inventoryMovement)
    .values(
      drafts.map((draft) => ({
        tenantId: ctx.tenantId,
        locationId: draft.locationId,
        productId: draft.productId,
        kind: draft.kind,
        quantity: draft.quantity,
        reason: draft.reason ?? null,
        reference: draft.reference ?? null,
        actor,
      })),
    )
    .returning();
  const movements = inserted.sort((a, b) => a.seq - b.seq).map(toMovement);
  await emit(tx, ctx, { type: 'inventory.stock.moved', payload: { movements } });

  const rows = await lockStockRows(tx, ctx.tenantId, drafts);
  const onHand = new Map([...rows].map(([key, row]) => [key, row.onHand]));
  for (const draft of drafts) {
    const key = itemKey(draft.locationId, draft.productId);
    const before = onHand.get(key) ?? 0;
    const after = before + draft.quantity;
    if (draft.quantity < 0 && after < 0 && !allowNegative)
      throw inventoryErrors.insufficientStock({
        productId: draft.productId,
        productName: options.productNames?.get(draft.productId),
        locationId: draft.locationId,
        locationName: options.locationNames.get(draft.locationId) ?? draft.locationId,
        onHand: before,
        requested: -draft.quantity,
      });
    onHand.set(key, after);
  }

  const crossings: LowStockCrossing[] = [];
  const balances: { locationId: string; productId: string; onHand: number; lowAlerted: boolean }[] = [];
  for (const [key, row] of rows) {
    const after = onHand.get(key) ?? row.onHand;
    let lowAlerted = row.lowAlerted;
    if (row.reorderPoint !== null && after <= row.reorderPoint && !row.lowAlerted) {
      lowAlerted = true;
      crossings.push({ locationId: row.locationId, productId: row.productId, onHand: after, reorderPoint: row.reorderPoint });
    } else if (row.reorderPoint !== null && after > row.reorderPoint) lowAlerted = false;
    balances.push({ locationId: row.locationId, productId: row.productId, onHand: after, lowAlerted });
  }
  // All balances in one statement (each column one array parameter): the rows are locked already, so its order does not matter.
  await tx.execute(sql`
    UPDATE ${inventoryStock} AS stock
       SET on_hand = balance.on_hand, low_alerted = balance.low_alerted, updated_at = now()
      FROM unnest(${sql.param(balances.map((entry) => entry.locationId))}::uuid[], ${sql.param(balances.map((entry) => entry.productId))}::uuid[],
                  ${sql.param(balances.map((entry) => entry.onHand))}::integer[], ${sql.param(balances.map((entry) => entry.lowAlerted))}::boolean[])
           AS balance(location_id, product_id, on_hand, low_alerted)
     WHERE stock.tenant_id = ${ctx.tenantId} AND stock.location_id = balance.location_id AND stock.product_id = balance.product_id`);
  for (const crossing of crossings) {
    const row = rows.get(itemKey(crossing.locationId, crossing.productId)) as StockRow;
    const data = {
      productName: options.productNames?.get(row.productId) ?? `Product ${row.productId}`,
      locationName: options.locationNames.get(row.locationId) ?? row.locationId,
      onHand: crossing.onHand,
      reorderPoint: crossing.reorderPoint,
      reorderQuantity: row.reorderQuantity,
    };
    await emit(tx, ctx, { type: 'inventory.stock.low', payload: { locationId: row.locationId, productId: row.productId, ...data } });
    await queueLowStockEmails(tx, ctx, data);
  }
  return { movements, crossings };
}
