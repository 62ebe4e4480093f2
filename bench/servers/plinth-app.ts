/**
 * The full Plinth app (all editions) over its own database, with a `bench` tenant holding
 * BENCH_PRODUCTS products and an owner whose API access token is written to
 * PLINTH_DATA_DIR/bench-token. Uses DATABASE_URL when set, else an embedded PostgreSQL in
 * PLINTH_DATA_DIR (the runner points that at a temp folder). Responses are written as in production
 * (compiled serializer, no per-response schema check).
 *
 * BENCH_GUARD=fixed-actor seeds nothing: it reads the token an earlier run of this script wrote,
 * resolves that owner once (token, tenant, permissions, as the guard would), and serves the same
 * app with the guard replaced by a hook stamping those fixed values (benchmark-only switch).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { provisionTenant } from '../../src/kernel/access/index.ts';
import { loadConfig } from '../../src/kernel/config/index.ts';
import { createAuthenticator, sessionPolicyOf } from '../../src/kernel/auth/index.ts';
import type { Db } from '../../src/kernel/db/index.ts';
import type { BenchmarkFixedActor } from '../../src/kernel/http/guard/benchmark-fixed-actor.ts';
import { loadAuthorization } from '../../src/kernel/http/guard/authorize.ts';
import { createUser, deriveIdentityKeys, issueTokenPair } from '../../src/kernel/identity/index.ts';
import { declaredPermissions } from '../../src/kernel/module/index.ts';
import { createLogger } from '../../src/kernel/observability/logger.ts';
import { buildPlinthApp } from '../../src/editions/compose.ts';
import { STORE_ROLE_TEMPLATES } from '../../src/editions/roles.ts';
import { createProduct } from '../../src/modules/catalog/index.ts';
import { openRuntime } from '../../src/main.ts';

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', PORT: '0', RATE_LIMIT_READ_PER_MIN: '1000000', RESPONSE_VALIDATION: 'false' });
const log = createLogger('warn');
const runtime = await openRuntime(config, log);
const db = runtime.database.db;
const tokenFile = path.join(config.dataDir, 'bench-token');

/** The guard's own steps, run once: bearer token → actor, then tenant and permissions. */
async function resolveFixedActor(db: Db, token: string): Promise<BenchmarkFixedActor> {
  const auth = await createAuthenticator(db, deriveIdentityKeys(runtime.rootSecret), sessionPolicyOf(config)).fromBearer(token);
  if (!auth?.tenantId) throw new Error('the bench token does not authenticate an actor in a tenant');
  const { tenant, permissions } = await loadAuthorization(db, auth.tenantId, auth.userId);
  if (!tenant) throw new Error('the bench tenant is not active');
  return { auth, tenant, permissions };
}

async function seed(): Promise<void> {
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
  await writeFile(tokenFile, tokens.accessToken);
}

const fixedActor = process.env.BENCH_GUARD === 'fixed-actor';
if (!fixedActor) await seed();
const guard = fixedActor ? { benchmarkFixedActor: await resolveFixedActor(db, (await readFile(tokenFile, 'utf8')).trim()) } : 'on';
const app = await buildPlinthApp({ config, database: runtime.database, logger: createLogger('silent'), rootSecret: runtime.rootSecret, guard });
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ listening: url })}\n`);
process.on('SIGTERM', () => void app.close().then(() => runtime.close()).then(() => process.exit(0)));
