import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { AppInstance } from '../module/index.ts';
import { markScopePublic } from './access.ts';

/** OpenAPI 3.1 generated from the routes' Zod schemas, served at /openapi.json, browsable at /docs. */
export async function registerOpenApi(app: AppInstance, version: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Plinth API', version, description: 'Every error answers {error:{code,message,details?}}.' },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(async (docs) => {
    markScopePublic(docs);
    await docs.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { url: '/openapi.json' } });
  });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
