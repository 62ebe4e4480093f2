import { z } from 'zod';
import { currencyCode } from '../../../kernel/money/index.ts';
import { text } from '../../../kernel/text/index.ts';
import { timeZoneName } from '../../../kernel/time/index.ts';

export const taxRate = z.strictObject({
  code: z.string().trim().toUpperCase().regex(/^[A-Z0-9_]{1,8}$/, { error: 'must be 1 to 8 capital letters, digits or _' }),
  label: text(60).pipe(z.string().min(1, { error: 'is required' })),
  rateBp: z.number().int().min(0).max(10_000),
});
export type TaxRate = z.output<typeof taxRate>;

const prefix = z.string().trim().toUpperCase().regex(/^[A-Z0-9-]{1,8}$/, { error: 'must be 1 to 8 capital letters, digits or -' });

/** Everything the first-run setup asks for; the page, the API and `plinth setup` share it. */
export const setupInput = z
  .strictObject({
    businessName: text(120).pipe(z.string().min(1, { error: 'is required' })),
    slug: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$/, { error: 'must be 3 to 48 lower-case letters, digits or -' }),
    timeZone: timeZoneName,
    adminName: text(120).pipe(z.string().min(1, { error: 'is required' })),
    adminEmail: z.email({ error: 'must be an email address' }).max(254),
    adminPassword: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(256),
    currency: currencyCode,
    pricesIncludeTax: z.boolean().default(true),
    taxRates: z.array(taxRate).min(1).max(10),
    defaultTaxCode: z.string().trim().toUpperCase().min(1).max(8),
    receiptPrefix: prefix.default('R'),
    invoicePrefix: prefix.default('INV'),
  })
  .refine((input) => input.taxRates.some((rate) => rate.code === input.defaultTaxCode), { error: 'must name one of the tax rates', path: ['defaultTaxCode'] })
  .refine((input) => new Set(input.taxRates.map((rate) => rate.code)).size === input.taxRates.length, { error: 'tax rate codes must differ', path: ['taxRates'] });
export type SetupInput = z.output<typeof setupInput>;

/** The API's request: the setup itself and the one-time code the server printed. */
export const setupRequest = z.strictObject({ code: z.string().trim().min(1).max(64), setup: setupInput });
