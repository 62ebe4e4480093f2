import { and, desc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { emit } from '../../kernel/jobs/index.ts';
import { withTenantTx, type UnitOfWork } from '../../kernel/tenancy/index.ts';
import { assertActiveLocation } from '../locations/index.ts';
import type { Transfer, TransferInput, TransferReceipt } from './domain/inventory.ts';
import { inventoryErrors } from './errors.ts';
import { inventoryTransfer, inventoryTransferLine } from './inventory.table.ts';
import { appendMovements } from './ledger.ts';
import { productsOf } from './products.ts';

/*
 * A transfer moves stock between two locations of the tenant:
 *   draft → send (transfer_out at the source; the goods are in transit, shown at the destination)
 *         → receive (transfer_in at the destination of what arrived; the shortfall per line is the
 *           recorded discrepancy, gone from both locations)
 *   draft or in transit → cancel (in transit: a transfer_in at the source puts the goods back).
 */

type TransferRow = typeof inventoryTransfer.$inferSelect;
type LineRow = typeof inventoryTransferLine.$inferSelect;
const target = (id: string) => ({ type: 'inventory.transfer', id });

function toTransfer(row: TransferRow, lines: LineRow[]): Transfer {
  return {
    id: row.id,
    fromLocationId: row.fromLocationId,
    toLocationId: row.toLocationId,
    status: row.status,
    note: row.note,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    receivedAt: row.receivedAt?.toISOString() ?? null,
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    lines: lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      receivedQuantity: line.receivedQuantity,
      discrepancy: line.receivedQuantity === null ? null : line.quantity - line.receivedQuantity,
    })),
  };
}

const ofTransfer = (ctx: Pick<ServiceContext, 'tenantId'>, id: string) => and(eq(inventoryTransfer.tenantId, ctx.tenantId), eq(inventoryTransfer.id, id));
const linesOf = (uow: UnitOfWork, id: string) =>
  uow.tx
    .select()
    .from(inventoryTransferLine)
    .where(and(eq(inventoryTransferLine.tenantId, uow.tenantId), eq(inventoryTransferLine.transferId, id)))
    .orderBy(inventoryTransferLine.productId);

async function lockTransfer(uow: UnitOfWork, id: string): Promise<TransferRow> {
  const [row] = await uow.tx.select().from(inventoryTransfer).where(ofTransfer(uow, id)).for('update');
  if (!row) throw inventoryErrors.transferNotFound();
  return row;
}

async function setStatus(uow: UnitOfWork, id: string, status: TransferRow['status'], stamp: 'sentAt' | 'receivedAt' | 'cancelledAt'): Promise<TransferRow> {
  const [row] = await uow.tx
    .update(inventoryTransfer)
    .set({ status, [stamp]: sql`now()` })
    .where(ofTransfer(uow, id))
    .returning();
  if (!row) throw inventoryErrors.transferNotFound();
  return row;
}

export async function createTransfer(ctx: ServiceContext, input: TransferInput): Promise<Transfer> {
  if (input.fromLocationId === input.toLocationId) throw inventoryErrors.sameLocation();
  await productsOf(
    ctx,
    input.lines.map((line) => line.productId),
  );
  // The same product twice on one transfer is one line of the summed quantity.
  const quantities = new Map<string, number>();
  for (const line of input.lines) quantities.set(line.productId, (quantities.get(line.productId) ?? 0) + line.quantity);
  return withTenantTx(ctx, async (uow) => {
    const from = await assertActiveLocation(uow, input.fromLocationId);
    const to = await assertActiveLocation(uow, input.toLocationId);
    const [row] = await uow.tx.insert(inventoryTransfer).values({ tenantId: ctx.tenantId, fromLocationId: from.id, toLocationId: to.id, note: input.note ?? null }).returning();
    if (!row) throw new Error('inventory: transfer insert returned no row');
    await uow.tx.insert(inventoryTransferLine).values([...quantities].map(([productId, quantity]) => ({ tenantId: ctx.tenantId, transferId: row.id, productId, quantity })));
    const lines = await linesOf(uow, row.id);
    recordAudit(uow, {
      action: 'inventory.transfer.created',
      target: target(row.id),
      data: { fromLocationId: from.id, toLocationId: to.id, lines: lines.map(({ productId, quantity }) => ({ productId, quantity })) },
    });
    emit(uow, { type: 'inventory.transfer.created', payload: { transferId: row.id } });
    return toTransfer(row, lines);
  });
}

