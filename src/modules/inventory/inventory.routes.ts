import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import {
  adjustmentInput,
  countEntry,
  countStart,
  movement,
  receiptInput,
  reorderInput,
  settingsInput,
  stockCount,
  stockItem,
  transfer,
  transferInput,
  transferReceipt,
} from './domain/inventory.ts';
import { cancelCount, enterCounts, getCount, listCounts, postCount, startCount } from './count.service.ts';
import { adjustStock, getInventorySettings, listMovements, listStock, receiveStock, setInventorySettings, setReorderPoint } from './stock.service.ts';
import { cancelTransfer, createTransfer, getTransfer, listTransfers, receiveTransfer, sendTransfer } from './transfer.service.ts';

const permission = (key: string) => ({ access: { permission: key } }) as const;
const READ = permission('inventory.stock.read');
const ADJUST = permission('inventory.stock.adjust');
const RECEIVE = permission('inventory.stock.receive');
const COUNT = permission('inventory.count.manage');
const TRANSFER = permission('inventory.transfer.manage');
const SETTINGS = permission('inventory.settings.write');
const tags = ['inventory'];
const idParams = z.strictObject({ id: z.uuid({ error: 'must be an id (UUID)' }) });
const locationParams = z.strictObject({ locationId: z.uuid({ error: 'must be a location id (UUID)' }) });
const itemParams = z.strictObject({ locationId: z.uuid({ error: 'must be a location id (UUID)' }), productId: z.uuid({ error: 'must be a product id (UUID)' }) });
const data = <T extends z.ZodType>(schema: T) => z.object({ data: schema });
const countSummary = stockCount.omit({ lines: true });
const transferSummary = transfer.omit({ lines: true });

export function inventoryApiRoutes(app: AppInstance): void {
  app.get(
    '/v1/inventory/locations/:locationId/stock',
    { config: READ, schema: { tags, summary: 'Stock of one location: on hand, in transit, reorder point', params: locationParams, response: { 200: data(z.array(stockItem)) } } },
    async (request) => ({ data: await listStock(serviceContext(request), request.params.locationId) }),
  );

  app.get(
    '/v1/inventory/locations/:locationId/products/:productId/movements',
    { config: READ, schema: { tags, summary: 'Ledger of one product at one location, newest first', params: itemParams, response: { 200: data(z.array(movement)) } } },
    async (request) => ({ data: await listMovements(serviceContext(request), request.params.locationId, request.params.productId) }),
  );

  app.put(
    '/v1/inventory/locations/:locationId/products/:productId/reorder',
    { config: ADJUST, schema: { tags, summary: 'Set the reorder point and quantity of an item', params: itemParams, body: reorderInput, response: { 200: data(stockItem) } } },
    async (request) => ({ data: await setReorderPoint(serviceContext(request), request.params.locationId, request.params.productId, request.body) }),
  );

  app.post(
    '/v1/inventory/receipts',
    { config: RECEIVE, schema: { tags, summary: 'Receive goods into a location', body: receiptInput, response: { 201: data(z.array(movement)) } } },
    async (request, reply) => reply.code(201).send({ data: await receiveStock(serviceContext(request), request.body) }),
  );

  app.post(
    '/v1/inventory/adjustments',
    { config: ADJUST, schema: { tags, summary: 'Adjust stock with a reason', body: adjustmentInput, response: { 201: data(movement) } } },
    async (request, reply) => reply.code(201).send({ data: await adjustStock(serviceContext(request), request.body) }),
  );

  app.get(
    '/v1/inventory/settings',
    { config: READ, schema: { tags, summary: 'Inventory settings', response: { 200: data(settingsInput) } } },
    async (request) => ({ data: await getInventorySettings(serviceContext(request)) }),
  );

  app.put(
    '/v1/inventory/settings',
    { config: SETTINGS, schema: { tags, summary: 'Change inventory settings', body: settingsInput, response: { 200: data(settingsInput) } } },
    async (request) => ({ data: await setInventorySettings(serviceContext(request), request.body) }),
  );

  app.get(
    '/v1/inventory/counts',
    { config: COUNT, schema: { tags, summary: 'Stock counts, newest first', response: { 200: data(z.array(countSummary)) } } },
    async (request) => ({ data: await listCounts(serviceContext(request)) }),
  );

  app.post(
    '/v1/inventory/counts',
    { config: COUNT, schema: { tags, summary: 'Start a stock count of a location (snapshots expected quantities)', body: countStart, response: { 201: data(stockCount) } } },
    async (request, reply) => reply.code(201).send({ data: await startCount(serviceContext(request), request.body.locationId) }),
  );

  app.get(
    '/v1/inventory/counts/:id',
    { config: COUNT, schema: { tags, summary: 'A stock count with its variance', params: idParams, response: { 200: data(stockCount) } } },
    async (request) => ({ data: await getCount(serviceContext(request), request.params.id) }),
  );

  app.put(
    '/v1/inventory/counts/:id/lines',
    { config: COUNT, schema: { tags, summary: 'Enter counted quantities (partial, repeatable)', params: idParams, body: countEntry, response: { 200: data(stockCount) } } },
    async (request) => ({ data: await enterCounts(serviceContext(request), request.params.id, request.body) }),
  );

  app.post(
    '/v1/inventory/counts/:id/post',
    { config: COUNT, schema: { tags, summary: 'Post a count as count_correction movements', params: idParams, response: { 200: data(stockCount) } } },
    async (request) => ({ data: await postCount(serviceContext(request), request.params.id) }),
  );

  app.post(
    '/v1/inventory/counts/:id/cancel',
    { config: COUNT, schema: { tags, summary: 'Cancel an open count', params: idParams, response: { 200: data(stockCount) } } },
    async (request) => ({ data: await cancelCount(serviceContext(request), request.params.id) }),
  );

  app.get(
    '/v1/inventory/transfers',
    { config: TRANSFER, schema: { tags, summary: 'Transfers, newest first', response: { 200: data(z.array(transferSummary)) } } },
    async (request) => ({ data: await listTransfers(serviceContext(request)) }),
  );

  app.post(
    '/v1/inventory/transfers',
    { config: TRANSFER, schema: { tags, summary: 'Create a draft transfer between two locations', body: transferInput, response: { 201: data(transfer) } } },
    async (request, reply) => reply.code(201).send({ data: await createTransfer(serviceContext(request), request.body) }),
  );

  app.get(
    '/v1/inventory/transfers/:id',
    { config: TRANSFER, schema: { tags, summary: 'A transfer with its lines', params: idParams, response: { 200: data(transfer) } } },
    async (request) => ({ data: await getTransfer(serviceContext(request), request.params.id) }),
  );

  app.post(
    '/v1/inventory/transfers/:id/send',
    { config: TRANSFER, schema: { tags, summary: 'Send a draft transfer (stock leaves the source)', params: idParams, response: { 200: data(transfer) } } },
    async (request) => ({ data: await sendTransfer(serviceContext(request), request.params.id) }),
  );

  app.post(
    '/v1/inventory/transfers/:id/receive',
    { config: TRANSFER, schema: { tags, summary: 'Receive a transfer, possibly short', params: idParams, body: transferReceipt, response: { 200: data(transfer) } } },
    async (request) => ({ data: await receiveTransfer(serviceContext(request), request.params.id, request.body) }),
  );

  app.post(
    '/v1/inventory/transfers/:id/cancel',
    { config: TRANSFER, schema: { tags, summary: 'Cancel a transfer before it is received', params: idParams, response: { 200: data(transfer) } } },
    async (request) => ({ data: await cancelTransfer(serviceContext(request), request.params.id) }),
  );
}
