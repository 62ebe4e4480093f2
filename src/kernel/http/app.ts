import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config/index.ts';
import type { Database, MigrationUnit } from '../db/index.ts';
import type { Logger } from '../observability/logger.ts';
import { declaredPermissions, type AppInstance, type ModuleManifest } from '../module/index.ts';
import { resolveTenant } from '../tenancy/index.ts';
import { enforceRoutePolicies } from './access.ts';
import { installErrorHandling, type ErrorPageRenderer } from './error-handler.ts';
import { healthRoutes } from './health.routes.ts';
import { registerOpenApi } from './openapi.ts';
import './context.ts';

export interface BuildAppOptions {
  config: Config;
  database: Database;
  logger: Logger;
  modules: readonly ModuleManifest[];
  migrationUnits: readonly MigrationUnit[];
  version: string;
  /** Routes of the composing layer (edition pages, UI assets), registered after the modules. */
  extraRoutes?: (app: AppInstance) => void | Promise<void>;
  /** How errors look to people browsing pages; without it every error is JSON. */
  renderErrorPage?: ErrorPageRenderer;
}

/** Builds the HTTP app for the given modules without listening, so tests drive it with inject(). */
export async function buildApp(options: BuildAppOptions): Promise<AppInstance> {
  const { config, database, modules } = options;
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    bodyLimit: config.bodyLimitBytes,
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app, options.renderErrorPage);
  const permissions = declaredPermissions(modules);
  enforceRoutePolicies(app, () => permissions);

  // Cookies must be parsed before the tenant hook below reads them.
  await app.register(fastifyCookie);
  app.decorate('db', database.db);
  app.decorate('navigation', modules.flatMap((module) => module.navigation ?? []));
  app.decorateRequest('tenant', null);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Tenant-scoped routes (those needing a permission) learn their tenant before validation runs.
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access && access !== 'public') request.tenant = (await resolveTenant(app.db, request)) ?? null;
  });

  await app.register(fastifyFormbody, { bodyLimit: config.bodyLimitBytes });
  await registerOpenApi(app, options.version);
  healthRoutes(app, options.migrationUnits);

  for (const module of modules) {
    const register = module.routes;
    if (register) await app.register(async (scope) => register(scope, { database }), { name: `module:${module.id}` } as object);
  }
  if (options.extraRoutes) await options.extraRoutes(app);
  return app;
}
