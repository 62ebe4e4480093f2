import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceContext } from '../../kernel/context.ts';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { listProducts } from '../catalog/index.ts';
import { getLocation, listLocations } from '../locations/index.ts';
import { cancelCount, enterCounts, getCount, listCounts, postCount, startCount } from './count.service.ts';
import { adjustmentInput, itemParams, receiptInput, reorderInput, transferInput, type CountEntry, type TransferReceipt } from './domain/inventory.ts';
import { namesOf, productsOf } from './products.ts';
import { CountDetailPage, CountListPage } from './pages/count.page.tsx';
import { InventorySettingsPage, MovementFormPage, StockHistoryPage, StockOverviewPage, type MovementFormValues, type Option, type ReorderFormValues } from './pages/stock.page.tsx';
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

const noticeOf = (request: FastifyRequest) => {
  const { notice } = request.query as Record<string, unknown>;
  return typeof notice === 'string' ? notice.slice(0, 200) : undefined;
};
const withNotice = (path: string, text: string) => `${path}${path.includes('?') ? '&' : '?'}notice=${encodeURIComponent(text)}`;

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

/** Zod issues keyed by form field: the last named segment of the path, renamed where the form calls it differently. */
function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], rename: Record<string, string> = {}): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const segment = String([...issue.path].reverse().find((part) => typeof part === 'string') ?? 'form');
    errors[rename[segment] ?? segment] ??= issue.message;
  }
  return errors;
}

function movementValues(body: unknown): MovementFormValues {
  const fields = formFields(body);
  return {
    locationId: formText(fields.locationId),
    productId: formText(fields.productId),
    quantity: formText(fields.quantity),
    reference: formText(fields.reference),
    note: formText(fields.note),
  };
}

