import { z } from 'zod';
import { currencyCode, minorAmount } from '../../../kernel/money/index.ts';
import { text } from '../../../kernel/text/index.ts';

/** The resource name routes declare so the product field rules (cost) apply to them. */
export const PRODUCT_RESOURCE = 'catalog.product';

export const PRODUCT_NAME_MAX = 200;
export const PRODUCT_SKU_MAX = 64;
export const PAGE_SIZE_MAX = 100;
export const PRODUCT_BARCODE_MAX = 64;
export const PRODUCT_CATEGORY_MAX = 60;

const name = z
  .string({ error: 'is required' })
  .trim()
  .min(1, { error: 'is required' })
  .max(PRODUCT_NAME_MAX, { error: `must be at most ${PRODUCT_NAME_MAX} characters` });

const sku = z
  .string({ error: 'is required' })
  .trim()
  .min(1, { error: 'is required' })
  .max(PRODUCT_SKU_MAX, { error: `must be at most ${PRODUCT_SKU_MAX} characters` })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, { error: 'may hold letters, digits and . _ - / only' });

/** EAN/UPC digits or a business's own code; empty text means none. */
const barcode = text(PRODUCT_BARCODE_MAX)
  .regex(/^([A-Za-z0-9][A-Za-z0-9._-]*)?$/, { error: 'may hold letters, digits and . _ - only' })
  .transform((value) => value || null)
  .nullable();

/** Empty text means none. */
const category = text(PRODUCT_CATEGORY_MAX)
  .transform((value) => value || null)
  .nullable();

export const productInput = z.strictObject({
  name,
  sku,
  barcode: barcode.optional(),
  category: category.optional(),
  priceMinor: minorAmount,
  currency: currencyCode,
  /** Unit cost in the product's currency; null when unknown. Needs catalog.product_cost.write. */
  costMinor: minorAmount.nullable().optional(),
  active: z.boolean({ error: 'must be true or false' }).default(true),
});
export type ProductInput = z.output<typeof productInput>;

// Without the create-time default: a PATCH that leaves `active` out must not reset it.
export const productPatch = productInput
  .extend({ active: z.boolean({ error: 'must be true or false' }) })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, { error: 'name at least one field to change' });
export type ProductPatch = z.output<typeof productPatch>;

/** Omitted status lists every product that is not archived. */
export const PRODUCT_STATUSES = ['active', 'inactive', 'archived'] as const;

export const productListQuery = z.strictObject({
  page: z.coerce.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(1).max(1_000_000).default(1),
  pageSize: z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(1)
    .max(PAGE_SIZE_MAX, { error: `must be at most ${PAGE_SIZE_MAX}` })
    .default(50),
  q: z.string().trim().max(PRODUCT_NAME_MAX).optional(),
  status: z.enum(PRODUCT_STATUSES).optional(),
});
export type ProductListQuery = z.output<typeof productListQuery>;

export const product = z.object({
  id: z.uuid(),
  name: z.string(),
  sku: z.string(),
  barcode: z.string().nullable(),
  category: z.string().nullable(),
  /** The picture's versioned URL (cacheable for long: a new picture gets a new URL); null when none. */
  imageUrl: z.string().nullable(),
  priceMinor: z.number().int(),
  currency: z.string().length(3),
  /** Absent for actors without catalog.product_cost.read (field rule). */
  costMinor: z.number().int().nullable().optional(),
  active: z.boolean(),
  archivedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Product = z.output<typeof product>;

export interface Page<T> {
  data: T[];
  pagination: { page: number; pageSize: number; total: number; totalPages: number };
}