/** Takes the goods out of the source (refused like a sale when stock would go negative); they are then in transit. */
export async function sendTransfer(ctx: ServiceContext, id: string): Promise<Transfer> {
  return withTenantTx(ctx, async (uow) => {
    const transfer = await lockTransfer(uow, id);
    if (transfer.status !== 'draft') throw inventoryErrors.transferState(transfer.status, 'sent');
    const from = await assertActiveLocation(uow, transfer.fromLocationId);
    await assertActiveLocation(uow, transfer.toLocationId);
    const lines = await linesOf(uow, id);
    await appendMovements(
      uow,
      lines.map((line) => ({ locationId: from.id, productId: line.productId, kind: 'transfer_out' as const, quantity: -line.quantity, reference: id, reason: 'transfer sent' })),
      { locationNames: new Map([[from.id, from.name]]), enforceAvailability: true },
    );
    const row = await setStatus(uow, id, 'in_transit', 'sentAt');
    recordAudit(uow, { action: 'inventory.transfer.sent', target: target(id), data: {} });
    emit(uow, { type: 'inventory.transfer.sent', payload: { transferId: id } });
    return toTransfer(row, lines);
  });
}

/** Books what arrived at the destination; lines left out arrived in full, a shortfall is recorded as the line's discrepancy. */
export async function receiveTransfer(ctx: ServiceContext, id: string, receipt: TransferReceipt): Promise<Transfer> {
  return withTenantTx(ctx, async (uow) => {
    const transfer = await lockTransfer(uow, id);
    if (transfer.status !== 'in_transit') throw inventoryErrors.transferState(transfer.status, 'received');
    const to = await assertActiveLocation(uow, transfer.toLocationId);
    const lines = await linesOf(uow, id);
    const received = new Map(lines.map((line) => [line.productId, line.quantity]));
    for (const entry of receipt.lines) {
      const sent = received.get(entry.productId);
      if (sent === undefined) throw inventoryErrors.unknownLine(entry.productId);
      if (entry.receivedQuantity > sent) throw inventoryErrors.overReceived(entry.productId);
      received.set(entry.productId, entry.receivedQuantity);
    }
    await appendMovements(
      uow,
      lines
        .filter((line) => (received.get(line.productId) ?? 0) > 0)
        .map((line) => ({ locationId: to.id, productId: line.productId, kind: 'transfer_in' as const, quantity: received.get(line.productId) as number, reference: id, reason: 'transfer received' })),
      { locationNames: new Map([[to.id, to.name]]), enforceAvailability: true },
    );
    for (const line of lines)
      await uow.tx
        .update(inventoryTransferLine)
        .set({ receivedQuantity: received.get(line.productId) ?? 0 })
        .where(and(eq(inventoryTransferLine.tenantId, ctx.tenantId), eq(inventoryTransferLine.transferId, id), eq(inventoryTransferLine.productId, line.productId)));
    const row = await setStatus(uow, id, 'received', 'receivedAt');
    const after = await linesOf(uow, id);
    const result = toTransfer(row, after);
    const discrepancies = result.lines.filter((line) => (line.discrepancy ?? 0) > 0).map(({ productId, discrepancy }) => ({ productId, discrepancy }));
    recordAudit(uow, { action: 'inventory.transfer.received', target: target(id), data: { discrepancies } });
    emit(uow, { type: 'inventory.transfer.received', payload: { transferId: id, discrepancies } });
    return result;
  });
}

/** Cancels before receipt; goods already sent go back into the source's stock. */
export async function cancelTransfer(ctx: ServiceContext, id: string): Promise<Transfer> {
  return withTenantTx(ctx, async (uow) => {
    const transfer = await lockTransfer(uow, id);
    if (transfer.status !== 'draft' && transfer.status !== 'in_transit') throw inventoryErrors.transferState(transfer.status, 'cancelled');
    const lines = await linesOf(uow, id);
    if (transfer.status === 'in_transit') {
      const from = await assertActiveLocation(uow, transfer.fromLocationId);
      await appendMovements(
        uow,
        lines.map((line) => ({ locationId: from.id, productId: line.productId, kind: 'transfer_in' as const, quantity: line.quantity, reference: id, reason: 'transfer cancelled' })),
        { locationNames: new Map([[from.id, from.name]]), enforceAvailability: true },
      );
    }
    const row = await setStatus(uow, id, 'cancelled', 'cancelledAt');
    recordAudit(uow, { action: 'inventory.transfer.cancelled', target: target(id), data: { wasInTransit: transfer.status === 'in_transit' } });
    emit(uow, { type: 'inventory.transfer.cancelled', payload: { transferId: id } });
    return toTransfer(row, lines);
  });
}

export async function getTransfer(ctx: ServiceContext, id: string): Promise<Transfer> {
  return withTenantTx(ctx, async (uow) => {
    const [row] = await uow.tx.select().from(inventoryTransfer).where(ofTransfer(ctx, id));
    if (!row) throw inventoryErrors.transferNotFound();
    return toTransfer(row, await linesOf(uow, id));
  });
}

export function listTransfers(ctx: ServiceContext): Promise<Omit<Transfer, 'lines'>[]> {
  return withTenantTx(ctx, async (uow) => {
    const rows = await uow.tx.select().from(inventoryTransfer).where(eq(inventoryTransfer.tenantId, ctx.tenantId)).orderBy(desc(inventoryTransfer.createdAt)).limit(100);
    return rows.map((row) => {
      const { lines: _lines, ...rest } = toTransfer(row, []);
      return rest;
    });
  });
}

