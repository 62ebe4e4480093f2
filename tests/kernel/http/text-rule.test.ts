/**
 * The edge rules: text (well-formed Unicode, no NUL, a length in characters) and JSON structure
 * (depth, duplicate keys, safe numbers) are checked once, for every body, query string and path
 * parameter, and a breach is a 400 VALIDATION naming the field, with nothing written.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import Stripe from 'stripe';
import { MAX_JSON_DEPTH } from '../../../src/kernel/http/edge/index.ts';
import { MAX_TEXT_CHARACTERS, textProblem } from '../../../src/kernel/text/index.ts';
import { jsonStructureIssue } from '../../../src/kernel/http/edge/json.ts';
import { startTestApp, TEST_STRIPE_WEBHOOK_SECRET, type TestApp, type TestBrowser } from '../../support/app.ts';
import { platformAdmin } from '../../modules/platform/support.ts';

interface Issue {
  in: string;
  path: string;
  message: string;
}
const issuesOf = (response: LightMyRequestResponse): Issue[] => {
  const { error } = response.json() as { error: { code: string; details?: { issues?: Issue[] } } };
  assert.equal(error.code, 'VALIDATION', response.body);
  return error.details?.issues ?? [];
};
const rejects = (response: LightMyRequestResponse, where: string, path: string, message: RegExp) => {
  assert.equal(response.statusCode, 400, response.body);
  const found = issuesOf(response).find((issue) => issue.in === where && issue.path === path);
  assert.ok(found, `no issue at ${where} ${path}: ${response.body}`);
  assert.match(found.message, message);
};

describe('the text rule', () => {
  test('refuses unpaired surrogates and NUL, counts characters (not UTF-16 units)', () => {
    assert.match(String(textProblem('tail\ud83d')), /well-formed/);
    assert.match(String(textProblem('\udfffhead')), /well-formed/);
    assert.match(String(textProblem('a\u0000b')), /NUL/);
    assert.equal(textProblem('\u{1f600}'.repeat(10), 10), undefined, 'ten emoji are ten characters');
    assert.match(String(textProblem('\u{1f600}'.repeat(11), 10)), /at most 10 characters/);
    assert.equal(textProblem('x'.repeat(MAX_TEXT_CHARACTERS)), undefined);
    assert.match(String(textProblem('x'.repeat(MAX_TEXT_CHARACTERS + 1))), /at most/);
  });
});

describe('the JSON structure rule', () => {
  const path = (text: string) => jsonStructureIssue(text, 'body')?.path;
  test('names a duplicate key, even when spelt with an escape, and the path to it', () => {
    assert.equal(path('{"a":1,"a":2}'), 'a');
    assert.equal(path('{"a":{"b":[1,{"c":1,"\\u0063":2}]}}'), 'a.b.1.c');
    assert.equal(path('{"a":{"x":1},"b":{"x":1}}'), undefined, 'the same key in two objects is no duplicate');
    assert.equal(path('{"a":"\\"a\\":1","b":"{"}'), undefined, 'keys and brackets inside strings are text');
  });

  test(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels and numbers beyond 2^53`, () => {
    assert.equal(jsonStructureIssue('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH), 'body'), undefined);
    assert.match(String(jsonStructureIssue('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1), 'body')?.message), /deeper than/);
    assert.equal(path('{"n":[1,9007199254740993]}'), 'n.1');
    assert.equal(path('{"n":-1e300}'), 'n');
    assert.equal(path('{"n":9007199254740991,"m":-9007199254740991,"f":0.5e-3}'), undefined);
  });
});

describe('requests breaking the edge rules are 400 VALIDATION naming the field, and write nothing', () => {
  let t: TestApp;
  let bearer: Record<string, string>;
  let browser: TestBrowser;
  let admin: Record<string, string>;
  const count = async (table: string) => Number((await t.database.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  const postJson = (url: string, payload: string, headers = bearer) => t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload });

  before(async () => {
    t = await startTestApp();
    bearer = await t.headersFor('tenant-a');
    browser = await t.browserFor('tenant-a');
    admin = (await platformAdmin(t)).headers;
  });
  after(() => t.close());

  test('an unpaired surrogate in a JSON field (the escape \\ud83d), where it was stored as U+FFFD', async () => {
    const before = await count('catalog_product');
    const response = await postJson('/v1/catalog/products', '{"name":"Lamp \\ud83d","sku":"SURR-1","priceMinor":100,"currency":"EUR"}');
    rejects(response, 'body', 'name', /well-formed Unicode/);
    assert.equal(await count('catalog_product'), before);
  });

  test('an unpaired surrogate in a platform plan name, where canonical JSON answered 500', async () => {
    const before = await count('platform_plan');
    const response = await postJson('/v1/platform/plans', '{"key":"surrogate","name":"Plan \\udc00","priceMinor":100,"currency":"EUR","interval":"month"}', admin);
    rejects(response, 'body', 'name', /well-formed Unicode/);
    assert.equal(await count('platform_plan'), before);
  });

  test('in nested fields, in keys, in form fields, in query strings and in path parameters alike', async () => {
    const nested = await postJson('/v1/access/roles', '{"key":"nested_x","name":"Nested","permissions":["catalog.product.read","a\\u0000b"]}');
    rejects(nested, 'body', 'permissions.1', /NUL/);
    const key = await postJson('/v1/catalog/products', '{"name":"Lamp","sku":"KEY-1","priceMinor":100,"currency":"EUR","\\ud800":1}');
    rejects(key, 'body', '(root)', /field name that must be well-formed/);
    const form = await t.app.inject({
      method: 'POST',
      url: '/catalog/products',
      headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      payload: `_csrf=${encodeURIComponent(browser.csrfToken)}&name=a%00b&sku=FORM-1&price=1.00&currency=EUR`,
    });
    // A page form answers with the form again (422), the refusal next to its field, rather than JSON.
    assert.equal(form.statusCode, 422, form.body);
    assert.match(form.body, /id="field-name-error">[^<]*NUL/);
    const query = await t.app.inject({ method: 'GET', url: `/v1/catalog/products?search=${'x'.repeat(MAX_TEXT_CHARACTERS + 1)}`, headers: bearer });
    rejects(query, 'querystring', 'search', /at most/);
    const param = await t.app.inject({ method: 'POST', url: '/v1/catalog/products/a%00b/archive', headers: bearer });
    rejects(param, 'params', 'id', /NUL/);
  });

  test('malformed percent-encoding and bytes that are not UTF-8 are refused, not turned into U+FFFD', async () => {
    const query = await t.app.inject({ method: 'GET', url: '/v1/catalog/products?search=%FF', headers: bearer });
    rejects(query, 'querystring', '', /percent-encoding/);
    const encodedSurrogate = await t.app.inject({
      method: 'POST',
      url: '/catalog/products',
      headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      payload: `_csrf=${encodeURIComponent(browser.csrfToken)}&name=%ED%A0%80&sku=FORM-2&price=1.00&currency=EUR`,
    });
    rejects(encodedSurrogate, 'body', '', /percent-encoding/);
    const latin1 = await t.app.inject({
      method: 'POST',
      url: '/v1/catalog/products',
      headers: { ...bearer, 'content-type': 'application/json' },
      payload: Buffer.concat([Buffer.from('{"name":"Caf'), Buffer.from([0xe9]), Buffer.from('","sku":"LAT-1","priceMinor":100,"currency":"EUR"}')]),
    });
    rejects(latin1, 'body', '', /UTF-8/);
  });

  test('duplicate keys, deep nesting and unsafe numbers in a JSON body', async () => {
    const before = await count('catalog_product');
    rejects(await postJson('/v1/catalog/products', '{"name":"Lamp","name":"Other","sku":"DUP-1","priceMinor":100,"currency":"EUR"}'), 'body', 'name', /more than once/);
    rejects(await postJson('/v1/catalog/products', `{"name":"Lamp","sku":"DEEP-1","priceMinor":100,"currency":"EUR","x":${'['.repeat(5000)}${']'.repeat(5000)}}`), 'body', `x${'.0'.repeat(MAX_JSON_DEPTH - 1)}`, /deeper than/);
    rejects(await postJson('/v1/catalog/products', '{"name":"Lamp","sku":"BIG-1","priceMinor":9007199254740993,"currency":"EUR"}'), 'body', 'priceMinor', /between/);
    assert.equal(await count('catalog_product'), before);
  });

  test('a correctly signed webhook nesting 5,000 levels deep, or with a duplicate key, is a 400 and stored nowhere', async () => {
    const before = await count('webhook_inbox');
    const send = (payload: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/webhooks/stripe',
        headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_STRIPE_WEBHOOK_SECRET }) },
        payload,
      });
    const deep = await send(`{"id":"evt_deep","type":"payment_intent.succeeded","data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`);
    rejects(deep, 'body', `data${'.a'.repeat(MAX_JSON_DEPTH - 1)}`, /deeper than/);
    rejects(await send('{"id":"evt_dup","type":"payment_intent.succeeded","type":"charge.refunded","data":{}}'), 'body', 'type', /more than once/);
    rejects(await send('{"id":"evt_surrogate","type":"payment_intent.succeeded","data":{"note":"\\ud83d"}}'), 'body', 'data.note', /well-formed/);
    assert.equal(await count('webhook_inbox'), before);
  });
});

describe('framework-level errors answer the envelope', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());
  const envelopeOf = (response: LightMyRequestResponse) => (response.json() as { error: { code: string; message: string } }).error;

  test('a body over the limit (413), a media type no route parses (415), malformed JSON (400)', async () => {
    const headers = await t.headersFor('tenant-a');
    const big = await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: { ...headers, 'content-type': 'application/json' }, payload: `{"name":"${'x'.repeat(t.config.bodyLimitBytes)}"}` });
    assert.equal(big.statusCode, 413);
    assert.equal(envelopeOf(big).code, 'VALIDATION');
    const xml = await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: { ...headers, 'content-type': 'application/xml' }, payload: '<a/>' });
    assert.equal(xml.statusCode, 415);
    assert.equal(envelopeOf(xml).code, 'VALIDATION');
    const broken = await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: { ...headers, 'content-type': 'application/json' }, payload: '{"name":' });
    assert.equal(broken.statusCode, 400);
    assert.equal(envelopeOf(broken).code, 'VALIDATION');
  });

  test("a 20,000-character URL gets node's 431 in our envelope, over a real connection", async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: `/v1/catalog/products?q=${'x'.repeat(20_000)}` }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }));
      });
      request.on('error', reject);
      request.end();
    });
    assert.equal(answer.status, 431, answer.body);
    assert.match(answer.type, /^application\/json/);
    assert.deepEqual(JSON.parse(answer.body), { error: { code: 'VALIDATION', message: 'The request line and headers are too large.' } });
  });
});
