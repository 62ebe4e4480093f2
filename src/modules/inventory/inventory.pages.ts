import { z } from 'zod';
import type { VNode } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceContext } from '../../kernel/context.ts';
import { serviceContext } from '../../kernel/http/index.ts';
import { nameActors } from '../../kernel/identity/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { actionRoute, chrome, firstError, formRoute, noticeOf, parseWith, sendPage, withNotice, type FormReader, type FormState, type Parsed } from '../../web/index.ts';
import { listProducts } from '../catalog/index.ts';
import { getLocation, listLocations } from '../locations/index.ts';
import { cancelCount, enterCounts, getCount, listCounts, postCount, startCount } from './count.service.ts';
import { adjustmentInput, itemParams, receiptInput, reorderInput, transferInput, type CountEntry, type TransferReceipt } from './domain/inventory.ts';
import { namesOf, productsOf } from './products.ts';
import { CountDetailPage, CountListPage } from './pages/count.page.tsx';
import { InventorySettingsPage, MovementFormPage, StockHistoryPage, StockOverviewPage, type MovementFormValues, type Option } from './pages/stock.page.tsx';
import { TransferDetailPage, TransferListPage, type TransferFormValues } from './pages/transfer.page.tsx';
import { adjustStock, getInventorySettings, listMovements, listStock, receiveStock, setInventorySettings, setReorderPoint } from './stock.service.ts';
import { cancelTransfer, createTransfer, getTransfer, listTransfers, receiveTransfer, sendTransfer } from './transfer.service.ts';

const permission = (key: string) => ({ access: { permission: key } }) as const;
const READ = permission('inventory.stock.read');
const ADJUST = permission('inventory.stock.adjust');
const RECEIVE = permission('inventory.stock.receive');
const COUNT = permission('inventory.count.manage');
const TRANSFER = permission('inventory.transfer.manage');
const SETTINGS = permission('inventory.settings.write');
const hidden = { hide: true };
const idParams = z.object({ id: z.uuid() });
const WHOLE = /^-?\d{1,9}$/;

/** Form text as a whole number, or NaN so the schema reports the field. */
const wholeNumber = (text: string) => (WHOLE.test(text.trim()) ? Number(text.trim()) : Number.NaN);
const optional = (text: string) => (text.trim() === '' ? undefined : text);

async function locationOptions(ctx: ServiceContext): Promise<{ options: Option[]; names: Map<string, string> }> {
  const all = await listLocations(ctx, { status: 'all' });
  return {
    options: all.filter((location) => !location.archivedAt).map((location) => ({ value: location.id, label: `${location.name} (${location.code})` })),
    names: new Map(all.map((location) => [location.id, location.name])),
  };
}

async function productOptions(ctx: ServiceContext): Promise<Option[]> {
  const page = await listProducts(ctx, { page: 1, pageSize: 100, status: 'active' });
  return page.data.map((product) => ({ value: product.id, label: `${product.name} (${product.sku})` }));
}

type RecordRequest = FastifyRequest<{ Params: { id: string } }>;

/** The buttons of a record's page (`<base>/:id/<action>`): each runs its use case and comes back to the page with a notice, or shows the refusal on it. */
function recordActions(
  app: AppInstance,
  base: string,
  config: typeof READ,
  render: (form: FormState<object>, request: RecordRequest, reply: FastifyReply) => Promise<VNode>,
  actions: readonly (readonly [string, (ctx: ServiceContext, id: string) => Promise<unknown>, string])[],
): void {
  for (const [action, run, done] of actions) {
    actionRoute(app, {
      path: `${base}/:id/${action}`,
      config,
      params: idParams,
      submit: async (_none, request) => {
        await run(serviceContext(request), request.params.id);
        return withNotice(`${base}/${request.params.id}`, done);
      },
      render,
    });
  }
}

const movementValues = (form: FormReader): MovementFormValues => ({
  locationId: form.text('locationId'),
  productId: form.text('productId'),
  quantity: form.text('quantity'),
  reference: form.text('reference'),
  note: form.text('note'),
});

