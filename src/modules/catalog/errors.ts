import { AppError } from '../../kernel/errors.ts';

/** Catalog's error catalogue: each reason maps onto an envelope code. */
export const catalogErrors = {
  skuTaken: (sku: string) =>
    new AppError('CONFLICT', `A product with SKU ${sku} already exists.`, { reason: 'CATALOG_SKU_TAKEN', field: 'sku' }),
  barcodeTaken: (barcode: string) =>
    new AppError('CONFLICT', `Another product already has the barcode ${barcode}.`, { reason: 'CATALOG_BARCODE_TAKEN', field: 'barcode' }),
  currencyMismatch: (wanted: string, business: string) =>
    new AppError('VALIDATION', `This business sells in ${business}: price the product in ${business}, not ${wanted} (its tills could not sell it).`, {
      reason: 'CATALOG_CURRENCY_MISMATCH',
      field: 'currency',
    }),
  imageRefused: (why: string) => new AppError('VALIDATION', why, { reason: 'CATALOG_IMAGE_REFUSED', field: 'image' }),
  imageNotFound: () => new AppError('NOT_FOUND', 'The product has no picture.', { reason: 'CATALOG_IMAGE_NOT_FOUND' }),
  productNotFound: () => new AppError('NOT_FOUND', 'Product was not found.', { reason: 'CATALOG_PRODUCT_NOT_FOUND' }),
  productArchived: () =>
    new AppError('CONFLICT', 'The product is archived; restore it before changing it.', { reason: 'CATALOG_PRODUCT_ARCHIVED' }),
};
