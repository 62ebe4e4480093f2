import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { actorLabel, type ServiceContext } from '../../kernel/context.ts';
import { prepared, statement, type Tx } from '../../kernel/db/index.ts';
import { emit } from '../../kernel/jobs/index.ts';
import type { Movement } from './domain/inventory.ts';
import { inventoryErrors } from './errors.ts';
import { inventoryMovement, inventorySetting, inventoryStock, type MovementKind } from './inventory.table.ts';
import { queueLowStockEmails } from './low-stock.notify.ts';
import type { UnitOfWork } from '../../kernel/tenancy/index.ts';

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


const negativeStockSetting = prepared('inventory_allows_negative', (tx) =>
  tx.select({ allow: inventorySetting.allowNegativeStock }).from(inventorySetting).where(eq(inventorySetting.tenantId, sql.placeholder('tenantId'))),
);

export async function allowsNegativeStock(tx: Tx, tenantId: string): Promise<boolean> {
  const [row] = await negativeStockSetting.execute(tx, { tenantId });
  return row?.allow ?? false;
}

/** Creates the stock rows, at zero, of items never stocked at their location (a row a parallel transaction created first stays). */
async function createStockRows(tx: Tx, tenantId: string, items: readonly { locationId: string; productId: string }[]): Promise<void> {
  await tx
    .insert(inventoryStock)
    .values(items.map((item) => ({ tenantId, locationId: item.locationId, productId: item.productId })))
    .onConflictDoNothing();
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
    await createStockRows(tx, tenantId, missing.map(([, item]) => item));
    for (const row of await lockInOrder(missing)) locked.set(itemKey(row.locationId, row.productId), row);
  }
  for (const [key] of wanted) if (!locked.has(key)) throw new Error(`inventory: stock row ${key} vanished under its lock`);
  return locked;
}

/** An item's stock row after moveStockRows, with what it held before. */
interface MovedStock {
  locationId: string;
  productId: string;
  onHand: number;
  reorderPoint: number | null;
  reorderQuantity: number | null;
  onHandBefore: number;
  /** low_alerted before the move (the row now holds the re-armed or raised value). */
  wasAlerted: boolean;
}

/** See moveStockRows. */
const moveRows = statement<{
  location_id: string;
  product_id: string;
  on_hand: number;
  reorder_point: number | null;
  reorder_quantity: number | null;
  on_hand_before: number;
  was_alerted: boolean;
}>(
  'inventory_move_stock',
  sql`
    UPDATE ${inventoryStock} AS stock
       SET on_hand = locked.on_hand + delta.quantity,
           low_alerted = CASE WHEN locked.reorder_point IS NULL THEN locked.low_alerted ELSE locked.on_hand + delta.quantity <= locked.reorder_point END,
           updated_at = now()
      FROM (SELECT location_id, product_id, on_hand, reorder_point, low_alerted FROM ${inventoryStock}
             WHERE tenant_id = ${sql.placeholder('tenantId')}
               AND (location_id, product_id) IN (SELECT * FROM unnest(${sql.placeholder('locationIds')}::uuid[], ${sql.placeholder('productIds')}::uuid[]))
             ORDER BY location_id, product_id
               FOR UPDATE) AS locked,
           unnest(${sql.placeholder('locationIds')}::uuid[], ${sql.placeholder('productIds')}::uuid[], ${sql.placeholder('quantities')}::integer[]) AS delta(location_id, product_id, quantity)
     WHERE stock.tenant_id = ${sql.placeholder('tenantId')} AND stock.location_id = locked.location_id AND stock.product_id = locked.product_id
       AND delta.location_id = locked.location_id AND delta.product_id = locked.product_id
    RETURNING stock.location_id, stock.product_id, stock.on_hand, stock.reorder_point, stock.reorder_quantity, locked.on_hand AS on_hand_before, locked.low_alerted AS was_alerted`,
);

/**
 * Moves the on-hand of these items by their net change in ONE statement: a sub-select locks the
 * rows in lockStockRows' fixed order (the update reaches a row only through its locked copy, which
 * holds the last committed values) and the update applies the change and re-arms or raises the
 * low-stock flag against the reorder point. Answers the moved rows by item key; items without a
 * stock row are not in the answer.
 */
async function moveStockRows(tx: Tx, tenantId: string, change: ReadonlyMap<string, { locationId: string; productId: string; quantity: number }>): Promise<Map<string, MovedStock>> {
  const items = [...change.values()];
  const rows = await moveRows.run(tx, {
    tenantId,
    locationIds: items.map((item) => item.locationId),
    productIds: items.map((item) => item.productId),
    quantities: items.map((item) => item.quantity),
  });
  return new Map(
    rows.map((row) => [
      itemKey(row.location_id, row.product_id),
      {
        locationId: row.location_id,
        productId: row.product_id,
        onHand: row.on_hand,
        reorderPoint: row.reorder_point,
        reorderQuantity: row.reorder_quantity,
        onHandBefore: row.on_hand_before,
        wasAlerted: row.was_alerted,
      },
    ]),
  );
}

