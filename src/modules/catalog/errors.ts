import { AppError } from '../../kernel/errors.ts';

/** Catalog's error catalogue: each reason maps onto an envelope code. */
export const catalogErrors = {
  skuTaken: (sku: string) =>
    new AppError('CONFLICT', `A product with SKU ${sku} already exists.`, { reason: 'CATALOG_SKU_TAKEN', field: 'sku' }),
  productNotFound: () => new AppError('NOT_FOUND', 'Product was not found.', { reason: 'CATALOG_PRODUCT_NOT_FOUND' }),
  productArchived: () =>
    new AppError('CONFLICT', 'The product is archived; restore it before changing it.', { reason: 'CATALOG_PRODUCT_ARCHIVED' }),
};
