import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { APP_ROLE, applyMigrations, createDatabase, type Database } from '../../../src/kernel/db/index.ts';
import type { AppInstance } from '../../../src/kernel/module/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { buildPlinthApp, planEditions, type EditionPlan } from '../../../src/editions/compose.ts';
import type { Config } from '../../../src/kernel/config/index.ts';
import { TEST_ROOT_SECRET, testConfig } from '../../support/app.ts';
import { createMigratedDatabase, type TestDatabase } from '../../support/database.ts';

/** A single-business install (PLINTH_MODE=single) over a fresh database where no business exists yet. */
export interface SingleApp {
  app: AppInstance;
  plan: EditionPlan;
  config: Config;
  /** The owner's view of the database (no row-level security), for assertions. */
  owner: TestDatabase;
  appDatabase: Database;
  dataDir: string;
  close(): Promise<void>;
}

export async function startSingleApp(env: Record<string, string> = {}): Promise<SingleApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-single-'));
  const config = testConfig({ PLINTH_MODE: 'single', PLINTH_DATA_DIR: dataDir, BACKUP_DIR: path.join(dataDir, 'backups'), ...env });
  const plan = planEditions(config);
  const owner = await createMigratedDatabase();
  // The run's template holds the hosted composition; single mode adds the setup module's tables.
  await applyMigrations(owner.pool, owner.db, plan.migrationUnits);
  const appDatabase = createDatabase(owner.url, { poolMax: 5, log: createLogger('silent'), role: APP_ROLE });
  const app = await buildPlinthApp({ config, database: appDatabase, logger: createLogger('silent'), rootSecret: TEST_ROOT_SECRET, plan });
  await app.ready();
  return {
    app,
    plan,
    config,
    owner,
    appDatabase,
    dataDir,
    async close() {
      await app.close();
      await appDatabase.close();
      await owner.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A valid setup of the demo shop; the password passes the policy. */
export const SETUP = {
  businessName: 'Corner Hardware',
  slug: 'corner-hardware',
  timeZone: 'Europe/Amsterdam',
  adminName: 'Ada Admin',
  adminEmail: 'ada@corner-hardware.example',
  adminPassword: 'quiet-lantern-harbour-97',
  currency: 'EUR',
  taxRates: [
    { code: 'STD', label: 'Standard', rateBp: 2100 },
    { code: 'RED', label: 'Reduced', rateBp: 900 },
  ],
  defaultTaxCode: 'STD',
  receiptPrefix: 'CH',
  invoicePrefix: 'CHI',
};
