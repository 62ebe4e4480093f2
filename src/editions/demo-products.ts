import { AppError } from '../kernel/errors.ts';
import type { ServiceContext } from '../kernel/context.ts';
import { createProduct, type ProductInput } from '../modules/catalog/index.ts';

/** Adds demo products through catalog's use case; products already there (same SKU) are left alone. */
export async function seedProducts(ctx: ServiceContext, products: readonly ProductInput[]): Promise<void> {
  for (const product of products) {
    try {
      await createProduct(ctx, product);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
    }
  }
}
