import { z } from 'zod';
import { AppError } from '../../kernel/http/errors.ts';
import { serviceContext } from '../../kernel/http/context.ts';
import { formatMajorAmount, parseMajorAmount } from '../../kernel/money/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { chrome, sendPage, type FieldErrors } from '../../web/index.ts';
import { productInput, productListQuery, type ProductInput } from './domain/product.ts';
import { ProductFormPage, type ProductFormValues } from './pages/product-form.page.tsx';
import { ProductListPage } from './pages/product-list.page.tsx';
import { createProduct, getProduct, listProducts, setProductArchived, updateProduct } from './product.service.ts';

const READ = { access: { permission: 'catalog.product.read' } } as const;
const WRITE = { access: { permission: 'catalog.product.write' } } as const;
const hidden = { hide: true };
const idParams = z.object({ id: z.uuid() });

/** A form field may arrive once, repeated (checkbox + hidden fallback) or not at all. */
const formText = (value: unknown): string => (Array.isArray(value) ? String(value.at(-1) ?? '') : typeof value === 'string' ? value : '');

function formValues(body: unknown): ProductFormValues {
  const fields = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return {
    name: formText(fields.name),
    sku: formText(fields.sku),
    price: formText(fields.price),
    currency: formText(fields.currency).toUpperCase(),
    active: formText(fields.active) === 'true',
  };
}

/** Turns form text into the API's input; errors are keyed by form field so they show next to it. */
function parseForm(values: ProductFormValues): { input?: ProductInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const currency = productInput.shape.currency.safeParse(values.currency);
  if (!currency.success) errors.currency = currency.error.issues[0]?.message;
  // With an unknown currency the price is still checked, as an amount with two decimals.
  const priceCurrency = currency.success ? currency.data : 'EUR';
  let priceMinor: number | undefined;
  if (values.price.trim() === '') errors.price = 'is required';
  else {
    priceMinor = parseMajorAmount(values.price, priceCurrency);
    if (priceMinor === undefined) errors.price = `must be an amount like ${formatMajorAmount(450, priceCurrency)}, not negative`;
  }
  const parsed = productInput.safeParse({ name: values.name, sku: values.sku, priceMinor: priceMinor ?? 0, currency: values.currency, active: values.active });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === 'priceMinor' ? 'price' : String(issue.path[0]);
      errors[field] ??= issue.message;
    }
  }
  return Object.keys(errors).length === 0 && parsed.success ? { input: parsed.data, errors } : { errors };
}

/** A use-case rejection (duplicate SKU, archived product) shown on the form instead of as JSON. */
function formRejection(error: unknown): { errors: FieldErrors; formError?: string } {
  if (!(error instanceof AppError) || error.code === 'INTERNAL') throw error;
  const field = typeof error.details?.field === 'string' ? error.details.field : undefined;
  return field ? { errors: { [field]: error.message } } : { errors: {}, formError: error.message };
}

export function productPageRoutes(app: AppInstance): void {
  app.get('/catalog/products', { config: READ, schema: hidden }, async (request, reply) => {
    const { notice, ...filters } = request.query as Record<string, unknown>;
    // A hand-edited URL with a bad filter shows the default list rather than an error page.
    const query = productListQuery.safeParse(filters);
    const effective = query.success ? query.data : productListQuery.parse({});
    const page = await listProducts(serviceContext(request), effective);
    const noticeText = typeof notice === 'string' ? notice.slice(0, 200) : undefined;
    return sendPage(reply, ProductListPage({ page, query: effective, notice: noticeText, chrome: chrome(request, reply) }));
  });

  app.get('/catalog/products/new', { config: WRITE, schema: hidden }, async (request, reply) => {
    const values: ProductFormValues = { name: '', sku: '', price: '', currency: 'EUR', active: true };
    return sendPage(reply, ProductFormPage({ mode: { kind: 'create' }, values, errors: {}, chrome: chrome(request, reply) }));
  });

  app.post('/catalog/products', { config: WRITE, schema: hidden }, async (request, reply) => {
    const values = formValues(request.body);
    const { input, errors } = parseForm(values);
    if (!input) return sendPage(reply, ProductFormPage({ mode: { kind: 'create' }, values, errors, chrome: chrome(request, reply) }), 422);
    try {
      const created = await createProduct(serviceContext(request), input);
      return reply.redirect(`/catalog/products?notice=${encodeURIComponent(`Created ${created.name}.`)}`, 303);
    } catch (error) {
      return sendPage(reply, ProductFormPage({ mode: { kind: 'create' }, values, ...formRejection(error), chrome: chrome(request, reply) }), 422);
    }
  });

  app.get('/catalog/products/:id/edit', { config: READ, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const product = await getProduct(serviceContext(request), request.params.id);
    const values: ProductFormValues = {
      name: product.name,
      sku: product.sku,
      price: formatMajorAmount(product.priceMinor, product.currency),
      currency: product.currency,
      active: product.active,
    };
    const mode = { kind: 'edit' as const, id: product.id, archived: product.archivedAt !== null };
    return sendPage(reply, ProductFormPage({ mode, values, errors: {}, chrome: chrome(request, reply) }));
  });

  app.post('/catalog/products/:id', { config: WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const ctx = serviceContext(request);
    const values = formValues(request.body);
    const { input, errors } = parseForm(values);
    const current = await getProduct(ctx, request.params.id);
    const mode = { kind: 'edit' as const, id: current.id, archived: current.archivedAt !== null };
    if (!input) return sendPage(reply, ProductFormPage({ mode, values, errors, chrome: chrome(request, reply) }), 422);
    try {
      const saved = await updateProduct(ctx, current.id, input);
      return reply.redirect(`/catalog/products?notice=${encodeURIComponent(`Saved ${saved.name}.`)}`, 303);
    } catch (error) {
      return sendPage(reply, ProductFormPage({ mode, values, ...formRejection(error), chrome: chrome(request, reply) }), 422);
    }
  });

  for (const [action, archived] of [['archive', true], ['restore', false]] as const) {
    app.post(`/catalog/products/:id/${action}`, { config: WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
        const product = await setProductArchived(serviceContext(request), request.params.id, archived);
      const verb = archived ? 'Archived' : 'Restored';
      return reply.redirect(`/catalog/products?notice=${encodeURIComponent(`${verb} ${product.name}.`)}`, 303);
    });
  }
}
