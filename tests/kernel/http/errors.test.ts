import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { pino } from 'pino';
import { z } from 'zod';
import { planEditions } from '../../../src/editions/compose.ts';
import { buildApp } from '../../../src/kernel/http/app.ts';
import { installErrorHandling } from '../../../src/kernel/http/error-handler.ts';
import { AppError, ERROR_STATUS } from '../../../src/kernel/errors.ts';
import type { ErrorCode } from '../../../src/kernel/errors.ts';
import type { AppInstance } from '../../../src/kernel/module/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { TEST_ROOT_SECRET, startTestApp, testConfig } from '../../support/app.ts';
import type { TestApp } from '../../support/app.ts';
import { createMigratedDatabase } from '../../support/database.ts';
import type { TestDatabase } from '../../support/database.ts';

const SECRET = 'secret SQL: select * from users';
const CODES: [ErrorCode, number][] = [
  ['VALIDATION', 400],
  ['AUTHN', 401],
  ['AUTHZ', 403],
  ['NOT_FOUND', 404],
  ['CONFLICT', 409],
  ['RATE_LIMIT', 429],
  ['INTERNAL', 500],
];

describe('error envelope (bare Fastify with installErrorHandling)', () => {
  let app: FastifyInstance;
  const logLines: Record<string, unknown>[] = [];

  before(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    let nextId = 0;
    app = Fastify({ loggerInstance: pino({ level: 'info' }, logStream) as FastifyBaseLogger, genReqId: () => `req-${++nextId}` });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandling(app);
    app.get<{ Params: { code: ErrorCode } }>('/fail/:code', async (request) => {
      throw new AppError(request.params.code, `failed with ${request.params.code}`);
    });
    app.get('/fail-with-details', async () => {
      throw new AppError('CONFLICT', 'That SKU is taken.', { reason: 'CATALOG_SKU_TAKEN' });
    });
    app.get('/boom', async () => {
      throw new Error(SECRET);
    });
    app.post('/things', { schema: { body: z.object({ name: z.string().min(1), tags: z.array(z.string()) }) } }, async () => ({}));
    await app.ready();
  });
  after(() => app.close());

  for (const [code, status] of CODES) {
    test(`AppError ${code} answers ${status} with the envelope`, async () => {
      const response = await app.inject({ method: 'GET', url: `/fail/${code}` });
      assert.equal(response.statusCode, status);
      assert.equal(ERROR_STATUS[code], status);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      assert.deepEqual(response.json(), { error: { code, message: `failed with ${code}` } });
    });
  }

  test('details of an AppError travel in the envelope', async () => {
    const response = await app.inject({ method: 'GET', url: '/fail-with-details' });
    assert.equal(response.statusCode, 409);
    assert.deepEqual(response.json(), {
      error: { code: 'CONFLICT', message: 'That SKU is taken.', details: { reason: 'CATALOG_SKU_TAKEN' } },
    });
  });

  test('an unexpected error is a 500 INTERNAL that hides its cause but logs it under the request id', async () => {
    const response = await app.inject({ method: 'GET', url: '/boom' });
    assert.equal(response.statusCode, 500);
    const body = response.json();
    assert.deepEqual(Object.keys(body), ['error']);
    assert.equal(body.error.code, 'INTERNAL');
    assert.equal(typeof body.error.details.requestId, 'string');
    assert.match(body.error.details.requestId, /^req-\d+$/);
    assert.ok(!response.body.includes('secret'), response.body);
    assert.ok(!response.body.includes('select * from users'), response.body);
    assert.ok(!/\bat .*\(.*:\d+:\d+\)/.test(response.body), `a stack trace leaked: ${response.body}`);

    const logged = logLines.find((line) => line.msg === 'request failed' && line.reqId === body.error.details.requestId);
    assert.ok(logged, 'the failure is logged with its request id');
    assert.equal((logged.err as { message?: string }).message, SECRET);
  });

  test('Zod validation errors list each issue with where, path and message', async () => {
    const response = await app.inject({ method: 'POST', url: '/things', payload: { name: '', tags: ['ok', 7] } });
    assert.equal(response.statusCode, 400);
    const body = response.json();
    assert.equal(body.error.code, 'VALIDATION');
    assert.equal(typeof body.error.message, 'string');
    const issues = body.error.details.issues as { in: string; path: string; message: string }[];
    assert.deepEqual(issues.map((issue) => [issue.in, issue.path]).sort(), [
      ['body', 'name'],
      ['body', 'tags.1'],
    ]);
    for (const issue of issues) assert.ok(issue.message.length > 0, JSON.stringify(issue));
  });
});

