import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { PRODUCT_RESOURCE, product, productInput, productListQuery, productPatch } from './domain/product.ts';
import { createProduct, getProduct, listProducts, setProductArchived, updateProduct } from './product.service.ts';

const READ = { access: { permission: 'catalog.product.read' }, resource: PRODUCT_RESOURCE } as const;
const WRITE = { access: { permission: 'catalog.product.write' }, resource: PRODUCT_RESOURCE } as const;
const tags = ['catalog'];
const idParams = z.strictObject({ id: z.uuid({ error: 'must be a product id (UUID)' }) });
const one = z.object({ data: product });

export function productApiRoutes(app: AppInstance): void {
  app.get(
    '/v1/catalog/products',
    {
      config: READ,
      schema: {
        tags,
        summary: 'List products, name order, paginated',
        querystring: productListQuery,
        response: {
          200: z.object({
            data: z.array(product),
            pagination: z.object({ page: z.number(), pageSize: z.number(), total: z.number(), totalPages: z.number() }),
          }),
        },
      },
    },
    (request) => listProducts(serviceContext(request), request.query),
  );

  app.get(
    '/v1/catalog/products/:id',
    { config: READ, schema: { tags, summary: 'Get one product', params: idParams, response: { 200: one } } },
    async (request) => ({ data: await getProduct(serviceContext(request), request.params.id) }),
  );

  app.post(
    '/v1/catalog/products',
    { config: WRITE, schema: { tags, summary: 'Create a product', body: productInput, response: { 201: one } } },
    async (request, reply) => reply.code(201).send({ data: await createProduct(serviceContext(request), request.body) }),
  );

  app.patch(
    '/v1/catalog/products/:id',
    { config: WRITE, schema: { tags, summary: 'Change fields of a product', params: idParams, body: productPatch, response: { 200: one } } },
    async (request) => ({ data: await updateProduct(serviceContext(request), request.params.id, request.body) }),
  );

  app.post(
    '/v1/catalog/products/:id/archive',
    { config: WRITE, schema: { tags, summary: 'Archive a product (idempotent)', params: idParams, response: { 200: one } } },
    async (request) => ({ data: await setProductArchived(serviceContext(request), request.params.id, true) }),
  );

  app.post(
    '/v1/catalog/products/:id/restore',
    { config: WRITE, schema: { tags, summary: 'Restore an archived product (idempotent)', params: idParams, response: { 200: one } } },
    async (request) => ({ data: await setProductArchived(serviceContext(request), request.params.id, false) }),
  );
}
