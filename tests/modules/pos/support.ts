import { randomBytes, randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { createCustomRole, putMember } from '../../../src/kernel/access/index.ts';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import { createUser } from '../../../src/kernel/identity/index.ts';
import { declaredPermissions } from '../../../src/kernel/module/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { withTenantTx, type Tenant } from '../../../src/kernel/tenancy/index.ts';
import { planEditions } from '../../../src/editions/compose.ts';
import type { TestApp } from '../../support/app.ts';

export type Headers = Record<string, string>;
const unique = () => randomBytes(4).toString('hex');
const everything = () => new Set(declaredPermissions(planEditions({ editions: undefined }).modules));

/** A JSON request with these headers. */
export function call(t: TestApp, headers: Headers, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
}

/** The `data` of a 2xx answer; throws with the body otherwise. */
export async function ok<T = Record<string, unknown>>(response: Promise<LightMyRequestResponse> | LightMyRequestResponse): Promise<T> {
  const answered = await response;
  if (answered.statusCode >= 300) throw new Error(`expected 2xx, got ${answered.statusCode}: ${answered.body}`);
  return (answered.json() as { data: T }).data;
}

/** A member of the tenant holding exactly these permissions (through a custom role). */
export async function newStaff(t: TestApp, tenant: Tenant, permissions: readonly string[]): Promise<string> {
  const tag = unique();
  const user = await createUser(t.app.db, { email: `pos-${tag}@${tenant.slug}.example`, displayName: `Staff ${tag}` });
  const ctx: ServiceContext = { db: t.app.db, tenantId: tenant.id, actor: { kind: 'system', process: 'pos-test' }, requestId: 'pos-test', log: createLogger('silent') };
  const roleKeys: string[] = [];
  if (permissions.length > 0) roleKeys.push((await createCustomRole(ctx, { key: `pos_${tag}`, name: `POS ${tag}`, permissions: [...permissions] }, everything())).key);
  await withTenantTx(ctx, (uow) => putMember(uow.tx, tenant.id, user.id, roleKeys));
  return user.id;
}

export interface Till {
  locationId: string;
  registerId: string;
  shiftId: string;
  productId: string;
  /** A second product at a 7 % rate. */
  otherProductId: string;
  terminal?: { id: string; deviceSecret: string };
}

/**
 * A location with `stock` units of two fresh products, a register there (prices include tax,
 * STD 19 % / RED 7 %, 20 % discount limit), optionally bound to a fresh terminal, and an open shift.
 */
export async function openTill(t: TestApp, owner: Headers, options: { stock?: number; price?: number; terminal?: boolean; blind?: boolean; float?: number } = {}): Promise<Till> {
  const tag = unique();
  const location = await ok<{ id: string }>(call(t, owner, 'POST', '/v1/locations', { name: `Shop ${tag}`, code: `S${tag}`, timeZone: 'Europe/Berlin' }));
  const product = await ok<{ id: string }>(call(t, owner, 'POST', '/v1/catalog/products', { name: `Flat white ${tag}`, sku: `FW-${tag}`, priceMinor: options.price ?? 425, currency: 'EUR' }));
  const other = await ok<{ id: string }>(call(t, owner, 'POST', '/v1/catalog/products', { name: `Croissant ${tag}`, sku: `CR-${tag}`, priceMinor: 350, currency: 'EUR' }));
  const stock = options.stock ?? 10;
  if (stock > 0)
    await ok(call(t, owner, 'POST', '/v1/inventory/receipts', { locationId: location.id, lines: [{ productId: product.id, quantity: stock }, { productId: other.id, quantity: stock }] }));
  const terminal = options.terminal ? await ok<{ id: string; deviceSecret: string }>(call(t, owner, 'POST', '/v1/terminals', { name: `Till ${tag}` })) : undefined;
  const register = await ok<{ id: string }>(
    call(t, owner, 'POST', '/v1/pos/registers', {
      locationId: location.id,
      deviceId: terminal?.id ?? null,
      name: `Till ${tag}`,
      code: `T${tag}`,
      currency: 'EUR',
      pricesIncludeTax: true,
      taxRates: [
        { code: 'STD', label: 'VAT 19%', rateBp: 1900 },
        { code: 'RED', label: 'VAT 7%', rateBp: 700 },
      ],
      defaultTaxCode: 'STD',
      maxDiscountBp: 2000,
    }),
  );
  const shift = await ok<{ shift: { id: string } }>(call(t, owner, 'POST', `/v1/pos/registers/${register.id}/shifts`, { openingFloatMinor: options.float ?? 10_000, blindClose: options.blind ?? false }));
  return { locationId: location.id, registerId: register.id, shiftId: shift.shift.id, productId: product.id, otherProductId: other.id, ...(terminal ? { terminal } : {}) };
}

/** A cash sale of `quantity` of the till's product, paid exactly. */
export function cashSale(till: Till, overrides: Record<string, unknown> = {}, quantity = 1, price = 425): Record<string, unknown> {
  return {
    id: randomUUID(),
    registerId: till.registerId,
    shiftId: till.shiftId,
    soldAt: new Date().toISOString(),
    lines: [{ productId: till.productId, quantity }],
    tenders: [{ kind: 'cash', amountMinor: price * quantity }],
    ...overrides,
  };
}

/** Sets the staff member's PIN and signs them in at the terminal: the bearer headers of that till session. */
export async function pinSignIn(t: TestApp, tenant: Tenant, terminal: { id: string; deviceSecret: string }, userId: string, pin: string): Promise<Headers> {
  const self = await t.headersAs(userId, tenant.id);
  const set = await call(t, self, 'PUT', '/v1/me/pin', { pin });
  if (set.statusCode !== 204) throw new Error(`setting a PIN answered ${set.statusCode}: ${set.body}`);
  const signedIn = await ok<{ tokens: { accessToken: string } }>(call(t, {}, 'POST', '/v1/auth/terminal/pin', { tenant: tenant.slug, deviceId: terminal.id, deviceSecret: terminal.deviceSecret, userId, pin }));
  return { authorization: `Bearer ${signedIn.tokens.accessToken}` };
}

export async function onHand(t: TestApp, tenantId: string, locationId: string, productId: string): Promise<number> {
  const { rows } = await t.database.pool.query<{ on_hand: number }>('SELECT on_hand FROM inventory_stock WHERE tenant_id = $1 AND location_id = $2 AND product_id = $3', [tenantId, locationId, productId]);
  return rows[0]?.on_hand ?? 0;
}

export async function countRows(t: TestApp, text: string, values: unknown[]): Promise<number> {
  const { rows } = await t.database.pool.query<{ n: number }>(text, values);
  return rows[0]?.n ?? -1;
}

export const auditCount = (t: TestApp, tenantId: string, action: string, targetId: string) =>
  countRows(t, 'SELECT count(*)::int AS n FROM audit_event WHERE tenant_id = $1 AND action = $2 AND target_id = $3', [tenantId, action, targetId]);

export const outboxCount = (t: TestApp, tenantId: string, type: string, key: string, value: string) =>
  countRows(t, `SELECT count(*)::int AS n FROM jobs_outbox WHERE tenant_id = $1 AND type = $2 AND payload->>'${key}' = $3`, [tenantId, type, value]);
