/** Catalog's public surface: the only file other modules and editions import. */
export { catalogModule } from './manifest.ts';
export { createProduct, getProduct, listProducts, productsById } from './product.service.ts';
export type { Product, ProductInput } from './domain/product.ts';
