/** Inventory's public surface: the only file other modules (the POS) and editions import. */
export { inventoryEvents } from './events.ts';
export { inventoryModule } from './manifest.ts';
export { openStockAt, stageSaleMovements, stageRefundMovements, receiveStock, adjustStock, setReorderPoint, listStock, getInventorySettings } from './stock.service.ts';
export { stockLowTemplate } from './low-stock.notify.ts';
export type { StockAt } from './stock.service.ts';
export type { Movement, ReceiptInput, SaleMovementsInput, StockItem, StockLine } from './domain/inventory.ts';
