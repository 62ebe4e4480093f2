/**
 * The full Plinth app (all editions) over its own database, with a `bench` tenant holding
 * BENCH_PRODUCTS products and an owner whose API access token is written to
 * PLINTH_DATA_DIR/bench-token. Uses DATABASE_URL when set, else an embedded PostgreSQL in
 * PLINTH_DATA_DIR (the runner points that at a temp folder).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { provisionTenant } from '../../src/kernel/access/index.ts';
import { loadConfig } from '../../src/kernel/config/index.ts';
import { createUser, deriveIdentityKeys, issueTokenPair } from '../../src/kernel/identity/index.ts';
import { declaredPermissions } from '../../src/kernel/module/index.ts';
import { createLogger } from '../../src/kernel/observability/logger.ts';
import { buildPlinthApp } from '../../src/editions/compose.ts';
import { STORE_ROLE_TEMPLATES } from '../../src/editions/roles.ts';
import { createProduct } from '../../src/modules/catalog/index.ts';
import { openRuntime } from '../../src/main.ts';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', PORT: '0', RATE_LIMIT_READ_PER_MIN: '100000000' });
const log = createLogger('warn');
const runtime = await openRuntime(config, log);
const db = runtime.database.db;
const owner = await createUser(db, { email: `bench-${Date.now()}@bench.example`, displayName: 'Bench owner' });
const tenant = await provisionTenant(db, {
  slug: 'bench',
  name: 'Bench',
  edition: 'retail',
  templates: STORE_ROLE_TEMPLATES,
  declared: declaredPermissions(runtime.plan.modules),
  ownerUserId: owner.id,
});
const ctx = { db, tenantId: tenant.id, actor: { kind: 'system' as const, process: 'bench-seed' }, requestId: 'bench-seed', log };
const count = Number(process.env.BENCH_PRODUCTS ?? 50);
for (let index = 0; index < count; index++) {
  const sku = `BENCH-${String(index).padStart(4, '0')}`;
  await createProduct(ctx, { name: `Bench product ${index}`, sku, priceMinor: 100 + index, currency: 'EUR', active: true }).catch(() => undefined);
}
const tokens = await issueTokenPair(db, deriveIdentityKeys(runtime.rootSecret), { userId: owner.id, tenantId: tenant.id }, { policy: { accessTtlSeconds: 3600, refreshTtlSeconds: 3600 } });
await writeFile(path.join(config.dataDir, 'bench-token'), tokens.accessToken);
const app = await buildPlinthApp({ config, database: runtime.database, logger: createLogger('silent'), rootSecret: runtime.rootSecret });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ listening: url })}\n`);
process.on('SIGTERM', () => void app.close().then(() => runtime.close()).then(() => process.exit(0)));
