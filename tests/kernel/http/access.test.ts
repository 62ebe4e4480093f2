import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { planEditions } from '../../../src/editions/compose.ts';
import { enforceRoutePolicies, markScopePublic, RoutePolicyError } from '../../../src/kernel/http/access.ts';
import { declaredPermissions } from '../../../src/kernel/module/index.ts';
import { startTestApp } from '../../support/app.ts';
import type { TestApp } from '../../support/app.ts';

const ok = async () => 'ok';

/** A bare app that enforces policies against `permissions`; `routes` adds the routes under test. */
function appWith(routes: (app: FastifyInstance) => void | Promise<void>, permissions = ['demo.thing.read']): FastifyInstance {
  const app = Fastify();
  enforceRoutePolicies(app, () => new Set(permissions));
  void app.register(async (scope) => routes(scope));
  return app;
}

/** Starts `app`, expecting a RoutePolicyError, and returns its message. */
async function readyFailure(app: FastifyInstance): Promise<string> {
  try {
    await app.ready();
  } catch (error) {
    assert.ok(error instanceof RoutePolicyError, `expected a RoutePolicyError, got ${String(error)}`);
    return error.message;
  } finally {
    await app.close().catch(() => undefined);
  }
  assert.fail('ready() succeeded');
}

async function assertReadyFails(app: FastifyInstance, ...patterns: RegExp[]): Promise<void> {
  const message = await readyFailure(app);
  for (const pattern of patterns) assert.match(message, pattern);
}

describe('enforceRoutePolicies', () => {
  test('an app whose routes all state a known policy starts and records them', async () => {
    const app = appWith((scope) => {
      scope.get('/open', { config: { access: 'public' } }, ok);
      scope.post('/things', { config: { access: { permission: 'demo.thing.read' } } }, ok);
    });
    await app.ready();
    assert.deepEqual(app.routePolicies, [
      { method: 'GET', url: '/open', access: 'public' },
      { method: 'HEAD', url: '/open', access: 'public' },
      { method: 'POST', url: '/things', access: { permission: 'demo.thing.read' } },
    ]);
    await app.close();
  });

  test('a route without config.access fails ready(), naming that route', async () => {
    const app = appWith((scope) => {
      scope.get('/open', { config: { access: 'public' } }, ok);
      scope.post('/forgotten', ok);
    });
    await assertReadyFails(app, /POST \/forgotten: no access policy/);
  });

  test('the problem list does not mention routes that are fine', async () => {
    const app = appWith((scope) => {
      scope.get('/open', { config: { access: 'public' } }, ok);
      scope.get('/forgotten', ok);
    });
    const message = await readyFailure(app);
    assert.match(message, /GET \/forgotten: no access policy/);
    assert.doesNotMatch(message, /\/open/);
  });

  test('a route naming a permission no module declares fails ready()', async () => {
    const app = appWith((scope) => {
      scope.delete('/things/:id', { config: { access: { permission: 'demo.thing.delete' } } }, ok);
    });
    await assertReadyFails(app, /DELETE \/things\/:id: permission demo\.thing\.delete is declared by no module/);
  });

  test('a signed-in route cannot opt out of CSRF checks', async () => {
    const app = appWith((scope) => {
      scope.post('/things', { config: { access: 'authenticated', csrf: false } }, ok);
    });
    await assertReadyFails(app, /POST \/things: only public routes may opt out of CSRF checks/);
  });

  test('every problem is reported at once', async () => {
    const app = appWith((scope) => {
      scope.get('/one', ok);
      scope.put('/two', { config: { access: { permission: 'demo.ghost.write' } } }, ok);
    });
    await assertReadyFails(app, /GET \/one: no access policy/, /PUT \/two: permission demo\.ghost\.write/);
  });

  test(
    'an explicitly registered HEAD route without a policy fails ready() too',
    async () => {
      const app = appWith((scope) => {
        scope.head('/probe', ok);
      });
      await assertReadyFails(app, /HEAD \/probe: no access policy/);
    },
  );

  test('markScopePublic marks every route of its plugin scope public, and nothing outside it', async () => {
    const app = Fastify();
    enforceRoutePolicies(app, () => new Set());
    await app.register(
      async (docs) => {
        markScopePublic(docs);
        docs.get('/page', ok);
        docs.get('/assets/*', ok);
      },
      { prefix: '/docs' },
    );
    await app.ready();
    const docsRoutes = app.routePolicies.filter((entry) => entry.url.startsWith('/docs'));
    assert.deepEqual(
      docsRoutes.filter((entry) => entry.method === 'GET').map((entry) => entry.url).sort(),
      ['/docs/assets/*', '/docs/page'],
    );
    for (const entry of docsRoutes) assert.equal(entry.access, 'public', `${entry.method} ${entry.url}`);
    await app.close();

    const leaky = Fastify();
    enforceRoutePolicies(leaky, () => new Set());
    await leaky.register(async (docs) => {
      markScopePublic(docs);
      docs.get('/docs', ok);
    });
    leaky.get('/outside', ok);
    await assertReadyFails(leaky, /GET \/outside: no access policy/);
  });
});