/** Any number of movements in one statement text (one array per column), answered in the ledger's order. */
const insertMovements = statement<Omit<Movement, 'occurredAt'> & { seq: string; occurredAt: string }>(
  'inventory_append_movements',
  sql`INSERT INTO ${inventoryMovement} (tenant_id, location_id, product_id, kind, quantity, reason, reference, actor)
      SELECT ${sql.placeholder('tenantId')}::uuid, draft.location_id, draft.product_id, draft.kind, draft.quantity, draft.reason, draft.reference, ${sql.placeholder('actor')}::text
        FROM unnest(${sql.placeholder('locationIds')}::uuid[], ${sql.placeholder('productIds')}::uuid[], ${sql.placeholder('kinds')}::text[], ${sql.placeholder('quantities')}::integer[], ${sql.placeholder('reasons')}::text[], ${sql.placeholder('references')}::text[])
          AS draft(location_id, product_id, kind, quantity, reason, reference)
      RETURNING seq, id, location_id AS "locationId", product_id AS "productId", kind, quantity, reason, reference, actor, occurred_at AS "occurredAt"`,
);

/**
 * Appends movements to the ledger and moves each item's balance by the same amount in the
 * caller's transaction: the balance is the ledger's sum by construction (writeMovements, then
 * applyMovements). The caller records its own audit entry afterwards (audit takes the tenant's
 * append lock, which must come after row locks).
 */
export async function appendMovements(
  uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'actor' | 'requestId'>>,
  drafts: readonly MovementDraft[],
  options: AppendOptions,
): Promise<{ movements: Movement[]; crossings: LowStockCrossing[] }> {
  if (drafts.length === 0) return { movements: [], crossings: [] };
  // Read before any row lock below.
  const allowNegative = !options.enforceAvailability || (options.allowNegative ?? (await allowsNegativeStock(uow.tx, uow.tenantId)));
  const movements = await writeMovements(uow, drafts);
  return { movements, crossings: await applyMovements(uow, drafts, { ...options, allowNegative }) };
}

/**
 * The movements' ledger rows and their `inventory.stock.moved` event: new rows nobody else
 * touches, so a caller writes them before it takes any row lock. Balances move only with
 * applyMovements, in the same transaction.
 */
export async function writeMovements(uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'actor' | 'requestId'>>, drafts: readonly MovementDraft[]): Promise<Movement[]> {
  if (drafts.length === 0) return [];
  const inserted = await insertMovements.run(uow.tx, {
    tenantId: uow.tenantId,
    actor: actorLabel(uow.actor),
    locationIds: drafts.map((draft) => draft.locationId),
    productIds: drafts.map((draft) => draft.productId),
    kinds: drafts.map((draft) => draft.kind),
    quantities: drafts.map((draft) => draft.quantity),
    reasons: drafts.map((draft) => draft.reason ?? null),
    references: drafts.map((draft) => draft.reference ?? null),
  });
  const movements: Movement[] = inserted
    .sort((a, b) => Number(a.seq) - Number(b.seq))
    .map(({ seq: _seq, occurredAt, ...movement }) => ({ ...movement, occurredAt: new Date(occurredAt).toISOString() }));
  emit(uow, { type: 'inventory.stock.moved', payload: { movements } });
  return movements;
}

/**
 * Moves each item's balance by the drafts written with writeMovements: the items' rows are
 * locked and moved in one statement. Refuses (INSUFFICIENT_STOCK, which rolls back the movements
 * with the caller's transaction) a decrease below zero when the tenant disallows negative stock.
 * An item whose on-hand ends at or below its reorder point raises `inventory.stock.low` and
 * queues emails once; it re-arms only after stock rises above the point again.
 */
export async function applyMovements(
  uow: UnitOfWork<Pick<ServiceContext, 'tenantId' | 'actor' | 'requestId'>>,
  drafts: readonly MovementDraft[],
  options: Pick<AppendOptions, 'locationNames' | 'productNames'> & { allowNegative: boolean },
): Promise<LowStockCrossing[]> {
  const { allowNegative } = options;
  const change = new Map<string, { locationId: string; productId: string; quantity: number }>();
  for (const draft of drafts) {
    const key = itemKey(draft.locationId, draft.productId);
    change.set(key, { locationId: draft.locationId, productId: draft.productId, quantity: (change.get(key)?.quantity ?? 0) + draft.quantity });
  }
  let moved = await moveStockRows(uow.tx, uow.tenantId, change);
  if (moved.size < change.size) {
    // Items never stocked here: their rows are created at zero (after the rows moved above, like
    // lockStockRows' missing rows), then moved.
    const missing = new Map([...change].filter(([key]) => !moved.has(key)));
    await createStockRows(uow.tx, uow.tenantId, [...missing.values()]);
    moved = new Map([...moved, ...(await moveStockRows(uow.tx, uow.tenantId, missing))]);
  }
  for (const key of change.keys()) if (!moved.has(key)) throw new Error(`inventory: stock row ${key} vanished under its lock`);

  // Each decrease is checked in the order given (the statement applied their sum): refusing
  // throws, and the caller's transaction rolls the movements and the balances back.
  const onHand = new Map([...moved].map(([key, row]) => [key, row.onHandBefore]));
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
  for (const row of moved.values()) {
    if (row.reorderPoint !== null && row.onHand <= row.reorderPoint && !row.wasAlerted)
      crossings.push({ locationId: row.locationId, productId: row.productId, onHand: row.onHand, reorderPoint: row.reorderPoint });
  }
  for (const crossing of crossings) {
    const row = moved.get(itemKey(crossing.locationId, crossing.productId)) as MovedStock;
    const data = {
      productName: options.productNames?.get(row.productId) ?? `Product ${row.productId}`,
      locationName: options.locationNames.get(row.locationId) ?? row.locationId,
      onHand: crossing.onHand,
      reorderPoint: crossing.reorderPoint,
      reorderQuantity: row.reorderQuantity,
    };
    emit(uow, { type: 'inventory.stock.low', payload: { locationId: row.locationId, productId: row.productId, ...data } });
    await queueLowStockEmails(uow, data);
  }
  return crossings;
}