describe('error envelope (full app)', () => {
  let t: TestApp;
  let small: TestApp;
  let tenant: Record<string, string> = {};
  let smallTenant: Record<string, string> = {};
  before(async () => {
    [t, small] = await Promise.all([startTestApp(), startTestApp({ BODY_LIMIT_BYTES: '1024' })]);
    [tenant, smallTenant] = await Promise.all([t.headersFor('tenant-a'), small.headersFor('tenant-a')]);
  });
  after(() => Promise.all([t.close(), small.close()]));

  test('malformed JSON is 400 VALIDATION', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/catalog/products',
      headers: { ...tenant, 'content-type': 'application/json' },
      payload: '{"name": "Hammer",',
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error.code, 'VALIDATION');
    assert.equal(typeof response.json().error.message, 'string');
  });

  test('a body over BODY_LIMIT_BYTES is 413 with code VALIDATION', async () => {
    const product = { name: 'x'.repeat(2000), sku: 'BIG-1', priceMinor: 100, currency: 'EUR' };
    const response = await small.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: smallTenant, payload: product });
    assert.equal(response.statusCode, 413);
    assert.equal(response.json().error.code, 'VALIDATION');
    // The same body passes the default limit and is only refused for its over-long name.
    const normal = await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: tenant, payload: product });
    assert.equal(normal.statusCode, 400);
  });

  test('an unknown route is a 404 NOT_FOUND envelope naming method and path', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: '/v1/nowhere?x=1' });
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json(), { error: { code: 'NOT_FOUND', message: 'No route for DELETE /v1/nowhere.' } });
  });

  test('an unsupported content type is 415 VALIDATION', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/catalog/products',
      headers: { ...tenant, 'content-type': 'application/xml' },
      payload: '<product/>',
    });
    assert.equal(response.statusCode, 415);
    assert.equal(response.json().error.code, 'VALIDATION');
  });

  test('Zod issues name where they are: body, querystring and params', async () => {
    const cases = [
      { method: 'POST' as const, url: '/v1/catalog/products', payload: { sku: 'A-1', priceMinor: -1, currency: 'EUR' }, where: 'body', paths: ['name', 'priceMinor'] },
      { method: 'GET' as const, url: '/v1/catalog/products?page=abc', where: 'querystring', paths: ['page'] },
      { method: 'GET' as const, url: '/v1/catalog/products/not-a-uuid', where: 'params', paths: ['id'] },
    ];
    for (const { where, paths, ...request } of cases) {
      const response = await t.app.inject({ ...request, headers: tenant });
      assert.equal(response.statusCode, 400, `${request.url}: ${response.body}`);
      const { error } = response.json();
      assert.equal(error.code, 'VALIDATION');
      const issues = error.details.issues as { in: string; path: string; message: string }[];
      assert.deepEqual(issues.map((issue) => issue.path).sort(), paths, response.body);
      for (const issue of issues) {
        assert.equal(issue.in, where, response.body);
        assert.equal(typeof issue.message, 'string');
        assert.ok(issue.message.length > 0);
      }
    }
  });
});

describe('INTERNAL through the app built by buildApp', () => {
  let app: AppInstance;
  let database: TestDatabase;
  before(async () => {
    const config = testConfig();
    const plan = planEditions(config);
    database = await createMigratedDatabase();
    app = await buildApp({
      config,
      database,
      logger: createLogger('silent'),
      modules: plan.modules,
      editions: plan.editions,
      migrationUnits: plan.migrationUnits,
      version: 'test',
      extraRoutes: (instance) => {
        instance.get('/test/boom', { config: { access: 'public' } }, async () => {
          throw new Error(SECRET);
        });
      },
      rootSecret: TEST_ROOT_SECRET,
      authenticator: { fromSessionCookie: async () => null, fromBearer: async () => null },
      securityEvents: async () => undefined,
    });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await database.drop();
  });

  test('details.requestId is the x-request-id the response carries', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/boom' });
    assert.equal(response.statusCode, 500);
    const requestId = response.headers['x-request-id'];
    assert.match(String(requestId), /^[0-9a-f-]{36}$/);
    assert.deepEqual(response.json(), {
      error: {
        code: 'INTERNAL',
        message: 'Something went wrong on our side. Quote the request id when reporting it.',
        details: { requestId },
      },
    });
    assert.ok(!response.body.includes('secret'));
  });
});
