/**
 * The full Plinth app with the realtime gateway and one channel (`bench.fanout`, readable by any
 * tenant owner), over DATABASE_URL (or an embedded PostgreSQL in PLINTH_DATA_DIR). Seeds a tenant
 * and owner and writes `<tenant id>\n<access token>` to PLINTH_DATA_DIR/bench-realtime.
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
import { openRuntime } from '../../src/main.ts';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', PORT: '0', RATE_LIMIT_READ_PER_MIN: '1000000', REALTIME_MAX_BUFFERED_BYTES: String(16 * 1024 * 1024) });
const runtime = await openRuntime(config, createLogger('warn'));
const db = runtime.database.db;
const owner = await createUser(db, { email: `bench-rt-${Date.now()}@bench.example`, displayName: 'Bench owner' });
const tenant = await provisionTenant(db, {
  slug: `bench-rt-${Date.now()}`,
  name: 'Bench realtime',
  edition: 'retail',
  templates: STORE_ROLE_TEMPLATES,
  declared: declaredPermissions(runtime.plan.modules),
  ownerUserId: owner.id,
});
const tokens = await issueTokenPair(db, deriveIdentityKeys(runtime.rootSecret), { userId: owner.id, tenantId: tenant.id }, { policy: { accessTtlSeconds: 3600, refreshTtlSeconds: 3600 } });
await writeFile(path.join(config.dataDir, 'bench-realtime'), `${tenant.id}\n${tokens.accessToken}\n`);

const app = await buildPlinthApp({ config, database: runtime.database, logger: createLogger('silent'), rootSecret: runtime.rootSecret });
app.realtime.defineChannel({ name: 'bench.fanout', permission: 'catalog.product.read' });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ listening: url })}\n`);
process.on('SIGTERM', () => void app.close().then(() => runtime.close()).then(() => process.exit(0)));
