import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { serviceContext } from '../../kernel/http/index.ts';
import { assertWritableFields, canWriteField, hiddenFields, withoutFields } from '../../kernel/http/index.ts';
import { formatMajorAmount, parseMajorAmount } from '../../kernel/money/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { chrome, formRoute, humanMessage, parseWith, sendPage, withNotice, type FieldErrors, type FormReader, type FormState, type Parsed } from '../../web/index.ts';
import { PRODUCT_RESOURCE, productInput, productListQuery, type Product, type ProductInput } from './domain/product.ts';
import { ProductFormPage, type CostAccess, type ProductFormValues } from './pages/product-form.page.tsx';
import { ProductListPage } from './pages/product-list.page.tsx';
import { createProduct, getProduct, listProducts, setProductArchived, updateProduct } from './product.service.ts';

const READ = { access: { permission: 'catalog.product.read' } } as const;
const WRITE = { access: { permission: 'catalog.product.write' } } as const;
const hidden = { hide: true };
const idParams = z.object({ id: z.uuid() });

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
function parseForm(values: ProductFormValues, request: FastifyRequest): Parsed<ProductInput> {
  const errors: FieldErrors = {};
  const currency = productInput.shape.currency.safeParse(values.currency, { error: humanMessage });
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
  const fields = { name: values.name, sku: values.sku, barcode: values.barcode, category: values.category, priceMinor: priceMinor ?? 0, currency: values.currency, active: values.active };
  return parseWith(productInput, costWritable ? { ...fields, costMinor: costMinor ?? null } : fields, { rename: { priceMinor: 'price', costMinor: 'cost' }, errors });
}

function formValues(form: FormReader): ProductFormValues {
  return {
    name: form.text('name'),
    sku: form.text('sku'),
    barcode: form.text('barcode'),
    category: form.text('category'),
    price: form.text('price'),
    currency: form.text('currency').toUpperCase(),
    cost: form.text('cost'),
    active: form.text('active') === 'true',
  };
}

/** The product form with this actor's cost access and page chrome; an edit shows the product's state. */
async function renderForm(form: FormState<ProductFormValues>, request: FastifyRequest<{ Params: { id?: string } }>, reply: FastifyReply) {
  const { id } = request.params;
  const product = id === undefined ? undefined : await getProduct(serviceContext(request), id);
  const mode = product ? { kind: 'edit' as const, id: product.id, archived: product.archivedAt !== null } : { kind: 'create' as const };
  return ProductFormPage({ ...form, mode, cost: costAccess(request), chrome: chrome(request, reply) });
}

const savedNotice = (verb: string, product: Product) => withNotice('/catalog/products', `${verb} ${product.name}.`);

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

  formRoute(app, {
    path: '/catalog/products',
    config: WRITE,
    show: { path: '/catalog/products/new', values: () => ({ name: '', sku: '', barcode: '', category: '', price: '', currency: 'EUR', cost: '', active: true }) },
    values: formValues,
    parse: parseForm,
    submit: async (input, request) => savedNotice('Created', await createProduct(serviceContext(request), input)),
    render: renderForm,
  });

  formRoute(app, {
    path: '/catalog/products/:id',
    config: WRITE,
    params: idParams,
    show: {
      path: '/catalog/products/:id/edit',
      config: READ,
      values: async (request) => {
        const product = visible(request, await getProduct(serviceContext(request), request.params.id));
        const price = formatMajorAmount(product.priceMinor, product.currency);
        return { name: product.name, sku: product.sku, barcode: product.barcode ?? '', category: product.category ?? '', price, currency: product.currency, cost: costText(product), active: product.active };
      },
    },
    values: formValues,
    parse: parseForm,
    submit: async (input, request) => savedNotice('Saved', await updateProduct(serviceContext(request), request.params.id, input)),
    render: renderForm,
  });

  for (const [action, archived] of [['archive', true], ['restore', false]] as const) {
    app.post(`/catalog/products/:id/${action}`, { config: WRITE, schema: { ...hidden, params: idParams } }, async (request, reply) => {
      const product = await setProductArchived(serviceContext(request), request.params.id, archived);
      const verb = archived ? 'Archived' : 'Restored';
      return reply.redirect(savedNotice(verb, product), 303);
    });
  }
}
