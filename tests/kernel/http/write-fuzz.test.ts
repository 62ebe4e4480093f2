/**
 * Fuzzes every write route (POST, PUT, PATCH, DELETE in app.routePolicies, so new routes are
 * covered without edits) with malformed JSON, oversized bodies, wrong types, hostile Unicode and
 * injection strings, in the body and in path parameters. Every answer must be a 4xx (a JSON
 * envelope, or an HTML page for page routes), Object.prototype must stay clean, and the database
 * must not change.
 *
 * Every attempt is INVALID BY CONSTRUCTION: it carries at least one flaw that no correct server
 * may accept (a document no JSON parser reads, a body over the limit, a media type no route
 * parses, a field of a type the route's schema rejects, text with U+0000 that PostgreSQL cannot
 * store, a path parameter naming no row, another tenant's row). A valid request would rightly
 * write something, so "the database is unchanged" only holds for invalid ones. The other parts of
 * an attempt are as plausible as we can make them (values the app itself answered), so the flaw
 * reaches as far into the use case and the database as it can.
 *
 * What the fuzzer knows of a route it learns from the running app: body schemas from the OpenAPI
 * document, form fields by crawling the pages as a signed-in owner, real ids and plausible values
 * from the API's list routes. No seed is fixed: fast-check prints the seed and the shrunk attempt
 * of a failure, and `fc.assert(…, { seed, path })` replays it.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import Stripe from 'stripe';
import { PLATFORM_TENANT_ID } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, TEST_STRIPE_WEBHOOK_SECRET } from '../../support/app.ts';
import { platformAdmin } from '../../modules/platform/support.ts';
import { createProductVia } from '../../support/catalog.ts';
import { decodeEntities, findTags, parseAttributes } from '../../support/html.ts';
import { BODY_FLAWS, deepNesting, flawedObjectJson, hostileString, hostileValue, hugeString, malformedJson, nestedArrays, nulString, plausibleValue, toJsonText, type BodyFlaw, type JsonSchema } from '../../support/fuzz.ts';

/** Attempts for the whole file, shared out over the routes (at least MIN_RUNS each) so it stays quick as routes are added. */
const TOTAL_RUNS = 800;
const MIN_RUNS = 15;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CLIENT_CODES = new Set(['VALIDATION', 'AUTHN', 'AUTHZ', 'NOT_FOUND', 'CONFLICT', 'RATE_LIMIT']);
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const HTML_ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8';
/** Media types no route parses (text/plain is parsed, so it is not here); near misses of JSON included. */
const UNPARSED_TYPES = ['application/xml', 'multipart/form-data; boundary=----fuzz', 'application/octet-stream', 'image/png', 'text/html', 'application/jsonx', 'application/json-patch+json'];

/**
 * Tables a rejected request may legitimately change, kept as few as possible: a table's rows, or
 * only some columns. Every other table of the public schema must be byte-for-byte the same.
 */
const MAY_CHANGE: Record<string, 'rows' | string[]> = {
  // Denials (CSRF, permissions) and failed sign-ins are recorded: that is the table's job.
  security_event: 'rows',
  // Failed sign-ins count towards locking the address and the account.
  identity_lockout: 'rows',
  // A browser request touches its session at most once a minute (idle expiry moves with it).
  identity_session: ['last_seen_at', 'idle_expires_at'],
};

// --- the app, its data, and what the fuzzer learns of it -------------------------------------

const t = await startTestApp();
after(() => t.close());
const bearerA = await t.headersFor('tenant-a');
const bearerB = await t.headersFor('tenant-b');
const admin = await platformAdmin(t);
const bearerAdmin = admin.headers;
const browsers = { a: await t.browserFor('tenant-a'), b: await t.browserFor('tenant-b'), admin: await t.browserAs({ userId: admin.userId, tenantId: PLATFORM_TENANT_ID }) };

// Rows the fuzzer could damage: products (one archived) and a custom role.
const seeded = await Promise.all([
  createProductVia(t, 'tenant-a', { name: 'Fuzz lamp', sku: 'FUZZ-LAMP', priceMinor: 1250 }),
  createProductVia(t, 'tenant-a', { name: 'Fuzz chair', sku: 'FUZZ-CHAIR', priceMinor: 9900 }),
]);
await t.app.inject({ method: 'POST', url: `/v1/catalog/products/${seeded[1].id}/archive`, headers: bearerA });
const role = await t.app.inject({ method: 'POST', url: '/v1/access/roles', headers: bearerA, payload: { key: 'fuzz_clerk', name: 'Fuzz clerk', permissions: ['catalog.product.read'] } });
assert.equal(role.statusCode, 201, role.body);

