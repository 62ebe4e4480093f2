import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifySchema, RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { AppInstance } from '../module/index.ts';
import { markScopePublic, type AccessPolicy } from './access.ts';
import { SESSION_COOKIE } from './guard/index.ts';

/** The two ways to present credentials; every non-public operation accepts either. */
const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from POST /v1/auth/token' },
  session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Browser session (writes also need the CSRF token)' },
} as const;

/** What an operation's access policy looks like to API clients: `security` and, when one is needed, `x-permission`. */
export function accessAnnotations(access: AccessPolicy | undefined): Record<string, unknown> {
  if (access === undefined || access === 'public') return { security: [] };
  const security = [{ bearer: [] }, { session: [] }];
  return access === 'authenticated' ? { security } : { security, 'x-permission': access.permission };
}

/** OpenAPI 3.1 generated from the routes' Zod schemas, served at /openapi.json, browsable at /docs. */
export async function registerOpenApi(app: AppInstance, version: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Plinth API', version, description: 'Every error answers {error:{code,message,details?}}.' },
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform: (input) => {
      const transformed = jsonSchemaTransform(input);
      const route = input.route as RouteOptions;
      const schema = { ...(transformed.schema as FastifySchema), ...accessAnnotations(route.config?.access) };
      return { ...transformed, schema };
    },
  });
  await app.register(async (docs) => {
    markScopePublic(docs);
    await docs.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { url: '/openapi.json' } });
  });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
