import { z } from 'zod';
import { defineEvents, type PayloadsOf } from '../../kernel/jobs/index.ts';
import { movement } from './domain/inventory.ts';

const id = z.guid();
const transfer = z.object({ transferId: id });
const quantity = z.number().int();

/** Inventory's events: stock moved (every movement), fell low, and counts and transfers along their way. */
export const inventoryEvents = defineEvents({
  'inventory.stock.moved': z.object({ movements: z.array(movement) }),
  'inventory.stock.low': z.object({
    locationId: id,
    productId: id,
    productName: z.string(),
    locationName: z.string(),
    onHand: quantity,
    reorderPoint: quantity,
    reorderQuantity: quantity.nullable(),
  }),
  'inventory.reorder_point.changed': z.object({ locationId: id, productId: id, reorderPoint: quantity.nullable(), reorderQuantity: quantity.nullable() }),
  'inventory.settings.changed': z.object({ allowNegativeStock: z.boolean() }),
  'inventory.count.started': z.object({ countId: id, locationId: id }),
  'inventory.count.entered': z.object({ countId: id, lines: z.array(z.object({ productId: id, counted: quantity })) }),
  'inventory.count.posted': z.object({ countId: id, locationId: id, movements: z.array(id) }),
  'inventory.count.cancelled': z.object({ countId: id }),
  'inventory.transfer.created': transfer,
  'inventory.transfer.sent': transfer,
  'inventory.transfer.received': z.object({ transferId: id, discrepancies: z.array(z.object({ productId: id, discrepancy: quantity.nullable() })) }),
  'inventory.transfer.cancelled': transfer,
});

declare module '../../kernel/jobs/index.ts' {
  interface EventMap extends PayloadsOf<typeof inventoryEvents> {}
}
