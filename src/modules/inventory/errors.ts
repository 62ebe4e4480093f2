import { AppError } from '../../kernel/errors.ts';

/** Inventory's error catalogue: each reason maps onto an envelope code. */
export const inventoryErrors = {
  insufficientStock: (item: { productId: string; productName?: string | undefined; locationId: string; locationName: string; onHand: number; requested: number }) =>
    new AppError(
      'CONFLICT',
      `Not enough stock of ${item.productName ?? `product ${item.productId}`} at ${item.locationName}: ${item.onHand} on hand, ${item.requested} needed.`,
      { reason: 'INSUFFICIENT_STOCK', productId: item.productId, locationId: item.locationId, onHand: item.onHand, requested: item.requested },
    ),
  countNotFound: () => new AppError('NOT_FOUND', 'Stock count was not found.', { reason: 'INVENTORY_COUNT_NOT_FOUND' }),
  countClosed: () => new AppError('CONFLICT', 'The stock count is already posted or cancelled.', { reason: 'INVENTORY_COUNT_CLOSED' }),
  countOpen: (locationName: string) =>
    new AppError('CONFLICT', `A stock count of ${locationName} is already open; post or cancel it first.`, { reason: 'INVENTORY_COUNT_ALREADY_OPEN' }),
  transferNotFound: () => new AppError('NOT_FOUND', 'Transfer was not found.', { reason: 'INVENTORY_TRANSFER_NOT_FOUND' }),
  transferState: (status: string, action: string) =>
    new AppError('CONFLICT', `A transfer that is ${status.replace('_', ' ')} cannot be ${action}.`, { reason: 'INVENTORY_TRANSFER_STATE', status }),
  sameLocation: () =>
    new AppError('VALIDATION', 'A transfer needs two different locations.', { reason: 'INVENTORY_TRANSFER_SAME_LOCATION', field: 'toLocationId' }),
  unknownLine: (productId: string) =>
    new AppError('VALIDATION', `Product ${productId} is not on this transfer.`, { reason: 'INVENTORY_TRANSFER_UNKNOWN_LINE', field: 'lines' }),
  overReceived: (productId: string) =>
    new AppError('VALIDATION', `More of product ${productId} received than was sent.`, { reason: 'INVENTORY_TRANSFER_OVER_RECEIVED', field: 'lines' }),
};
