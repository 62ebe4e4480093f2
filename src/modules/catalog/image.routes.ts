import { z } from 'zod';
import { serviceContext } from '../../kernel/http/index.ts';
import type { AppInstance } from '../../kernel/module/index.ts';
import { PRODUCT_RESOURCE, product } from './domain/product.ts';
import { getProductImage, PRODUCT_IMAGE_MAX_BYTES, PRODUCT_IMAGE_TYPES, removeProductImage, setProductImage } from './image.service.ts';

const READ = { access: { permission: 'catalog.product.read' }, resource: PRODUCT_RESOURCE } as const;
const WRITE = { access: { permission: 'catalog.product.write' }, resource: PRODUCT_RESOURCE } as const;
const tags = ['catalog'];
const idParams = z.strictObject({ id: z.uuid({ error: 'must be a product id (UUID)' }) });
const one = z.object({ data: product });
/** A little past the largest picture, so a slightly larger one is refused with a reason rather than a bare 413. */
const IMAGE_BODY_LIMIT = PRODUCT_IMAGE_MAX_BYTES + 64 * 1024;
/** A picture's URL carries its version, so a browser may keep each one for a year without asking again. */
const CACHE_FOR_A_YEAR = 'private, max-age=31536000, immutable';

export function productImageRoutes(app: AppInstance): void {
  // The picture is the request body as sent (a Buffer, which the edge's text rule leaves alone); what it really is, sharp decides.
  app.addContentTypeParser([...PRODUCT_IMAGE_TYPES], { parseAs: 'buffer', bodyLimit: IMAGE_BODY_LIMIT }, (_request, body, done) => done(null, body));

  app.put(
    '/v1/catalog/products/:id/image',
    {
      config: WRITE,
      bodyLimit: IMAGE_BODY_LIMIT,
      schema: {
        tags,
        summary: `Set a product's picture: the body is the JPEG, PNG, WebP or GIF file (content type image/…), at most ${PRODUCT_IMAGE_MAX_BYTES / 1024 / 1024} MB; stored resized to fit 480×480, as WebP`,
        params: idParams,
        body: z.instanceof(Buffer, { error: 'must be a picture sent as image/jpeg, image/png, image/webp or image/gif' }).meta({ type: 'string', format: 'binary' }),
        response: { 200: one },
      },
    },
    async (request) => ({ data: await setProductImage(serviceContext(request), request.params.id, request.body) }),
  );

  app.delete(
    '/v1/catalog/products/:id/image',
    { config: WRITE, schema: { tags, summary: "Remove a product's picture (idempotent)", params: idParams, response: { 200: one } } },
    async (request) => ({ data: await removeProductImage(serviceContext(request), request.params.id) }),
  );

  // Pages (the till's grid, the product list) load it with the browser session; the `v` parameter only versions the URL.
  app.get(
    '/catalog/products/:id/image',
    { config: READ, schema: { hide: true, params: idParams, querystring: z.object({ v: z.string().max(20).optional() }) } },
    async (request, reply) => {
      const image = await getProductImage(serviceContext(request), request.params.id);
      return reply
        .type(image.contentType)
        .header('cache-control', CACHE_FOR_A_YEAR)
        .header('last-modified', image.updatedAt.toUTCString())
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .send(image.content);
    },
  );
}