/** Entries of a table form whose fields are named `prefix.<productId>`; blank ones are left out. */
function perProduct(form: FormReader, prefix: string): { productId: string; value: number }[] | undefined {
  const entries: { productId: string; value: number }[] = [];
  for (const name of form.names()) {
    if (!name.startsWith(`${prefix}.`)) continue;
    const text = form.text(name).trim();
    if (text === '') continue;
    const value = wholeNumber(text);
    if (Number.isNaN(value)) return undefined;
    entries.push({ productId: name.slice(prefix.length + 1), value });
  }
  return entries;
}

/** Adjustment input fields by the movement form's names for them. */
const ADJUSTMENT_FIELDS = { quantityDelta: 'quantity', reason: 'note' };

export function inventoryPageRoutes(app: AppInstance): void {
  app.get('/inventory', { config: READ, schema: hidden }, async (request, reply) => {
    const ctx = serviceContext(request);
    const { options } = await locationOptions(ctx);
    const asked = (request.query as Record<string, unknown>).locationId;
    // A bad or foreign location in a hand-edited URL shows the first location instead of an error page.
    const locationId = typeof asked === 'string' && options.some((option) => option.value === asked) ? asked : options[0]?.value;
    const items = locationId ? await listStock(ctx, locationId) : [];
    const productNames = namesOf(await productsOf(ctx, items.map((item) => item.productId)));
    return sendPage(reply, StockOverviewPage({ locations: options, locationId, items, productNames, notice: noticeOf(request), chrome: chrome(request, reply) }));
  });

  // A product's stock history holds the reorder form for those who may adjust stock.
  formRoute(app, {
    path: '/inventory/locations/:locationId/products/:productId/reorder',
    config: ADJUST,
    params: itemParams,
    show: {
      path: '/inventory/locations/:locationId/products/:productId/history',
      config: READ,
      values: async (request) => {
        const current = (await listStock(serviceContext(request), request.params.locationId)).find((stockItem) => stockItem.productId === request.params.productId);
        return { reorderPoint: String(current?.reorderPoint ?? ''), reorderQuantity: String(current?.reorderQuantity ?? ''), complete: true };
      },
    },
    // The form always sends both fields (blank means none); a body without them is not this form.
    values: (form) => ({ reorderPoint: form.text('reorderPoint'), reorderQuantity: form.text('reorderQuantity'), complete: form.has('reorderPoint') && form.has('reorderQuantity') }),
    parse: (values) => {
      if (!values.complete) return { errors: { reorderPoint: 'is required' } };
      const blankOr = (text: string) => (text.trim() === '' ? null : wholeNumber(text));
      return parseWith(reorderInput, { reorderPoint: blankOr(values.reorderPoint), reorderQuantity: blankOr(values.reorderQuantity) });
    },
    submit: async (input, request) => {
      const { locationId, productId } = request.params;
      await setReorderPoint(serviceContext(request), locationId, productId, input);
      return withNotice(`/inventory/locations/${locationId}/products/${productId}/history`, 'Reorder point saved.');
    },
    render: async (form, request, reply) => {
      const ctx = serviceContext(request);
      const { locationId, productId } = request.params;
      const product = namesOf(await productsOf(ctx, [productId])).get(productId) ?? productId;
      const [location, movements] = await Promise.all([getLocation(ctx, locationId), listMovements(ctx, locationId, productId)]);
      const reorder = request.permissions.has('inventory.stock.adjust') ? form : undefined;
      const nameOf = await nameActors(ctx, movements.map((movement) => movement.actor));
      return StockHistoryPage({ locationName: location.name, productName: product, locationId, productId, movements, nameOf, reorder, notice: noticeOf(request), chrome: chrome(request, reply) });
    },
  });

  /** Receiving goods and adjusting stock: one form of movement, each with its own input and use case. */
  const movementRoute = <Input extends { locationId: string }>(mode: 'receive' | 'adjust', config: typeof READ, parse: (values: MovementFormValues) => Parsed<Input>, run: (ctx: ServiceContext, input: Input) => Promise<unknown>, done: string) =>
    formRoute(app, {
      path: `/inventory/${mode}`,
      config,
      show: { path: `/inventory/${mode}`, values: () => ({ locationId: '', productId: '', quantity: '', reference: '', note: '' }) },
      values: movementValues,
      parse,
      submit: async (input, request) => {
        await run(serviceContext(request), input);
        return withNotice(`/inventory?locationId=${input.locationId}`, done);
      },
      render: async (form, request, reply) => {
        const ctx = serviceContext(request);
        const [{ options: locations }, products] = await Promise.all([locationOptions(ctx), productOptions(ctx)]);
        return MovementFormPage({ mode, locations, products, ...form, chrome: chrome(request, reply) });
      },
    });
  movementRoute(
    'receive',
    RECEIVE,
    (values) => parseWith(receiptInput, { locationId: values.locationId, lines: [{ productId: values.productId, quantity: wholeNumber(values.quantity) }], reference: optional(values.reference), note: optional(values.note) }),
    receiveStock,
    'Goods received.',
  );
  movementRoute(
    'adjust',
    ADJUST,
    (values) => parseWith(adjustmentInput, { locationId: values.locationId, productId: values.productId, quantityDelta: wholeNumber(values.quantity), reason: values.note }, { rename: ADJUSTMENT_FIELDS }),
    adjustStock,
    'Stock adjusted.',
  );

  app.get('/inventory/settings', { config: SETTINGS, schema: hidden }, async (request, reply) => {
    const settings = await getInventorySettings(serviceContext(request));
    return sendPage(reply, InventorySettingsPage({ ...settings, notice: noticeOf(request), chrome: chrome(request, reply) }));
  });

  formRoute(app, {
    path: '/inventory/settings',
    config: SETTINGS,
    values: (form) => ({ allowNegativeStock: form.text('allowNegativeStock') }),
    // Only what the checkbox sends: anything else is a tampered form, not "unticked".
    parse: ({ allowNegativeStock }) => (allowNegativeStock === 'true' || allowNegativeStock === 'false' ? { input: { allowNegativeStock: allowNegativeStock === 'true' } } : { errors: { allowNegativeStock: 'is not valid' } }),
    submit: async (input, request) => {
      await setInventorySettings(serviceContext(request), input);
      return withNotice('/inventory/settings', 'Settings saved.');
    },
    render: async (_form, request, reply) => InventorySettingsPage({ ...(await getInventorySettings(serviceContext(request))), chrome: chrome(request, reply) }),
  });

  // Stock counts: the list holds the form that starts one; a count's page its table of counted quantities and buttons.
  formRoute(app, {
    path: '/inventory/counts',
    config: COUNT,
    show: { path: '/inventory/counts', values: () => ({ locationId: '' }) },
    values: (form) => ({ locationId: form.text('locationId') }),
    parse: ({ locationId }) => {
      const parsed = z.uuid().safeParse(locationId);
      return parsed.success ? { input: parsed.data } : { errors: {}, formError: 'Choose a location to count.' };
    },
    submit: async (locationId, request) => `/inventory/counts/${(await startCount(serviceContext(request), locationId)).id}`,
    render: async (form, request, reply) => {
      const ctx = serviceContext(request);
      const [counts, { options, names }] = await Promise.all([listCounts(ctx), locationOptions(ctx)]);
      return CountListPage({ counts, locations: options, locationNames: names, notice: noticeOf(request), formError: firstError(form), chrome: chrome(request, reply) });
    },
  });

  const renderCount = async (form: FormState<unknown>, request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const ctx = serviceContext(request);
    const count = await getCount(ctx, request.params.id);
    const location = await getLocation(ctx, count.locationId);
    const productNames = namesOf(await productsOf(ctx, count.lines.map((line) => line.productId)));
    const onCount = new Set(count.lines.map((line) => line.productId));
    const products = count.status === 'open' ? (await productOptions(ctx)).filter((option) => !onCount.has(option.value)) : [];
    return CountDetailPage({ count, locationName: location.name, productNames, products, notice: noticeOf(request), formError: firstError(form), chrome: chrome(request, reply) });
  };

  formRoute(app, {
    path: '/inventory/counts/:id/lines',
    config: COUNT,
    params: idParams,
    show: { path: '/inventory/counts/:id', values: () => ({ entries: [] }) },
    values: (form) => {
      const entries = perProduct(form, 'counted');
      const [addProductId, addCounted] = [form.text('addProductId').trim(), form.text('addCounted').trim()];
      if (entries && addProductId !== '' && addCounted !== '') entries.push({ productId: addProductId, value: wholeNumber(addCounted) });
      return { entries };
    },
    parse: ({ entries }) => {
      const parsed = z
        .array(z.object({ productId: z.uuid(), counted: z.number().int().min(0).max(1_000_000) }))
        .min(1)
        .safeParse(entries?.map(({ productId, value }) => ({ productId, counted: value })));
      return parsed.success ? { input: { lines: parsed.data } satisfies CountEntry } : { errors: {}, formError: 'Enter counted quantities as whole numbers, 0 or more.' };
    },
    submit: async (entry, request) => {
      await enterCounts(serviceContext(request), request.params.id, entry);
      return withNotice(`/inventory/counts/${request.params.id}`, 'Counted quantities saved.');
    },
    render: renderCount,
  });

  recordActions(app, '/inventory/counts', COUNT, renderCount, [
    ['post', postCount, 'Count posted; stock corrected.'],
    ['cancel', cancelCount, 'Count cancelled.'],
  ]);

  // Transfers: the list holds the form for a new one; a transfer's page its received quantities and buttons.
  formRoute(app, {
    path: '/inventory/transfers',
    config: TRANSFER,
    show: { path: '/inventory/transfers', values: (): TransferFormValues => ({ fromLocationId: '', toLocationId: '', productId: '', quantity: '', note: '' }) },
    values: (form): TransferFormValues => ({
      fromLocationId: form.text('fromLocationId'),
      toLocationId: form.text('toLocationId'),
      productId: form.text('productId'),
      quantity: form.text('quantity'),
      note: form.text('note'),
    }),
    parse: (values) =>
      parseWith(transferInput, {
        fromLocationId: values.fromLocationId,
        toLocationId: values.toLocationId,
        note: optional(values.note),
        lines: [{ productId: values.productId, quantity: wholeNumber(values.quantity) }],
      }),
    submit: async (input, request) => `/inventory/transfers/${(await createTransfer(serviceContext(request), input)).id}`,
    render: async (form, request, reply) => {
      const ctx = serviceContext(request);
      const [transfers, { options, names }, products] = await Promise.all([listTransfers(ctx), locationOptions(ctx), productOptions(ctx)]);
      return TransferListPage({ transfers, locations: options, products, locationNames: names, ...form, notice: noticeOf(request), chrome: chrome(request, reply) });
    },
  });

  const renderTransfer = async (form: FormState<unknown>, request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const ctx = serviceContext(request);
    const transfer = await getTransfer(ctx, request.params.id);
    const { names } = await locationOptions(ctx);
    const productNames = namesOf(await productsOf(ctx, transfer.lines.map((line) => line.productId)));
    return TransferDetailPage({ transfer, locationNames: names, productNames, notice: noticeOf(request), formError: firstError(form), chrome: chrome(request, reply) });
  };

  formRoute(app, {
    path: '/inventory/transfers/:id/receive',
    config: TRANSFER,
    params: idParams,
    show: { path: '/inventory/transfers/:id', values: () => ({ sent: true, entries: [] }) },
    // The page sends one received field per line; a body without any is not this form.
    values: (form) => ({ sent: form.names().some((name) => name.startsWith('received.')), entries: perProduct(form, 'received') }),
    parse: ({ sent, entries }) => {
      if (!sent) return { errors: {}, formError: 'Enter the received quantity of each line.' };
      const parsed = z
        .array(z.object({ productId: z.uuid(), receivedQuantity: z.number().int().min(0).max(1_000_000) }))
        .safeParse(entries?.map(({ productId, value }) => ({ productId, receivedQuantity: value })));
      return parsed.success ? { input: { lines: parsed.data } satisfies TransferReceipt } : { errors: {}, formError: 'Enter received quantities as whole numbers, 0 or more.' };
    },
    submit: async (receipt, request) => {
      await receiveTransfer(serviceContext(request), request.params.id, receipt);
      return withNotice(`/inventory/transfers/${request.params.id}`, 'Transfer received.');
    },
    render: renderTransfer,
  });

  recordActions(app, '/inventory/transfers', TRANSFER, renderTransfer, [
    ['send', sendTransfer, 'Transfer sent.'],
    ['cancel', cancelTransfer, 'Transfer cancelled.'],
  ]);
}
