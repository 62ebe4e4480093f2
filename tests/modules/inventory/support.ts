import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import type { TestApp } from '../../support/app.ts';
import { api, createProductVia, ownerQuery } from '../../support/catalog.ts';

const unique = () => randomBytes(4).toString('hex');

/** A location created through the API; fails loudly when refused. */
export async function createLocationVia(t: TestApp, tenant: string, input: { name?: string; code?: string; timeZone?: string } = {}): Promise<{ id: string; name: string }> {
  const response = await api(t, tenant, 'POST', '/v1/locations', { name: `Shop ${unique()}`, code: `S${unique()}`, timeZone: 'UTC', ...input });
  if (response.statusCode !== 201) throw new Error(`creating a location answered ${response.statusCode}: ${response.body}`);
  return (response.json() as { data: { id: string; name: string } }).data;
}

export async function newProduct(t: TestApp, tenant: string): Promise<string> {
  return (await createProductVia(t, tenant, { name: `Item ${unique()}`, sku: `IT-${unique()}` })).id;
}

/** A JSON request that must succeed; answers its `data`. */
export async function ok<T = unknown>(t: TestApp, tenant: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown): Promise<T> {
  const response = await t.app.inject({ method, url, headers: await t.headersFor(tenant), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  assert.ok(response.statusCode >= 200 && response.statusCode < 300, `${method} ${url} answered ${response.statusCode}: ${response.body}`);
  return (response.json() as { data: T }).data;
}

export function send(t: TestApp, tenant: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return api(t, tenant, method as 'POST', url, payload);
}

export async function receive(t: TestApp, tenant: string, locationId: string, productId: string, quantity: number): Promise<void> {
  await ok(t, tenant, 'POST', '/v1/inventory/receipts', { locationId, lines: [{ productId, quantity }] });
}

/** What the balance row says is on hand (0 when there is none). */
export async function onHand(t: TestApp, locationId: string, productId: string): Promise<number> {
  const { rows } = await ownerQuery<{ on_hand: number }>(t, 'SELECT on_hand FROM inventory_stock WHERE location_id = $1 AND product_id = $2', [locationId, productId]);
  return rows[0]?.on_hand ?? 0;
}

/** A use-case context as the system, in a tenant, on the app role's connections (row-level security applies). */
export function systemContext(t: TestApp, tenantId: string): ServiceContext {
  return { db: t.app.db, tenantId, actor: { kind: 'system', process: 'inventory-test' }, requestId: `test-${randomUUID()}`, log: t.app.log };
}

/** Every item whose balance differs from the sum of its ledger; empty when the invariant holds. */
export async function balanceMismatches(t: TestApp): Promise<unknown[]> {
  const { rows } = await ownerQuery(
    t,
    `SELECT s.tenant_id, s.location_id, s.product_id, s.on_hand, coalesce(m.total, 0) AS ledger
       FROM inventory_stock s
       FULL JOIN (SELECT tenant_id, location_id, product_id, sum(quantity)::int AS total FROM inventory_movement GROUP BY 1, 2, 3) m
         USING (tenant_id, location_id, product_id)
      WHERE coalesce(s.on_hand, 0) <> coalesce(m.total, 0)`,
  );
  return rows;
}

export async function outboxEvents(t: TestApp, tenantId: string, type: string): Promise<Record<string, unknown>[]> {
  const { rows } = await ownerQuery<{ payload: Record<string, unknown> }>(t, 'SELECT payload FROM jobs_outbox WHERE tenant_id = $1 AND type = $2 ORDER BY occurred_at, id', [tenantId, type]);
  return rows.map((row) => row.payload);
}
