import type { LightMyRequestResponse } from 'fastify';
import type pg from 'pg';
import type { TestApp } from './app.ts';

/** What the product API answers for one product. */
export interface ProductBody {
  id: string;
  name: string;
  sku: string;
  barcode: string | null;
  category: string | null;
  imageUrl: string | null;
  priceMinor: number;
  currency: string;
  active: boolean;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export interface ValidationIssueBody {
  in: string;
  path: string;
  message: string;
}

export const PRODUCTS_URL = '/v1/catalog/products';

/** Sends a JSON API request as the given tenant's owner (no credentials when `tenant` is undefined). */
export async function api(
  t: TestApp,
  tenant: string | undefined,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    headers: tenant === undefined ? {} : await t.headersFor(tenant),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

/** Creates a product through the API and fails loudly when the API refuses it. */
export async function createProductVia(
  t: TestApp,
  tenant: string,
  input: { name: string; sku: string; priceMinor?: number; currency?: string; active?: boolean },
): Promise<ProductBody> {
  const response = await api(t, tenant, 'POST', PRODUCTS_URL, { priceMinor: 100, currency: 'EUR', ...input });
  if (response.statusCode !== 201) throw new Error(`creating ${input.sku} answered ${response.statusCode}: ${response.body}`);
  return (response.json() as { data: ProductBody }).data;
}

/**
 * A query on the test database through `t.database`, the owner's connection: what tests read and
 * write behind the app's back is not narrowed by the app role's row-level security.
 */
export function ownerQuery<R extends pg.QueryResultRow = Record<string, unknown>>(
  t: TestApp,
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  return t.database.pool.query<R>(text, values);
}

/** Rows in catalog_product, optionally of one tenant: what a refused request must leave unchanged. */
export async function countProductRows(t: TestApp, tenantId?: string): Promise<number> {
  const result =
    tenantId === undefined
      ? await ownerQuery<{ n: number }>(t, 'SELECT count(*)::int AS n FROM catalog_product')
      : await ownerQuery<{ n: number }>(t, 'SELECT count(*)::int AS n FROM catalog_product WHERE tenant_id = $1', [tenantId]);
  return result.rows[0]?.n ?? -1;
}

/** Empties the catalog between tests that need a known set of rows. */
export async function deleteAllProducts(t: TestApp): Promise<void> {
  await ownerQuery(t, 'DELETE FROM catalog_product');
}