describe('the full app', () => {
  let t: TestApp;
  before(async () => {
    // Demo mode adds the tenant picker, so every route the build can serve is present.
    t = await startTestApp({ PLINTH_DEMO: 'true' });
  });
  after(() => t.close());

  test('every route has an access policy, and every permission named is declared by a module', () => {
    const permissions = declaredPermissions(planEditions({ editions: undefined }).modules);
    const policies = t.app.routePolicies;
    assert.ok(policies.some((entry) => entry.method === 'GET' && entry.url === '/health' && entry.access === 'public'));
    assert.ok(
      policies.some(
        (entry) =>
          entry.method === 'POST' &&
          entry.url === '/v1/catalog/products' &&
          typeof entry.access === 'object' &&
          entry.access.permission === 'catalog.product.write',
      ),
    );
    for (const { method, url, access } of policies) {
      assert.ok(access !== undefined, `${method} ${url} has no access policy`);
      if (typeof access === 'object') assert.ok(permissions.has(access.permission), `${method} ${url}: ${access.permission} is undeclared`);
    }
  });

  test('API routes under /v1 need a signed-in actor, except the sign-in endpoints and signed webhooks', () => {
    const api = t.app.routePolicies.filter((entry) => entry.url.startsWith('/v1/'));
    assert.ok(api.length > 0);
    // Sign-in and password-reset endpoints, business sign-up (before any account exists), and provider webhooks (authenticated by their signature instead).
    const signIn = new Set([
      '/v1/auth/token',
      '/v1/auth/token/refresh',
      '/v1/auth/terminal/pin',
      '/v1/auth/password-reset',
      '/v1/auth/password-reset/confirm',
      '/v1/platform/signups',
      '/v1/webhooks/:provider',
      '/v1/notify/sms/inbound/twilio',
    ]);
    for (const { method, url, access } of api) {
      if (signIn.has(url)) assert.equal(access, 'public', `${method} ${url} must be reachable before sign-in`);
      else assert.notEqual(access, 'public', `${method} ${url} is public`);
    }
  });

  test('/openapi.json is an OpenAPI 3.1 document describing the catalog API', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    const document = response.json();
    assert.match(document.openapi, /^3\.1\./);
    assert.equal(typeof document.info.title, 'string');
    assert.equal(typeof document.info.version, 'string');
    const products = document.paths['/v1/catalog/products'];
    assert.ok(products, `paths: ${Object.keys(document.paths).join(', ')}`);
    assert.ok(products.get, 'GET /v1/catalog/products is documented');
    assert.ok(products.post, 'POST /v1/catalog/products is documented');
    assert.ok(products.post.requestBody, 'the create operation documents its body');
    assert.equal(document.paths['/openapi.json'], undefined, 'hidden routes stay out of the document');
  });

  test('/openapi.json shows each operation’s access: public ones `security: []`, the others their schemes and `x-permission`', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.deepEqual(Object.keys(document.components.securitySchemes).sort(), ['bearer', 'session']);
    const documented = t.app.routePolicies.filter(({ method, url }) => document.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]);
    assert.ok(documented.length >= 10, `only ${documented.length} operations documented`);
    for (const { method, url, access } of documented) {
      const operation = document.paths[url.replace(/:(\w+)/g, '{$1}')][method.toLowerCase()];
      if (access === 'public') assert.deepEqual(operation.security, [], `${method} ${url}`);
      else assert.deepEqual(operation.security, [{ bearer: [] }, { session: [] }], `${method} ${url}`);
      assert.equal(operation['x-permission'], typeof access === 'object' ? access.permission : undefined, `${method} ${url}`);
    }
    assert.equal(document.paths['/v1/auth/token'].post.security.length, 0);
    assert.equal(document.paths['/v1/catalog/products'].post['x-permission'], 'catalog.product.write');
  });

  test('/docs answers 200 with an HTML page', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs' });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(response.body, /<html/i);
  });
});
