import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import { assertWritableFields, canWriteField, hiddenFields, withoutFields } from '../../kernel/http/index.ts';
import { formatMajorAmount, parseMajorAmount } from '../../kernel/money/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { chrome, formFields, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { PRODUCT_RESOURCE, productInput, productListQuery, type Product, type ProductInput } from './domain/product.ts';
import { ProductFormPage, type CostAccess, type ProductFormValues } from './pages/product-form.page.tsx';
import { ProductListPage } from './pages/product-list.page.tsx';
import { createProduct, getProduct, listProducts, setProductArchived, updateProduct } from './product.service.ts';

const READ = { access: { permission: 'catalog.product.read' } } as const;
const WRITE = { access: { permission: 'catalog.product.write' } } as const;
const hidden = { hide: true };
const idParams = z.object({ id: z.uuid() });

function formValues(body: unknown): ProductFormValues {
  const fields = formFields(body);
  return {
    name: formText(fields.name),
    sku: formText(fields.sku),
    price: formText(fields.price),
    currency: formText(fields.currency).toUpperCase(),
    cost: formText(fields.cost),
    active: formText(fields.active) === 'true',
  };
}

/** The cost field as the product field rule allows this actor. */
function costAccess(request: FastifyRequest): CostAccess {
  if (hiddenFields(request, PRODUCT_RESOURCE).includes('costMinor')) return 'hidden';
  return canWriteField(request, PRODUCT_RESOURCE, 'costMinor') ? 'write' : 'read';
}

const costText = (product: Product) => (product.costMinor == null ? '' : formatMajorAmount(product.costMinor, product.currency));

/** A major amount typed into a form, in minor units; undefined (with an error message) when it is not one. */
function formAmount(text: string, currency: string): { minor?: number; error?: string } {
  const minor = parseMajorAmount(text, currency);
  return minor === undefined ? { error: `must be an amount like ${formatMajorAmount(450, currency)}, not negative` } : { minor };
}

/**
 * Turns form text into the API's input; errors are keyed by form field so they show next to it.
 * The cost is part of the input only for actors who may set it; anyone else sending one is refused.
 */
function parseForm(request: FastifyRequest, values: ProductFormValues): { input?: ProductInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const currency = productInput.shape.currency.safeParse(values.currency);
  if (!currency.success) errors.currency = currency.error.issues[0]?.message;
  // With an unknown currency the amounts are still checked, as amounts with two decimals.
  const amountCurrency = currency.success ? currency.data : 'EUR';
  let priceMinor: number | undefined;
  if (values.price.trim() === '') errors.price = 'is required';
  else ({ minor: priceMinor, error: errors.price } = formAmount(values.price, amountCurrency));
  const costWritable = canWriteField(request, PRODUCT_RESOURCE, 'costMinor');
  if (!costWritable && values.cost.trim() !== '') assertWritableFields(request, PRODUCT_RESOURCE, ['costMinor']);
  let costMinor: number | null | undefined;
  if (costWritable) {
    if (values.cost.trim() === '') costMinor = null;
    else ({ minor: costMinor, error: errors.cost } = formAmount(values.cost, amountCurrency));
  }
  const fields = { name: values.name, sku: values.sku, priceMinor: priceMinor ?? 0, currency: values.currency, active: values.active };
  const parsed = productInput.safeParse(costWritable ? { ...fields, costMinor: costMinor ?? null } : fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === 'priceMinor' ? 'price' : issue.path[0] === 'costMinor' ? 'cost' : String(issue.path[0]);
      errors[field] ??= issue.message;
    }
  }
  return Object.values(errors).every((message) => message === undefined) && parsed.success ? { input: parsed.data, errors } : { errors };
}


type FormProps = Omit<Parameters<typeof ProductFormPage>[0], 'cost' | 'chrome'>;

/** The product form with this actor's cost access and page chrome. */
const sendForm = (request: FastifyRequest, reply: FastifyReply, props: FormProps, status = 200) =>
  sendPage(reply, ProductFormPage({ ...props, cost: costAccess(request), chrome: chrome(request, reply) }), status);

/** The product as this actor may see it: fields hidden by the field rules are dropped before rendering. */
const visible = (request: FastifyRequest, product: Product): Product => withoutFields(product, hiddenFields(request, PRODUCT_RESOURCE));

export function productPageRoutes(app: AppInstance): void {
  app.get('/catalog/products', { config: READ, schema: hidden }, async (request, reply) => {
    const { notice, ...filters } = request.query as Record<string, unknown>;
    // A hand-edited URL with a bad filter shows the default list rather than an error page.
    const query = productListQuery.safeParse(filters);
    const effective = query.success ? query.data : productListQuery.parse({});
    const page = await listProducts(serviceContext(request), effective);
    const noticeText = typeof notice === 'string' ? notice.slice(0, 200) : undefined;
    const shown = { ...page, data: page.data.map((product) => visible(request, product)) };
    const showCost = costAccess(request) !== 'hidden';
    return sendPage(reply, ProductListPage({ page: shown, query: effective, notice: noticeText, showCost, chrome: chrome(request, reply) }));
  });

  app.get('/catalog/products/new', { config: WRITE, schema: hidden }, async (request, reply) => {
    const values: ProductFormValues = { name: '', sku: '', price: '', currency: 'EUR', cost: '', active: true };
    return sendForm(request, reply, { mode: { kind: 'create' }, values, errors: {} });
  });

  app.post('/catalog/products', { config: WRITE, schema: hidden }, async (request, reply) => {
    const values = formValues(request.body);
    const { input, errors } = parseForm(request, values);
    const mode = { kind: 'create' as const };
    if (!input) return sendForm(request, reply, { mode, values, errors }, 422);
    try {
      const created = await createProduct(serviceContext(request), input);
      return reply.redirect(`/catalog/products?notice=${encodeURIComponent(`Created ${created.name}.`)}`, 303);
    } catch (error) {
      return sendForm(request, reply, { mode, values, ...formRejection(error) }, 422);
    }
  });

  app.get('/catalog/products/:id/edit', { config: READ, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const product = visible(request, await getProduct(serviceContext(request), request.params.id));
    const values: ProductFormValues = {
      name: product.name,
      sku: product.sku,
      price: formatMajorAmount(product.priceMinor, product.currency),
      currency: product.currency,
      cost: costText(product),
      active: product.active,
    };
    const mode = { kind: 'edit' as const, id: product.id, archived: product.archivedAt !== null };
    return sendForm(request, reply, { mode, values, errors: {} });
  });

  app.post('/catalog/products/:id', { config: WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
    const ctx = serviceContext(request);
    const values = formValues(request.body);
    const { input, errors } = parseForm(request, values);
    const current = await getProduct(ctx, request.params.id);
    const mode = { kind: 'edit' as const, id: current.id, archived: current.archivedAt !== null };
    if (!input) return sendForm(request, reply, { mode, values, errors }, 422);
    try {
      const saved = await updateProduct(ctx, current.id, input);
      return reply.redirect(`/catalog/products?notice=${encodeURIComponent(`Saved ${saved.name}.`)}`, 303);
    } catch (error) {
      return sendForm(request, reply, { mode, values, ...formRejection(error) }, 422);
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
