import type { Config } from '../kernel/config/index.ts';
import type { Database, MigrationUnit } from '../kernel/db/index.ts';
import { buildApp, type BuildAppOptions } from '../kernel/http/index.ts';
import type { Logger } from '../kernel/observability/logger.ts';
import { resolveModules, selectEditions, type AppInstance, type EditionDefinition, type ModuleManifest } from '../kernel/module/index.ts';
import { KERNEL_MODULES } from '../kernel/modules.ts';
import { createAuthenticator, sessionPolicyOf } from '../kernel/auth/index.ts';
import { recordSecurityEvent } from '../kernel/audit/index.ts';
import { deriveIdentityKeys } from '../kernel/identity/index.ts';
import { platformModule, type OfferedEdition } from '../modules/platform/index.ts';
import { billingModule } from '../modules/billing/index.ts';
import { createSetupGate, setupModule, type SetupGate } from '../modules/setup/index.ts';
import { ALL_EDITIONS } from './index.ts';
import { homeRoutes } from './home.routes.ts';
import { PLINTH_VERSION } from '../version.ts';
import { renderErrorPage } from '../web/index.ts';

export interface EditionPlan {
  editions: EditionDefinition[];
  /** Kernel modules first, then the editions' modules in dependency order. */
  modules: ModuleManifest[];
  migrationUnits: MigrationUnit[];
  /** Single mode: the one-time code /setup asks for while no business exists (printed at start). */
  setupGate?: SetupGate;
}

/** The served editions as the platform offers them to businesses signing up. */
export const offeredEditions = (editions: readonly EditionDefinition[]): OfferedEdition[] =>
  editions.map((edition) => ({ id: edition.id, title: edition.title, modules: edition.modules.map((module) => module.id), roleTemplates: edition.roleTemplates }));

const migrationUnitsOf = (modules: readonly ModuleManifest[]): MigrationUnit[] =>
  modules.flatMap((module) => (module.migrations ? [{ id: module.id, folder: module.migrations }] : []));

export function planEditions(config: Pick<Config, 'editions'> & Partial<Pick<Config, 'mode'>>): EditionPlan {
  const editions = selectEditions(ALL_EDITIONS, config.editions);
  if (config.mode === 'single') return planSingleBusiness(editions);
  // Hosted: the platform console serves every composition (the platform tenant exists in all of them); billing bills its plans.
  const modules = [...KERNEL_MODULES, ...resolveModules(editions), platformModule(offeredEditions(editions)), billingModule];
  return { editions, modules, migrationUnits: migrationUnitsOf(modules) };
}

/**
 * One business on its own machine: its edition's modules and the first-run setup; no console,
 * sign-up or SaaS billing, so their URLs answer as missing routes do.
 */
function planSingleBusiness(editions: EditionDefinition[]): EditionPlan {
  const [edition] = editions;
  if (!edition || editions.length !== 1) throw new Error('single mode serves exactly one edition');
  const setupGate = createSetupGate();
  const modules = [...KERNEL_MODULES, ...resolveModules(editions), setupModule({ gate: setupGate, edition })];
  return { editions, modules, migrationUnits: migrationUnitsOf(modules), setupGate };
}

export interface PlinthAppOptions {
  config: Config;
  /** The app pool (app role, row-level security applies). */
  database: Database;
  logger: Logger;
  rootSecret: Buffer;
  plan?: EditionPlan;
  /** Benchmark-only (see BuildAppOptions.guard); the server never passes it. */
  guard?: BuildAppOptions['guard'];
  /** Tests only: where spans go when tracing is on. */
  traceExporter?: BuildAppOptions['traceExporter'];
}

export async function buildPlinthApp(options: PlinthAppOptions): Promise<AppInstance> {
  const plan = options.plan ?? planEditions(options.config);
  const db = options.database.db;
  const app = await buildApp({
    config: options.config,
    database: options.database,
    logger: options.logger,
    modules: plan.modules,
    editions: plan.editions,
    migrationUnits: plan.migrationUnits,
    version: PLINTH_VERSION,
    extraRoutes: homeRoutes,
    renderErrorPage,
    rootSecret: options.rootSecret,
    authenticator: createAuthenticator(db, deriveIdentityKeys(options.rootSecret), sessionPolicyOf(options.config)),
    securityEvents: (event) => recordSecurityEvent(db, event, options.logger),
    ...(options.guard ? { guard: options.guard } : {}),
    ...(options.traceExporter ? { traceExporter: options.traceExporter } : {}),
  });
  return app;
}