interface FormField {
  type: string;
  values: Set<string>;
}

interface WriteRoute {
  method: string;
  url: string;
  params: string[];
  /** The JSON body schema the OpenAPI document gives, for API routes. */
  bodySchema?: JsonSchema;
  /** Fields of the forms on the app's pages that post here (the CSRF field aside). */
  form: Map<string, FormField>;
  /** Values of each path parameter that name real rows of tenant A. */
  realParams: Map<string, Set<string>>;
}

const patternOf = (url: string) => new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`);
const paramNames = (url: string) => [...url.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
const addTo = <K, V>(map: Map<K, Set<V>>, key: K, value: V) => map.set(key, (map.get(key) ?? new Set<V>()).add(value));

const routes: WriteRoute[] = t.app.routePolicies
  .filter(({ method }) => WRITE_METHODS.has(method))
  .map(({ method, url }) => ({ method, url, params: paramNames(url), form: new Map(), realParams: new Map() }));

/** Field name → values the app answered for it, from every list route of the API. */
const seen = new Map<string, Set<unknown>>();
const isScalar = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

function harvest(value: unknown, listUrl: string): void {
  if (Array.isArray(value)) return value.forEach((item) => harvest(item, listUrl));
  if (!value || typeof value !== 'object') return;
  for (const [key, field] of Object.entries(value)) {
    if (isScalar(field) || (Array.isArray(field) && field.every(isScalar))) {
      if ((seen.get(key)?.size ?? 0) < 8) addTo(seen, key, field);
      // An id under the list's own url names a row for routes below it (`<list>/:id…`).
      for (const route of routes) {
        const param = route.params.find((name) => route.url.startsWith(`${listUrl}/:${name}`));
        if (param && (key === param || key === 'id') && typeof field === 'string') addTo(route.realParams, param, field);
      }
    } else harvest(field, listUrl);
  }
}

/** The platform console's routes: sent as a platform administrator, so flaws reach past the permission check. */
const forConsole = (url: string) => url.startsWith('/console') || url.startsWith('/v1/platform/');

const getRoutes = t.app.routePolicies.filter(({ method, url }) => method === 'GET' && !url.includes('*'));
for (const { url } of getRoutes.filter(({ url }) => url.startsWith('/v1/') && !url.includes(':'))) {
  const response = await t.app.inject({ method: 'GET', url, headers: forConsole(url) ? bearerAdmin : bearerA });
  if (response.statusCode === 200 && String(response.headers['content-type']).startsWith(JSON_TYPE)) harvest((response.json() as { data?: unknown }).data, url);
}

const openApi = t.app.swagger() as { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>> };
for (const route of routes) {
  const operation = openApi.paths?.[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
  const schema = operation?.requestBody?.content?.[JSON_TYPE]?.schema;
  if (schema) route.bodySchema = schema;
}

/** Reads the forms of a page: where each posts, and its fields with the values they hold. */
function readForms(html: string): { action: string; fields: [string, string, string][] }[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].flatMap(([, attributes = '', inner = '']) => {
    const form = parseAttributes(attributes);
    if ((form.method ?? 'get').toLowerCase() !== 'post' || !form.action) return [];
    const inputs = findTags(inner, 'input').map(({ attributes: input }): [string, string, string] => [input.name ?? '', input.type ?? 'text', input.value ?? '']);
    const textareas = [...inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)].map(([, tag = '', text = '']): [string, string, string] => [parseAttributes(tag).name ?? '', 'textarea', decodeEntities(text)]);
    const selects = [...inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)].flatMap(([, tag = '', options = '']) =>
      findTags(options, 'option').map(({ attributes: option }): [string, string, string] => [parseAttributes(tag).name ?? '', 'select', option.value ?? '']),
    );
    return [{ action: form.action, fields: [...inputs, ...textareas, ...selects].filter(([name]) => name !== '' && name !== '_csrf') }];
  });
}

// Crawl the pages as tenant A's owner, then the console as the platform administrator: every GET
// page route without parameters, then the links on the same side.
const pageRoutes = getRoutes.filter(({ url }) => !url.startsWith('/v1/')).map(({ url }) => patternOf(url));
const startPages = getRoutes.filter(({ url }) => !url.startsWith('/v1/') && !url.includes(':')).map(({ url }) => url);

async function crawl(cookie: string, consoleSide: boolean): Promise<void> {
  const queue = startPages.filter((url) => forConsole(url) === consoleSide);
  const visited = new Set<string>();
  while (queue.length > 0 && visited.size < 40) {
    const url = queue.shift() as string;
    if (visited.has(url)) continue;
    visited.add(url);
    const page = await t.app.inject({ method: 'GET', url, headers: { cookie, accept: HTML_ACCEPT } });
    if (page.statusCode !== 200 || !String(page.headers['content-type']).startsWith('text/html')) continue;
    for (const [, href = ''] of page.body.matchAll(/<a\b[^>]*\shref="(\/[^"/][^"]*|\/)"/g)) {
      const path = decodeEntities(href).split(/[?#]/)[0] as string;
      if (forConsole(path) === consoleSide && pageRoutes.some((pattern) => pattern.test(path))) queue.push(path);
    }
    for (const { action, fields } of readForms(page.body)) {
      for (const route of routes.filter(({ method }) => method === 'POST')) {
        const match = patternOf(route.url).exec(decodeEntities(action).split('?')[0] as string);
        if (!match) continue;
        for (const [name, value] of Object.entries(match.groups ?? {})) addTo(route.realParams, name, decodeURIComponent(value));
        for (const [name, type, value] of fields) {
          const field = route.form.get(name) ?? { type, values: new Set() };
          route.form.set(name, field);
          if (value !== '') field.values.add(value);
        }
      }
    }
  }
}
await crawl(browsers.a.cookie, false);
await crawl(browsers.admin.cookie, true);

/**
 * Webhooks take no schema of ours (the provider's event is verified on its raw bytes): the
 * fuzzer sends Stripe events, signed with the test secret so every flaw reaches past the signature.
 */
const WEBHOOK_URL = '/v1/webhooks/:provider';
const STRIPE_EVENT: JsonSchema = {
  type: 'object',
  required: ['id', 'object', 'type', 'data'],
  properties: {
    id: { type: 'string', pattern: '^evt_[A-Za-z0-9]{8,24}$' },
    object: { const: 'event' },
    type: { enum: ['payment_intent.succeeded', 'charge.refunded', 'checkout.session.completed'] },
    created: { type: 'integer', minimum: 1_700_000_000, maximum: 1_900_000_000 },
    data: { type: 'object', required: ['object'], properties: { object: { type: 'object', properties: { id: { type: 'string' }, amount: { type: 'integer' }, currency: { enum: ['eur', 'usd'] } } } } },
  },
};
const isWebhook = (route: WriteRoute) => route.url === WEBHOOK_URL;
for (const route of routes.filter(isWebhook)) {
  route.realParams.set('provider', new Set(['stripe']));
  route.bodySchema = STRIPE_EVENT;
}

// --- attempts -----------------------------------------------------------------------------

type Body =
  | { kind: 'none' }
  | { kind: 'text'; contentType: string; text: string }
  | { kind: 'oversized'; contentType: string; extra: number }
  | { kind: 'form'; fields: [string, string][]; raw: string };

interface Attempt {
  /** The flaw that makes the attempt invalid, for the failure message. */
  flaw: string;
  params: Record<string, string>;
  /** Who sends it: a tenant owner's bearer token, or the owner's signed-in browser (the platform administrator's, on console routes). */
  via: 'bearer-a' | 'bearer-b' | 'browser-a' | 'browser-b' | 'bearer-admin' | 'browser-admin';
  accept: string | undefined;
  body: Body;
}

const bodySummary = (body: Body) =>
  body.kind === 'none' ? 'no body' : body.kind === 'oversized' ? `${body.contentType}, ${body.extra} bytes over the limit` : JSON.stringify(body.kind === 'text' ? body.text.slice(0, 300) : body.fields).slice(0, 400);

/** One line per attempt, cut short: fast-check prints it for a counterexample, and bodies run to a megabyte. */
function describeAttempt(route: WriteRoute, attempt: Attempt): string {
  return `${route.method} ${route.url} [${attempt.flaw}] via ${attempt.via} params=${JSON.stringify(attempt.params).slice(0, 300)} body=${bodySummary(attempt.body)}`;
}

/** Percent-encodes every byte but unreserved characters; a few raw segments test the URL decoder. */
const encodeSegment = (value: string) =>
  value.startsWith('raw:') ? value.slice(4) : [...Buffer.from(value, 'utf8')].map((byte) => (/[A-Za-z0-9_~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

/** Path parameters that name no row; `.` and `..` are left out since URLs resolve them away. */
const noRowParam: fc.Arbitrary<string> = fc.oneof(
  fc.uuid(),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0', '-1', 'null', 'undefined'),
  fc.constantFrom('raw:%', 'raw:%ZZ', 'raw:%C0%AF', 'raw:%FF%FE', 'raw:%00', 'raw:%2e%2e%2fetc', 'raw:%E2%80%AE'),
  hostileString.filter((value) => value !== '' && value !== '.' && value !== '..'),
);

const realOrNoRow = (route: WriteRoute, name: string): fc.Arbitrary<string> => {
  const real = [...(route.realParams.get(name) ?? [])];
  return real.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...real), weight: 3 }, { arbitrary: noRowParam, weight: 1 }) : noRowParam;
};

const seenValues = Object.fromEntries([...seen].map(([key, values]) => [key, [...values]]));
const textFields = (route: WriteRoute) => [...route.form].filter(([, { type }]) => ['text', 'search', 'email', 'url', 'tel', 'number', 'textarea'].includes(type)).map(([name]) => name);

/** Values of the route's form: what the pages held or the API answered for that name, or hostile text. */
function formValue(route: WriteRoute, name: string): fc.Arbitrary<string> {
  const known = [...(route.form.get(name)?.values ?? []), ...(seen.get(name) ?? [])].filter((value) => isScalar(value) && value !== null).map(String);
  return known.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: hostileString, weight: 1 }) : hostileString;
}

/** Form values the edge refuses: NUL, text over the limit, percent-encoding that is malformed or not UTF-8 (an encoded surrogate). */
const FORM_FLAWS = {
  'NUL in a form field': (value: fc.Arbitrary<string>) => nulString(value),
  'huge text in a form field': () => hugeString,
  'malformed percent-encoding in a form field': (value: fc.Arbitrary<string>) =>
    fc.tuple(value, fc.constantFrom('%ED%A0%BD', '%ED%B0%80', '%FF', '%C0%AF', '%E2%82', '%', '%G1')).map(([text, raw]) => `raw:${encodeSegment(text)}${raw}`),
} satisfies Record<string, (value: fc.Arbitrary<string>) => fc.Arbitrary<string>>;

/** The route's form with one flawed text field; the rest plausible. Sent as a form, or (NUL, huge text) as JSON. */
function flawedForm(route: WriteRoute, flaw: keyof typeof FORM_FLAWS): fc.Arbitrary<Pick<Attempt, 'via' | 'body' | 'accept'>> | undefined {
  const targets = textFields(route);
  if (targets.length === 0) return undefined;
  const names = [...route.form.keys()];
  const fields = fc.constantFrom(...targets).chain((target) =>
    fc.tuple(...names.map((name) => (name === target ? FORM_FLAWS[flaw](formValue(route, name)) : formValue(route, name)).map((value): [string, string] => [name, value]))),
  );
  const asJsonToo = !flaw.startsWith('malformed');
  return fc.tuple(fields, fc.boolean(), fc.constantFrom('', '&%ZZ=%FF', '&__proto__=polluted&constructor%5Bprototype%5D%5Bpolluted%5D=1', '&&=&%=')).map(([entries, asForm, raw]) =>
    asForm || !asJsonToo
      ? { via: 'browser-a', accept: HTML_ACCEPT, body: { kind: 'form', fields: entries, raw } }
      : { via: 'bearer-a', accept: JSON_TYPE, body: { kind: 'text', contentType: JSON_TYPE, text: JSON.stringify(Object.fromEntries(entries)) } },
  );
}

/** Some body the route might take; only sent where another flaw makes the attempt invalid. */
function anyBody(route: WriteRoute): fc.Arbitrary<Pick<Attempt, 'via' | 'body' | 'accept'>> {
  const bodies: fc.Arbitrary<Pick<Attempt, 'via' | 'body' | 'accept'>>[] = [
    fc.constant({ via: 'bearer-a', accept: undefined, body: { kind: 'none' } }),
    hostileValue.map((value) => ({ via: 'bearer-a', accept: JSON_TYPE, body: { kind: 'text', contentType: JSON_TYPE, text: toJsonText(value) } })),
  ];
  if (route.bodySchema) bodies.push(plausibleValue(route.bodySchema, [], seenValues).map((value) => ({ via: 'bearer-a', accept: JSON_TYPE, body: { kind: 'text', contentType: JSON_TYPE, text: toJsonText(value) } })));
  if (route.form.size > 0)
    bodies.push(fc.tuple(...[...route.form.keys()].map((name) => formValue(route, name).map((value): [string, string] => [name, value]))).map((fields) => ({ via: 'browser-a', accept: HTML_ACCEPT, body: { kind: 'form', fields, raw: '' } })));
  return fc.oneof(...bodies);
}

const BODY_FLAW_NAMES: Record<BodyFlaw, string> = {
  'wrong-type': 'field of a wrong type',
  nul: 'NUL in a text field',
  surrogate: 'unpaired surrogate in a text field',
  'huge-text': 'huge text in a text field',
  deep: 'field nested too deep',
  'unsafe-number': 'number beyond 2^53',
  'duplicate-key': 'duplicate key',
};

/** On console routes the owner of tenant A is replaced by the platform administrator. */
const asAdmin = (attempt: Attempt): Attempt => ({ ...attempt, via: attempt.via === 'bearer-a' ? 'bearer-admin' : attempt.via === 'browser-a' ? 'browser-admin' : attempt.via });

/** Every kind of invalid attempt that applies to the route, each with the flaw that guarantees it. */
function attemptsFor(route: WriteRoute): fc.Arbitrary<Attempt> {
  const realParams = fc.record(Object.fromEntries(route.params.map((name) => [name, realOrNoRow(route, name)])));
  const onlyRealParams = fc.record(Object.fromEntries(route.params.map((name) => [name, fc.constantFrom(...(route.realParams.get(name) ?? ['']))])));
  const noRowParams = fc.record(Object.fromEntries(route.params.map((name) => [name, noRowParam])));
  const bearer = fc.constantFrom(undefined, JSON_TYPE, HTML_ACCEPT);
  const attempt = (flaw: string, params: fc.Arbitrary<Record<string, string>>, rest: fc.Arbitrary<Pick<Attempt, 'via' | 'body' | 'accept'>>) =>
    fc.tuple(params, rest).map(([chosen, { via, body, accept }]): Attempt => ({ flaw, params: chosen, via, accept, body }));
  const json = (text: fc.Arbitrary<string>, contentType: fc.Arbitrary<string> = fc.constant(JSON_TYPE)) =>
    fc.tuple(text, contentType, bearer).map(([chosen, type, accept]) => ({ via: 'bearer-a' as const, accept, body: { kind: 'text' as const, contentType: type, text: chosen } }));

  const kinds: fc.Arbitrary<Attempt>[] = [
    attempt('malformed JSON', realParams, json(malformedJson, fc.constantFrom(JSON_TYPE, `${JSON_TYPE}; charset=utf-8`))),
    attempt('media type no route parses', realParams, json(malformedJson, fc.constantFrom(...UNPARSED_TYPES))),
    attempt(
      'body over the limit',
      realParams,
      fc.tuple(fc.integer({ min: 1, max: 64 * 1024 }), fc.boolean()).map(([extra, asForm]) =>
        asForm
          ? { via: 'browser-a' as const, accept: HTML_ACCEPT, body: { kind: 'oversized' as const, contentType: FORM_TYPE, extra } }
          : { via: 'bearer-a' as const, accept: JSON_TYPE, body: { kind: 'oversized' as const, contentType: JSON_TYPE, extra } },
      ),
    ),
  ];
  if (route.params.length > 0) {
    kinds.push(attempt('path parameter naming no row', noRowParams, anyBody(route)));
    // A webhook has no tenant: its "row" is the provider, which anyone may post to.
    if (route.params.every((name) => route.realParams.has(name)) && !isWebhook(route))
      kinds.push(attempt("another tenant's row", onlyRealParams, anyBody(route).map((rest) => ({ ...rest, via: rest.via === 'browser-a' ? 'browser-b' : 'bearer-b' }))));
  }
  const schema = route.bodySchema;
  if (schema) {
    // The webhook route reads only the event's id and type: a wrong type elsewhere is no flaw there.
    for (const flaw of BODY_FLAWS.filter((flaw) => flaw !== 'wrong-type' || !isWebhook(route))) {
      const text = flawedObjectJson(schema, flaw, seenValues);
      if (text) kinds.push(attempt(BODY_FLAW_NAMES[flaw], realParams, json(text)));
    }
    if ([schema.type].flat().every((type) => type === 'object'))
      kinds.push(attempt('body that is not an object', realParams, json(fc.oneof(hostileValue.filter((value) => typeof value !== 'object' || Array.isArray(value) || value === null).map(toJsonText), deepNesting.map((depth) => nestedArrays(depth))))));
  }
  for (const flaw of Object.keys(FORM_FLAWS) as (keyof typeof FORM_FLAWS)[]) {
    const form = flawedForm(route, flaw);
    if (form) kinds.push(attempt(flaw, realParams, form));
  }
  return fc.oneof(...kinds).map((chosen) => {
    const sent = forConsole(route.url) ? asAdmin(chosen) : chosen;
    return Object.assign(sent, { [fc.toStringMethod]: () => describeAttempt(route, sent) });
  });
}

function buildRequest(route: WriteRoute, attempt: Attempt) {
  const url = route.url.replace(/:(\w+)/g, (_, name: string) => encodeSegment(attempt.params[name] ?? ''));
  const browser = attempt.via === 'browser-b' ? browsers.b : attempt.via === 'browser-admin' ? browsers.admin : browsers.a;
  const bearers: Partial<Record<Attempt['via'], Record<string, string>>> = { 'bearer-a': bearerA, 'bearer-b': bearerB, 'bearer-admin': bearerAdmin };
  const headers: Record<string, string> = { ...(bearers[attempt.via] ?? { cookie: browser.cookie }) };
  if (attempt.accept) headers.accept = attempt.accept;
  const { body } = attempt;
  if (body.kind === 'none') return { method: route.method, url, headers };
  // Signed as Stripe signs, so the flaw reaches past the signature check.
  if (body.kind === 'text' && isWebhook(route)) headers['stripe-signature'] = Stripe.webhooks.generateTestHeaderString({ payload: body.text, secret: TEST_STRIPE_WEBHOOK_SECRET });
  if (body.kind === 'text') return { method: route.method, url, headers: { ...headers, 'content-type': body.contentType }, payload: body.text };
  if (body.kind === 'oversized') {
    const size = t.config.bodyLimitBytes + body.extra;
    const filler = body.contentType === FORM_TYPE ? `_csrf=${encodeURIComponent(browser.csrfToken)}&name=` : '{"name":"';
    return { method: route.method, url, headers: { ...headers, 'content-type': body.contentType }, payload: filler + 'x'.repeat(size - filler.length) };
  }
  const encode = (text: string) => encodeSegment(text).replaceAll('%20', '+');
  const fields = [['_csrf', browser.csrfToken], ...body.fields].map(([key, value]) => `${encode(key ?? '')}=${encode(value ?? '')}`);
  return { method: route.method, url, headers: { ...headers, 'content-type': FORM_TYPE }, payload: fields.join('&') + body.raw };
}

// --- what must hold -----------------------------------------------------------------------

const snapshotSql = async () => {
  const { rows } = await t.database.pool.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
  return rows
    .filter(({ tablename }) => MAY_CHANGE[tablename] !== 'rows')
    .map(({ tablename }) => {
      const skipped = [MAY_CHANGE[tablename] ?? []].flat().map((column) => ` - '${column}'`).join('');
      return `SELECT '${tablename}' AS name, count(*)::int AS rows, md5(coalesce(string_agg(row, '|' ORDER BY row), '')) AS hash FROM (SELECT (to_jsonb(t)${skipped})::text AS row FROM "${tablename}" t) s`;
    })
    .join('\nUNION ALL\n');
};
const SNAPSHOT = await snapshotSql();
const snapshot = async () => Object.fromEntries((await t.database.pool.query<{ name: string; rows: number; hash: string }>(SNAPSHOT)).rows.map(({ name, rows, hash }) => [name, `${rows}:${hash}`]));

let baseline = await snapshot();
const prototypeKeys = Reflect.ownKeys(Object.prototype).map(String).sort().join(',');

function assertRejected(route: WriteRoute, attempt: Attempt, response: LightMyRequestResponse): void {
  const where = `${describeAttempt(route, attempt)}\n→ ${response.statusCode} ${response.body.slice(0, 500)}`;
  assert.ok(response.statusCode >= 400 && response.statusCode < 500, `expected a 4xx: ${where}`);
  const type = String(response.headers['content-type']);
  if (type.startsWith('text/html') && !route.url.startsWith('/v1/')) {
    // Page routes answer people: an error page, or the form again with its errors.
    assert.match(response.body, /^<!doctype html>/i, `expected an HTML page: ${where}`);
    return;
  }
  assert.match(type, /^application\/json/, `expected JSON: ${where}`);
  const { error } = response.json() as { error?: { code?: unknown; message?: unknown } };
  assert.ok(error && CLIENT_CODES.has(String(error.code)), `expected a client error code: ${where}`);
  assert.equal(typeof error.message, 'string', `expected a message: ${where}`);
}

async function assertHarmless(route: WriteRoute, attempt: Attempt): Promise<void> {
  const response = await t.app.inject(buildRequest(route, attempt));
  assertRejected(route, attempt, response);
  const polluted = [];
  for (const key in {}) polluted.push(key);
  assert.deepEqual(polluted, [], `Object.prototype polluted by ${describeAttempt(route, attempt)}`);
  assert.equal(Reflect.ownKeys(Object.prototype).map(String).sort().join(','), prototypeKeys, `Object.prototype changed by ${describeAttempt(route, attempt)}`);
  const now = await snapshot();
  const changed = Object.keys(now).filter((table) => now[table] !== baseline[table]);
  // The next attempt compares with this state, so shrinking pins the one attempt that wrote.
  baseline = now;
  assert.deepEqual(changed, [], `the database changed: ${describeAttempt(route, attempt)}\n→ ${response.statusCode} ${response.body.slice(0, 300)}`);
}

describe('write routes reject hostile input with a 4xx and leave the database unchanged', () => {
  test('the fuzzer found the write routes, their body schemas and their forms', () => {
    assert.ok(routes.length > 0, 'no write routes in app.routePolicies');
    assert.ok(routes.some((route) => route.bodySchema), 'no body schema found in the OpenAPI document');
    assert.ok(routes.some((route) => textFields(route).length > 0), 'no form with text fields found on the pages');
    assert.ok(routes.some((route) => route.params.length > 0 && route.params.every((name) => route.realParams.has(name))), 'no real ids found for path parameters');
  });

  for (const route of routes) {
    test(`${route.method} ${route.url}`, async () => {
      await fc.assert(
        fc.asyncProperty(attemptsFor(route), (attempt) => assertHarmless(route, attempt)),
        { numRuns: Math.max(MIN_RUNS, Math.ceil(TOTAL_RUNS / routes.length)), includeErrorInReport: true },
      );
    });
  }
});

describe('regressions the fuzzer found', () => {
  const envelope = (response: LightMyRequestResponse) => (response.json() as { error: { code: string; message: string } }).error;

  test('text with U+0000 is a 400 VALIDATION, not a 500 from PostgreSQL', async () => {
    const before = await snapshot();
    const response = await t.app.inject({ method: 'POST', url: '/v1/catalog/products', headers: bearerA, payload: { name: 'a\u0000b', sku: 'NUL-1', priceMinor: 100, currency: 'EUR' } });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(envelope(response).code, 'VALIDATION');
    assert.deepEqual(await snapshot(), before);
  });

  test('a custom role naming an undeclared permission is a 400 VALIDATION, not a 500', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/v1/access/roles', headers: bearerA, payload: { key: 'fuzz_ghost', name: 'Ghost', permissions: ['no.such.permission'] } });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(envelope(response).code, 'VALIDATION');
  });

  test('router errors (bad percent-encoding, over-long parameter) answer the envelope', async () => {
    const badUrl = await t.app.inject({ method: 'POST', url: '/v1/catalog/products/%ZZ/archive', headers: bearerA });
    assert.equal(badUrl.statusCode, 400, badUrl.body);
    assert.equal(envelope(badUrl).code, 'VALIDATION');
    const longParam = await t.app.inject({ method: 'POST', url: `/v1/catalog/products/${'x'.repeat(500)}/archive`, headers: bearerA });
    assert.equal(longParam.statusCode, 414, longParam.body);
    assert.equal(envelope(longParam).code, 'VALIDATION');
    const page = await t.app.inject({ method: 'POST', url: '/catalog/products/%ZZ/archive', headers: { cookie: browsers.a.cookie, accept: HTML_ACCEPT } });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /^<!doctype html>/i);
  });
});
