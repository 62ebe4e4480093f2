import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config/index.ts';
import type { Database, MigrationUnit } from '../db/index.ts';
import type { Logger } from '../observability/logger.ts';
import { checkEmittedEvents } from '../jobs/index.ts';
import { declaredEvents, declaredPermissions, entitlementsOf, type AppInstance, type EditionDefinition, type ModuleManifest } from '../module/index.ts';
import { deriveKey } from '../secrets/index.ts';
import { installGuard, type Authenticator, type SecurityEventSink } from './guard/index.ts';
import { installBenchmarkFixedActor, type BenchmarkFixedActor } from './guard/benchmark-fixed-actor.ts';
import { installFieldRules } from './guard/field-rules.ts';
import { enforceRoutePolicies } from './access.ts';
import { installNoStoreForCredentials } from './cache-control.ts';
import { errorHandler, installErrorHandling, type ErrorPageRenderer } from './error-handler.ts';
import { clientErrorHandler, installEdgeRules } from './edge/index.ts';
import { healthRoutes } from './health.routes.ts';
import { metricsRoutes } from './metrics.routes.ts';
import { createMetrics } from '../observability/metrics.ts';
import { createTracing } from '../observability/tracing.ts';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { registerOpenApi } from './openapi.ts';
import { responseSerializerCompiler } from './response-serializer.ts';
import './context.ts';

export interface BuildAppOptions {
  config: Config;
  database: Database;
  logger: Logger;
  modules: readonly ModuleManifest[];
  /** The editions served: which of the modules each edition's businesses may use. */
  editions: readonly EditionDefinition[];
  migrationUnits: readonly MigrationUnit[];
  version: string;
  /** Routes of the composing layer (edition pages, UI assets), registered after the modules. */
  extraRoutes?: (app: AppInstance) => void | Promise<void>;
  /** How errors look to people browsing pages; without it every error is JSON. */
  renderErrorPage?: ErrorPageRenderer;
  /** Turns credentials into actors (identity). */
  authenticator: Authenticator;
  /** Where denials are recorded (audit's security events). */
  securityEvents: SecurityEventSink;
  /** The installation's root secret; cookie-signing and CSRF keys derive from it. */
  rootSecret: Buffer;
  /** Where spans go when tracing is on; tests pass an in-memory exporter (default: OTLP/HTTP). */
  traceExporter?: SpanExporter;
  /**
   * BENCHMARK-ONLY switch. `'on'` (the default) installs the guard; `benchmarkFixedActor` replaces
   * the whole guard with fixed request values so `npm run bench` can measure what the guard costs.
   * No config value or environment variable leads here; only code passes it, and never in production.
   */
  guard?: 'on' | { benchmarkFixedActor: BenchmarkFixedActor };
}

