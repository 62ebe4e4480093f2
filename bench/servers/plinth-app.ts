/**
 * The full Plinth app (all editions) over its own database, with a `bench` tenant holding
 * BENCH_PRODUCTS products. Uses DATABASE_URL when set, else an embedded PostgreSQL in
 * PLINTH_DATA_DIR (the runner points that at a temp folder).
 */
import { loadConfig } from '../../src/kernel/config/index.ts';
import { withTx } from '../../src/kernel/db/index.ts';
import { createLogger } from '../../src/kernel/observability/logger.ts';
import { ensureTenant } from '../../src/kernel/tenancy/index.ts';
import { buildPlinthApp } from '../../src/editions/compose.ts';
import { createProduct } from '../../src/modules/catalog/index.ts';
import { openRuntime } from '../../src/main.ts';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', PORT: '0' });
const log = createLogger('warn');
const runtime = await openRuntime(config, log);
const tenant = await withTx(runtime.database.db, (tx) => ensureTenant(tx, { slug: 'bench', name: 'Bench', edition: 'retail' }));
const ctx = { db: runtime.database.db, tenantId: tenant.id, actor: { kind: 'system' as const, process: 'bench-seed' }, requestId: 'bench-seed', log };
const count = Number(process.env.BENCH_PRODUCTS ?? 50);
for (let index = 0; index < count; index++) {
  const sku = `BENCH-${String(index).padStart(4, '0')}`;
  await createProduct(ctx, { name: `Bench product ${index}`, sku, priceMinor: 100 + index, currency: 'EUR', active: true }).catch(() => undefined);
}
const app = await buildPlinthApp({ config, database: runtime.database, logger: createLogger('silent') });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ listening: url })}\n`);
process.on('SIGTERM', () => void app.close().then(() => runtime.close()).then(() => process.exit(0)));
