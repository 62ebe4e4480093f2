import type { Config } from './kernel/config/index.ts';
import { APP_ROLE, applyMigrations, createDatabase, startEmbeddedPostgres, type Database, type EmbeddedDatabase } from './kernel/db/index.ts';
import type { Logger } from './kernel/observability/logger.ts';
import type { AppInstance } from './kernel/module/index.ts';
import { declaredPermissions } from './kernel/module/index.ts';
import { loadRootSecret } from './kernel/secrets/index.ts';
import { startJobs } from './kernel/jobs/index.ts';
import { notifySetup, startNotifyRunner } from './kernel/notify/index.ts';
import { buildPlinthApp, planEditions, type EditionPlan } from './editions/compose.ts';
import { seedDemoData, type DemoLogin } from './editions/demo.ts';
import { needsSetup } from './modules/setup/index.ts';

export interface Runtime {
  config: Config;
  rootSecret: Buffer;
  log: Logger;
  plan: EditionPlan;
  database: Database;
  /** The login (owner) role's connection string: migrations, and the jobs dispatcher and pg-boss. */
  url: string;
  /** Stops what open() started, newest first. */
  close(): Promise<void>;
}

/** Migrations run with the login role's (owner's) rights on a short-lived pool of their own. */
export async function migrate(url: string, plan: EditionPlan, log: Logger): Promise<void> {
  const owner = createDatabase(url, { poolMax: 2, log });
  try {
    await applyMigrations(owner.pool, owner.db, plan.migrationUnits);
  } finally {
    await owner.close();
  }
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL, applies pending migrations and
 * opens the app's pool, whose connections run as the app role under row-level security.
 */
export async function openRuntime(config: Config, log: Logger): Promise<Runtime> {
  const plan = planEditions(config);
  const rootSecret = await loadRootSecret(config);
  let embedded: EmbeddedDatabase | undefined;
  const url = config.databaseUrl ?? (embedded = await startEmbeddedPostgres(config.dataDir, log)).url;
  try {
    await migrate(url, plan, log);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const database = createDatabase(url, { poolMax: config.dbPoolMax, log, role: APP_ROLE });
  return {
    config,
    rootSecret,
    log,
    plan,
    database,
    url,
    close: async () => {
      await database.close();
      await embedded?.stop();
    },
  };
}

export interface RunningServer {
  app: AppInstance;
  url: string;
  demoLogins: DemoLogin[];
  /** Single mode before the first run: the one-time code /setup asks for. */
  setupCode: string | undefined;
}

export async function serve(runtime: Runtime): Promise<RunningServer> {
  const { config, database, log, plan } = runtime;
  // Single mode has no platform tenant to seed demo businesses under: its first run is /setup.
  const demoLogins = config.demo && config.mode === 'hosted' ? await seedDemoData(database, plan.editions, declaredPermissions(plan.modules), { dataDir: config.dataDir, log }) : [];
  const app = await buildPlinthApp({ config, database, logger: log, plan, rootSecret: runtime.rootSecret });
  const address = await app.listen({ host: config.host, port: config.port });
  const url = config.publicUrl ?? address;
  const setupCode = plan.setupGate && (await needsSetup(database.db)) ? plan.setupGate.code : undefined;
  return { app, url, demoLogins, setupCode };
}

/**
 * Stops taking requests, lets in-flight ones finish, then closes the pool and the embedded
 * database. A second signal, or the timeout, ends the process at once.
 */
export function closeOnSignals(stop: () => Promise<void>, log: Logger, timeoutMs: number): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, timeoutMs).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}

/** What runs besides HTTP: the outbox dispatcher, job workers and schedules, and notification delivery. */
export interface BackgroundWork {
  handlers: number;
  schedules: number;
  stop(): Promise<void>;
}

/** Starts the background work in this process (`serve` does unless --no-worker; `plinth worker` does only this). */
export async function startBackgroundWork(runtime: Runtime): Promise<BackgroundWork> {
  const { config, database, log, plan } = runtime;
  const jobs = await startJobs({ url: runtime.url, database, config, modules: plan.modules, log });
  const { providers, options } = notifySetup(config, runtime.rootSecret, log);
  const notify = startNotifyRunner({ db: database.db, providers, options, log });
  return {
    handlers: jobs.handlers.length,
    schedules: jobs.schedules.length,
    async stop() {
      await notify.stop();
      await jobs.stop();
    },
  };
}
