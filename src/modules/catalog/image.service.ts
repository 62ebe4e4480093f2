import { and, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { recordAudit } from '../../kernel/audit/index.ts';
import type { ServiceContext } from '../../kernel/context.ts';
import { withTenantTx } from '../../kernel/tenancy/index.ts';
import type { Product } from './domain/product.ts';
import { catalogErrors } from './errors.ts';
import { catalogProduct, catalogProductImage } from './product.table.ts';
import { getProduct } from './product.service.ts';

/** The largest upload taken (bytes): a phone photo fits; anything bigger is refused before it is decoded. */
export const PRODUCT_IMAGE_MAX_BYTES = 5 * 1024 * 1024;
/** Formats a picture may arrive in (what sharp found inside, not what the client claimed). */
export const PRODUCT_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif']);
/** A decompression bomb stops here (pixels), long before memory runs out. */
const MAX_INPUT_PIXELS = 40_000_000;
/** Big enough for a till tile on a high-density screen, small enough to keep in the database. */
const EDGE_PX = 480;
const SERVED_TYPE = 'image/webp';

export interface StoredImage {
  content: Buffer;
  contentType: string;
  updatedAt: Date;
}

/**
 * Decodes the upload (refusing what is not a picture of an accepted format or too large), turns it
 * upright by its EXIF orientation, fits it within 480×480 and re-encodes it as WebP: what is
 * served is never the bytes a client sent, and carries none of their metadata (location, camera).
 */
async function normalise(upload: Buffer): Promise<{ content: Buffer; width: number; height: number }> {
  if (upload.length === 0) throw catalogErrors.imageRefused('The picture is empty.');
  if (upload.length > PRODUCT_IMAGE_MAX_BYTES) throw catalogErrors.imageRefused(`The picture is larger than ${PRODUCT_IMAGE_MAX_BYTES / 1024 / 1024} MB.`);
  let format: string | undefined;
  try {
    ({ format } = await sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS }).metadata());
  } catch {
    throw catalogErrors.imageRefused('The file is not a picture (JPEG, PNG, WebP or GIF).');
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) throw catalogErrors.imageRefused(`Pictures in ${format ?? 'this'} format are not taken; use JPEG, PNG, WebP or GIF.`);
  try {
    const { data, info } = await sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS, animated: false })
      .rotate()
      .resize(EDGE_PX, EDGE_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { content: data, width: info.width, height: info.height };
  } catch {
    throw catalogErrors.imageRefused('The picture could not be read (damaged, or larger than 40 megapixels).');
  }
}

/** Sets (or replaces) a product's picture; its URL changes with it, so cached copies of the old one are never shown. */
export async function setProductImage(ctx: ServiceContext, productId: string, upload: Buffer): Promise<Product> {
  // Decoding is slow: outside the transaction, and only for a product that exists.
  await getProduct(ctx, productId);
  const image = await normalise(upload);
  await withTenantTx(ctx, async (uow) => {
    const [row] = await uow.tx
      .update(catalogProduct)
      .set({ imageUpdatedAt: sql`clock_timestamp()`, updatedAt: sql`now()` })
      .where(and(eq(catalogProduct.tenantId, ctx.tenantId), eq(catalogProduct.id, productId)))
      .returning({ imageUpdatedAt: catalogProduct.imageUpdatedAt });
    if (!row?.imageUpdatedAt) throw catalogErrors.productNotFound();
    const values = { ...image, contentType: SERVED_TYPE, updatedAt: row.imageUpdatedAt };
    await uow.tx
      .insert(catalogProductImage)
      .values({ tenantId: ctx.tenantId, productId, ...values })
      .onConflictDoUpdate({ target: [catalogProductImage.tenantId, catalogProductImage.productId], set: values });
    recordAudit(uow, { action: 'catalog.product.image_set', target: { type: 'catalog.product', id: productId }, data: { width: image.width, height: image.height, bytes: image.content.length } });
  });
  return getProduct(ctx, productId);
}

export async function removeProductImage(ctx: ServiceContext, productId: string): Promise<Product> {
  await withTenantTx(ctx, async (uow) => {
    const [row] = await uow.tx
      .update(catalogProduct)
      .set({ imageUpdatedAt: null, updatedAt: sql`now()` })
      .where(and(eq(catalogProduct.tenantId, ctx.tenantId), eq(catalogProduct.id, productId)))
      .returning({ id: catalogProduct.id });
    if (!row) throw catalogErrors.productNotFound();
    const removed = await uow.tx
      .delete(catalogProductImage)
      .where(and(eq(catalogProductImage.tenantId, ctx.tenantId), eq(catalogProductImage.productId, productId)))
      .returning({ productId: catalogProductImage.productId });
    if (removed.length > 0) recordAudit(uow, { action: 'catalog.product.image_removed', target: { type: 'catalog.product', id: productId }, data: {} });
  });
  return getProduct(ctx, productId);
}

export async function getProductImage(ctx: ServiceContext, productId: string): Promise<StoredImage> {
  const [row] = await withTenantTx(ctx, (uow) =>
    uow.tx
      .select({ content: catalogProductImage.content, contentType: catalogProductImage.contentType, updatedAt: catalogProductImage.updatedAt })
      .from(catalogProductImage)
      .where(and(eq(catalogProductImage.tenantId, ctx.tenantId), eq(catalogProductImage.productId, productId)))
      .limit(1),
  );
  if (!row) throw catalogErrors.imageNotFound();
  return row;
}
