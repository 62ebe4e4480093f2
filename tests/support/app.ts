import { loadConfig, type Config } from '../../src/kernel/config/index.ts';
import { APP_ROLE, createDatabase, withTx } from '../../src/kernel/db/index.ts';
import { createLogger } from '../../src/kernel/observability/logger.ts';
import type { AppInstance } from '../../src/kernel/module/index.ts';
import { ensureTenant, type Tenant } from '../../src/kernel/tenancy/index.ts';
import { buildPlinthApp } from '../../src/editions/compose.ts';
import { createMigratedDatabase, type TestDatabase } from './database.ts';

export interface TestApp {
  app: AppInstance;
  /** The owner's view of the test database (bypasses row-level security), for assertions and set-up. */
  database: TestDatabase;
  config: Config;
  /** Two tenants so every test can check that one never sees the other's rows. */
  tenantA: Tenant;
  tenantB: Tenant;
  close(): Promise<void>;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}

/** The full app (every edition) over a fresh migrated database, ready for inject(). */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(env);
  const database = await createMigratedDatabase();
  const [tenantA, tenantB] = await withTx(database.db, async (tx) => [
    await ensureTenant(tx, { slug: 'tenant-a', name: 'Tenant A', edition: 'retail' }),
    await ensureTenant(tx, { slug: 'tenant-b', name: 'Tenant B', edition: 'cafe' }),
  ]);
  // The app runs as the app role (row-level security applies); `database` keeps the owner's view for assertions.
  const appDatabase = createDatabase(database.url, { poolMax: 5, log: createLogger('silent'), role: APP_ROLE });
  const app = await buildPlinthApp({ config, database: appDatabase, logger: createLogger(config.logLevel) });
  await app.ready();
  return {
    app,
    database,
    config,
    tenantA: tenantA as Tenant,
    tenantB: tenantB as Tenant,
    close: async () => {
      await app.close();
      await appDatabase.close();
      await database.drop();
    },
  };
}