/** Builds the HTTP app for the given modules without listening, so tests drive it with inject(). */
export async function buildApp(options: BuildAppOptions): Promise<AppInstance> {
  const { config, database, modules } = options;
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    bodyLimit: config.bodyLimitBytes,
    forceCloseConnections: 'idle',
    // The client IP comes from X-Forwarded-For only when the direct peer is a configured proxy.
    trustProxy: config.trustedProxies ?? false,
    // Router errors (bad percent-encoding, over-long parameter) leave as the envelope too.
    frameworkErrors: errorHandler(options.renderErrorPage),
    // What node's HTTP parser refuses (a 20,000-character URL: 431) leaves as the envelope too.
    clientErrorHandler: clientErrorHandler(options.logger),
  }).withTypeProvider<ZodTypeProvider>();

  if (config.tracing.enabled) {
    // First, so that it wraps every hook and route registered after it.
    const tracing = createTracing({ ...config.tracing, ...(options.traceExporter ? { exporter: options.traceExporter } : {}) });
    await app.register(tracing.plugin);
    app.addHook('onClose', () => tracing.shutdown());
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler({ check: config.responseValidation }));
  installErrorHandling(app, options.renderErrorPage);
  const permissions = declaredPermissions(modules);
  const events = declaredEvents(modules);
  if (config.checkEvents) checkEmittedEvents(events);
  const permissionDefinitions = modules.flatMap((module) => module.permissions.map((permission) => (module.title ? { ...permission, area: module.title } : permission)));
  enforceRoutePolicies(app, () => permissions);

  app.decorate('db', database.db);
  app.decorate('navigation', modules.flatMap((module) => (module.navigation ?? []).map((item) => ({ ...item, module: module.id }))));
  app.decorate('dashboardCards', modules.flatMap((module) => (module.dashboardCards ?? []).map((card) => ({ ...card, module: module.id }))));
  app.decorateRequest('pageBanners', null);
  const bannerSources = modules.flatMap((module) => (module.pageBanners ? [module.pageBanners] : []));
  // Banners are gathered for pages of a tenant only (the page layout renders them); a source that fails costs its banners, not the page.
  app.addHook('preHandler', async (request) => {
    const tenant = request.tenant;
    if (!tenant || bannerSources.length === 0 || !String(request.headers.accept ?? '').includes('text/html')) return;
    const gathered = await Promise.all(
      bannerSources.map((source) =>
        source(database.db, tenant).catch((error: unknown) => {
          request.log.error({ err: error }, 'could not gather page banners');
          return [];
        }),
      ),
    );
    request.pageBanners = gathered.flat();
  });
  app.decorateRequest('tenant', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installNoStoreForCredentials(app);
  const metrics = createMetrics(database.pool);
  for (const module of modules) module.metrics?.(metrics.registry, database.db);
  // Cookies are parsed before the guard reads the session cookie.
  await app.register(fastifyCookie, { secret: deriveKey(options.rootSecret, 'cookie').toString('base64url') });
  const securityEvents: SecurityEventSink = (event) => {
    metrics.securityDenials.inc({ kind: event.kind });
    return options.securityEvents(event);
  };
  const entitlements = entitlementsOf(modules, options.editions);
  const guard = options.guard ?? 'on';
  if (guard === 'on')
    await installGuard(app, {
      config,
      db: database.db,
      authenticator: options.authenticator,
      securityEvents,
      entitlements,
      csrfKey: deriveKey(options.rootSecret, 'csrf'),
    });
  else if (config.env === 'production') throw new Error('The benchmark-only fixed actor cannot replace the guard in production.');
  else installBenchmarkFixedActor(app, guard.benchmarkFixedActor, entitlements);
  // After the guard's CSRF check, so a stranger's request is denied before its input is judged.
  installEdgeRules(app, config.bodyLimitBytes);
  installFieldRules(app, modules.flatMap((module) => module.fieldRules ?? []));
  await registerOpenApi(app, options.version);
  healthRoutes(app, options.migrationUnits, modules.flatMap((module) => module.readinessChecks ?? []));
  metricsRoutes(app, metrics, config.metricsToken);
  const services = { config, database, permissions, permissionDefinitions, rootSecret: options.rootSecret, entitlements };
  // Before the modules' routes, so they can use what is installed (realtime channels).
  const permissionModules = new Map(modules.flatMap((module) => module.permissions.map((permission) => [permission.key, module.id] as const)));
  for (const module of modules) await module.install?.(app, { ...services, logger: options.logger, metrics: metrics.registry, permissionModules });

  for (const module of modules) {
    const register = module.routes;
    if (!register) continue;
    const modulePlugin = async (scope: AppInstance) => {
      // Stamp the module on its routes so the guard answers them only for businesses entitled to it.
      scope.addHook('onRoute', (route) => {
        route.config = { ...route.config, module: module.id };
      });
      await register(scope, services);
    };
    // Logs and trace spans name the plugin: the module, not the function's source.
    Object.assign(modulePlugin, { [Symbol.for('fastify.display-name')]: `module:${module.id}` });
    await app.register(modulePlugin);
  }
  if (options.extraRoutes) await options.extraRoutes(app);
  return app;
}