/** Entries of a table form whose fields are named `prefix.<productId>`; blank ones are left out. */
function perProduct(body: unknown, prefix: string): { productId: string; value: number }[] | undefined {
  const entries: { productId: string; value: number }[] = [];
  for (const [name, raw] of Object.entries(formFields(body))) {
    if (!name.startsWith(`${prefix}.`)) continue;
    const text = formText(raw).trim();
    if (text === '') continue;
    const value = wholeNumber(text);
    if (Number.isNaN(value)) return undefined;
    entries.push({ productId: name.slice(prefix.length + 1), value });
  }
  return entries;
}

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

  const sendHistory = async (
    request: FastifyRequest,
    reply: FastifyReply,
    item: { locationId: string; productId: string },
    form?: { values: ReorderFormValues; errors: FieldErrors },
    status = 200,
  ) => {
    const ctx = serviceContext(request);
    const { locationId, productId } = item;
    const product = namesOf(await productsOf(ctx, [productId])).get(productId) ?? productId;
    const location = await getLocation(ctx, locationId);
    const movements = await listMovements(ctx, locationId, productId);
    let reorder = form;
    if (!reorder && request.permissions.has('inventory.stock.adjust')) {
      const current = (await listStock(ctx, locationId)).find((stockItem) => stockItem.productId === productId);
      reorder = { values: { reorderPoint: String(current?.reorderPoint ?? ''), reorderQuantity: String(current?.reorderQuantity ?? '') }, errors: {} };
    }
    const page = StockHistoryPage({ locationName: location.name, productName: product, locationId, productId, movements, reorder, notice: noticeOf(request), chrome: chrome(request, reply) });
    return sendPage(reply, page, status);
  };

  app.get('/inventory/locations/:locationId/products/:productId/history', { config: READ, schema: { ...hidden, params: itemParams } }, async (request, reply) =>
    sendHistory(request, reply, request.params),
  );

  app.post('/inventory/locations/:locationId/products/:productId/reorder', { config: ADJUST, schema: { ...hidden, params: itemParams } }, async (request, reply) => {
    const fields = formFields(request.body);
    const values: ReorderFormValues = { reorderPoint: formText(fields.reorderPoint), reorderQuantity: formText(fields.reorderQuantity) };
    // The form always sends both fields (blank means none); a body without them is not this form.
    if (fields.reorderPoint === undefined || fields.reorderQuantity === undefined) return sendHistory(request, reply, request.params, { values, errors: { reorderPoint: 'is required' } }, 422);
    const blankOr = (text: string) => (text.trim() === '' ? null : wholeNumber(text));
    const parsed = reorderInput.safeParse({ reorderPoint: blankOr(values.reorderPoint), reorderQuantity: blankOr(values.reorderQuantity) });
    if (!parsed.success) return sendHistory(request, reply, request.params, { values, errors: fieldErrors(parsed.error.issues) }, 422);
    await setReorderPoint(serviceContext(request), request.params.locationId, request.params.productId, parsed.data);
    const { locationId, productId } = request.params;
    return reply.redirect(withNotice(`/inventory/locations/${locationId}/products/${productId}/history`, 'Reorder point saved.'), 303);
  });

  for (const mode of ['receive', 'adjust'] as const) {
    const config = mode === 'receive' ? RECEIVE : ADJUST;
    const sendForm = async (request: FastifyRequest, reply: FastifyReply, values: MovementFormValues, errors: FieldErrors, formError?: string, status = 200) => {
      const ctx = serviceContext(request);
      const [{ options: locations }, products] = await Promise.all([locationOptions(ctx), productOptions(ctx)]);
      return sendPage(reply, MovementFormPage({ mode, locations, products, values, errors, formError, chrome: chrome(request, reply) }), status);
    };

    app.get(`/inventory/${mode}`, { config, schema: hidden }, async (request, reply) =>
      sendForm(request, reply, { locationId: '', productId: '', quantity: '', reference: '', note: '' }, {}),
    );

    app.post(`/inventory/${mode}`, { config, schema: hidden }, async (request, reply) => {
      const ctx = serviceContext(request);
      const values = movementValues(request.body);
      const quantity = wholeNumber(values.quantity);
      try {
        if (mode === 'receive') {
          const parsed = receiptInput.safeParse({
            locationId: values.locationId,
            lines: [{ productId: values.productId, quantity }],
            reference: optional(values.reference),
            note: optional(values.note),
          });
          if (!parsed.success) return await sendForm(request, reply, values, fieldErrors(parsed.error.issues), undefined, 422);
          await receiveStock(ctx, parsed.data);
        } else {
          const parsed = adjustmentInput.safeParse({ locationId: values.locationId, productId: values.productId, quantityDelta: quantity, reason: values.note });
          if (!parsed.success) return await sendForm(request, reply, values, fieldErrors(parsed.error.issues, { quantityDelta: 'quantity', reason: 'note' }), undefined, 422);
          await adjustStock(ctx, parsed.data);
        }
      } catch (error) {
        const rejection = formRejection(error);
        return sendForm(request, reply, values, rejection.errors, rejection.formError, rejection.status);
      }
      return reply.redirect(withNotice(`/inventory?locationId=${values.locationId}`, mode === 'receive' ? 'Goods received.' : 'Stock adjusted.'), 303);
    });
  }

  app.get('/inventory/settings', { config: SETTINGS, schema: hidden }, async (request, reply) => {
    const settings = await getInventorySettings(serviceContext(request));
    return sendPage(reply, InventorySettingsPage({ ...settings, notice: noticeOf(request), chrome: chrome(request, reply) }));
  });

  app.post('/inventory/settings', { config: SETTINGS, schema: hidden }, async (request, reply) => {
    const value = formText(formFields(request.body).allowNegativeStock);
    // Only what the checkbox sends: anything else is a tampered form, not "unticked".
    if (value !== 'true' && value !== 'false') {
      const settings = await getInventorySettings(serviceContext(request));
      return sendPage(reply, InventorySettingsPage({ ...settings, chrome: chrome(request, reply) }), 422);
    }
    await setInventorySettings(serviceContext(request), { allowNegativeStock: value === 'true' });
    return reply.redirect(withNotice('/inventory/settings', 'Settings saved.'), 303);
  });

  // Stock counts.
  const sendCountList = async (request: FastifyRequest, reply: FastifyReply, formError?: string, status = 200) => {
    const ctx = serviceContext(request);
    const [counts, { options, names }] = await Promise.all([listCounts(ctx), locationOptions(ctx)]);
    return sendPage(reply, CountListPage({ counts, locations: options, locationNames: names, notice: noticeOf(request), formError, chrome: chrome(request, reply) }), status);
  };

  const sendCount = async (request: FastifyRequest, reply: FastifyReply, id: string, formError?: string, status = 200) => {
    const ctx = serviceContext(request);
    const count = await getCount(ctx, id);
    const location = await getLocation(ctx, count.locationId);
    const productNames = namesOf(await productsOf(ctx, count.lines.map((line) => line.productId)));
    const onCount = new Set(count.lines.map((line) => line.productId));
    const products = count.status === 'open' ? (await productOptions(ctx)).filter((option) => !onCount.has(option.value)) : [];
    return sendPage(reply, CountDetailPage({ count, locationName: location.name, productNames, products, notice: noticeOf(request), formError, chrome: chrome(request, reply) }), status);
  };

  app.get('/inventory/counts', { config: COUNT, schema: hidden }, async (request, reply) => sendCountList(request, reply));

  app.post('/inventory/counts', { config: COUNT, schema: hidden }, async (request, reply) => {
    const locationId = z.uuid().safeParse(formText(formFields(request.body).locationId));
    if (!locationId.success) return sendCountList(request, reply, 'Choose a location to count.', 422);
    try {
      const count = await startCount(serviceContext(request), locationId.data);
      return reply.redirect(`/inventory/counts/${count.id}`, 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendCountList(request, reply, rejection.formError ?? 'The count could not be started.', rejection.status);
    }
  });

  app.get('/inventory/counts/:id', { config: COUNT, schema: { ...hidden, params: idParams } }, async (request, reply) => sendCount(request, reply, request.params.id));

  app.post('/inventory/counts/:id/lines', { config: COUNT, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const { id } = request.params;
    const entries = perProduct(request.body, 'counted');
    const fields = formFields(request.body);
    const addProductId = formText(fields.addProductId).trim();
    const addCounted = formText(fields.addCounted).trim();
    if (entries && addProductId !== '' && addCounted !== '') entries.push({ productId: addProductId, value: wholeNumber(addCounted) });
    const parsed = z
      .array(z.object({ productId: z.uuid(), counted: z.number().int().min(0).max(1_000_000) }))
      .min(1)
      .safeParse(entries?.map(({ productId, value }) => ({ productId, counted: value })));
    if (!parsed.success) return sendCount(request, reply, id, 'Enter counted quantities as whole numbers, 0 or more.', 422);
    try {
      await enterCounts(serviceContext(request), id, { lines: parsed.data } satisfies CountEntry);
    } catch (error) {
      const rejection = formRejection(error);
      return sendCount(request, reply, id, rejection.formError ?? Object.values(rejection.errors)[0], rejection.status);
    }
    return reply.redirect(withNotice(`/inventory/counts/${id}`, 'Counted quantities saved.'), 303);
  });

  for (const [action, run, done] of [
    ['post', postCount, 'Count posted; stock corrected.'],
    ['cancel', cancelCount, 'Count cancelled.'],
  ] as const) {
    app.post(`/inventory/counts/:id/${action}`, { config: COUNT, schema: { ...hidden, params: idParams } }, async (request, reply) => {
      const { id } = request.params;
      try {
        await run(serviceContext(request), id);
      } catch (error) {
        const rejection = formRejection(error);
        return sendCount(request, reply, id, rejection.formError, rejection.status);
      }
      return reply.redirect(withNotice(`/inventory/counts/${id}`, done), 303);
    });
  }

  // Transfers.
  const emptyTransfer: TransferFormValues = { fromLocationId: '', toLocationId: '', productId: '', quantity: '', note: '' };
  const sendTransferList = async (request: FastifyRequest, reply: FastifyReply, values: TransferFormValues, errors: FieldErrors, formError?: string, status = 200) => {
    const ctx = serviceContext(request);
    const [transfers, { options, names }, products] = await Promise.all([listTransfers(ctx), locationOptions(ctx), productOptions(ctx)]);
    return sendPage(
      reply,
      TransferListPage({ transfers, locations: options, products, locationNames: names, values, errors, formError, notice: noticeOf(request), chrome: chrome(request, reply) }),
      status,
    );
  };

  const sendTransferPage = async (request: FastifyRequest, reply: FastifyReply, id: string, formError?: string, status = 200) => {
    const ctx = serviceContext(request);
    const transfer = await getTransfer(ctx, id);
    const { names } = await locationOptions(ctx);
    const productNames = namesOf(await productsOf(ctx, transfer.lines.map((line) => line.productId)));
    return sendPage(reply, TransferDetailPage({ transfer, locationNames: names, productNames, notice: noticeOf(request), formError, chrome: chrome(request, reply) }), status);
  };

  app.get('/inventory/transfers', { config: TRANSFER, schema: hidden }, async (request, reply) => sendTransferList(request, reply, emptyTransfer, {}));

  app.post('/inventory/transfers', { config: TRANSFER, schema: hidden }, async (request, reply) => {
    const fields = formFields(request.body);
    const values: TransferFormValues = {
      fromLocationId: formText(fields.fromLocationId),
      toLocationId: formText(fields.toLocationId),
      productId: formText(fields.productId),
      quantity: formText(fields.quantity),
      note: formText(fields.note),
    };
    const parsed = transferInput.safeParse({
      fromLocationId: values.fromLocationId,
      toLocationId: values.toLocationId,
      note: optional(values.note),
      lines: [{ productId: values.productId, quantity: wholeNumber(values.quantity) }],
    });
    if (!parsed.success) return sendTransferList(request, reply, values, fieldErrors(parsed.error.issues), undefined, 422);
    try {
      const transfer = await createTransfer(serviceContext(request), parsed.data);
      return reply.redirect(`/inventory/transfers/${transfer.id}`, 303);
    } catch (error) {
      const rejection = formRejection(error);
      return sendTransferList(request, reply, values, rejection.errors, rejection.formError, rejection.status);
    }
  });

  app.get('/inventory/transfers/:id', { config: TRANSFER, schema: { ...hidden, params: idParams } }, async (request, reply) =>
    sendTransferPage(request, reply, request.params.id),
  );

  app.post('/inventory/transfers/:id/receive', { config: TRANSFER, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const { id } = request.params;
    const entries = perProduct(request.body, 'received');
    // The page sends one received field per line; a body without any is not this form.
    if (!Object.keys(formFields(request.body)).some((name) => name.startsWith('received.')))
      return sendTransferPage(request, reply, id, 'Enter the received quantity of each line.', 422);
    const parsed = z
      .array(z.object({ productId: z.uuid(), receivedQuantity: z.number().int().min(0).max(1_000_000) }))
      .safeParse(entries?.map(({ productId, value }) => ({ productId, receivedQuantity: value })));
    if (!parsed.success) return sendTransferPage(request, reply, id, 'Enter received quantities as whole numbers, 0 or more.', 422);
    try {
      await receiveTransfer(serviceContext(request), id, { lines: parsed.data } satisfies TransferReceipt);
    } catch (error) {
      const rejection = formRejection(error);
      return sendTransferPage(request, reply, id, rejection.formError ?? Object.values(rejection.errors)[0], rejection.status);
    }
    return reply.redirect(withNotice(`/inventory/transfers/${id}`, 'Transfer received.'), 303);
  });

  for (const [action, run, done] of [
    ['send', sendTransfer, 'Transfer sent.'],
    ['cancel', cancelTransfer, 'Transfer cancelled.'],
  ] as const) {
    app.post(`/inventory/transfers/:id/${action}`, { config: TRANSFER, schema: { ...hidden, params: idParams } }, async (request, reply) => {
      const { id } = request.params;
      try {
        await run(serviceContext(request), id);
      } catch (error) {
        const rejection = formRejection(error);
        return sendTransferPage(request, reply, id, rejection.formError, rejection.status);
      }
      return reply.redirect(withNotice(`/inventory/transfers/${id}`, done), 303);
    });
  }
}
