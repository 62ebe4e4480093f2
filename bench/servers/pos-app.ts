/**
 * The full Plinth app (all editions) over DATABASE_URL (the POS benchmark hands it a scratch
 * database), seeded with a till through the API: a `bench-pos` retail tenant (till role
 * templates), a location, BENCH_POS_PRODUCTS products (default 3) with BENCH_POS_STOCK units each
 * received into inventory, a register (prices include tax, STD 19 %) with an open shift, and a
 * cashier member (role `cashier`: pos.sale.create, not owner) whose API access token sells.
 * Writes the till as JSON to PLINTH_DATA_DIR/bench-pos.json, then prints the listening line.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { provisionTenant, putMember } from '../../src/kernel/access/index.ts';
import { loadConfig } from '../../src/kernel/config/index.ts';
import { createUser, deriveIdentityKeys, issueTokenPair } from '../../src/kernel/identity/index.ts';
import { declaredPermissions } from '../../src/kernel/module/index.ts';
import { createLogger } from '../../src/kernel/observability/logger.ts';
import { withTenantTx } from '../../src/kernel/tenancy/index.ts';
import { buildPlinthApp } from '../../src/editions/compose.ts';
import { TILL_ROLE_TEMPLATES } from '../../src/editions/roles.ts';
import { openRuntime } from '../../src/main.ts';

export interface PosTill {
  tenantId: string;
  locationId: string;
  registerId: string;
  shiftId: string;
  registerCode: string;
  /** The cashier's bearer token. */
  token: string;
  products: { id: string; name: string; sku: string; priceMinor: number }[];
}

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', PORT: '0', RATE_LIMIT_READ_PER_MIN: '1000000', RATE_LIMIT_WRITE_PER_MIN: '1000000', RESPONSE_VALIDATION: 'false' });
const log = createLogger('warn');
const runtime = await openRuntime(config, log);
const db = runtime.database.db;
const keys = deriveIdentityKeys(runtime.rootSecret);
const productCount = Number(process.env.BENCH_POS_PRODUCTS ?? 3);
const stock = Number(process.env.BENCH_POS_STOCK ?? 5_000_000);

const owner = await createUser(db, { email: `bench-pos-owner-${Date.now()}@bench.example`, displayName: 'Bench owner' });
const cashier = await createUser(db, { email: `bench-pos-cashier-${Date.now()}@bench.example`, displayName: 'Bench cashier' });
const tenant = await provisionTenant(db, {
  slug: 'bench-pos',
  name: 'Bench POS',
  edition: 'retail',
  templates: TILL_ROLE_TEMPLATES,
  declared: declaredPermissions(runtime.plan.modules),
  ownerUserId: owner.id,
});
await withTenantTx({ db, tenantId: tenant.id }, (uow) => putMember(uow.tx, tenant.id, cashier.id, ['cashier']));
const policy = { policy: { accessTtlSeconds: 3600, refreshTtlSeconds: 3600 } };
const ownerToken = (await issueTokenPair(db, keys, { userId: owner.id, tenantId: tenant.id }, policy)).accessToken;
const cashierToken = (await issueTokenPair(db, keys, { userId: cashier.id, tenantId: tenant.id }, policy)).accessToken;

const app = await buildPlinthApp({ config, database: runtime.database, logger: createLogger('silent'), rootSecret: runtime.rootSecret, guard: 'on' });

/** The `data` of a 2xx answer to a request with the given token; throws with the body otherwise. */
async function call<T>(token: string, method: 'POST', url: string, payload: Record<string, unknown>): Promise<T> {
  const response = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload });
  if (response.statusCode >= 300) throw new Error(`bench-pos seed: ${method} ${url} answered ${response.statusCode}: ${response.body}`);
  return (response.json() as { data: T }).data;
}

const location = await call<{ id: string }>(ownerToken, 'POST', '/v1/locations', { name: 'Bench shop', code: 'BENCH1', timeZone: 'Europe/Berlin' });
const products: PosTill['products'] = [];
for (let index = 0; index < productCount; index++) {
  const draft = { name: `Bench item ${index}`, sku: `BPOS-${index}`, priceMinor: 250 + 75 * index, currency: 'EUR' };
  const product = await call<{ id: string }>(ownerToken, 'POST', '/v1/catalog/products', draft);
  products.push({ id: product.id, name: draft.name, sku: draft.sku, priceMinor: draft.priceMinor });
}
// A receipt line takes at most 1,000,000 units: receive the stock in chunks.
for (let received = 0; received < stock; received += 1_000_000) {
  const quantity = Math.min(1_000_000, stock - received);
  await call(ownerToken, 'POST', '/v1/inventory/receipts', { locationId: location.id, lines: products.map((product) => ({ productId: product.id, quantity })) });
}
const registerCode = 'T1';
const register = await call<{ id: string }>(ownerToken, 'POST', '/v1/pos/registers', {
  locationId: location.id,
  deviceId: null,
  name: 'Bench till',
  code: registerCode,
  currency: 'EUR',
  pricesIncludeTax: true,
  taxRates: [{ code: 'STD', label: 'VAT 19%', rateBp: 1900 }],
  defaultTaxCode: 'STD',
  maxDiscountBp: 2000,
});
// The cashier opens the shift (pos.shift.operate), as at a real till.
const shift = await call<{ shift: { id: string } }>(cashierToken, 'POST', `/v1/pos/registers/${register.id}/shifts`, { openingFloatMinor: 10_000, blindClose: false });

const till: PosTill = { tenantId: tenant.id, locationId: location.id, registerId: register.id, shiftId: shift.shift.id, registerCode, token: cashierToken, products };
await writeFile(path.join(config.dataDir, 'bench-pos.json'), JSON.stringify(till));

const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ listening: url })}\n`);
process.on('SIGTERM', () => void app.close().then(() => runtime.close()).then(() => process.exit(0)));
