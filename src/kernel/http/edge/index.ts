import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ValidationIssue } from '../../errors.ts';
import { assertJsonStructure } from './json.ts';
import { parseFormBody, percentEncodingIssue } from './form.ts';
import { decodeUtf8Body, refused, textIssues } from './text.ts';

export { clientErrorHandler } from './client-errors.ts';
export { assertSignedJson, MAX_JSON_DEPTH } from './json.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A page form's post (set by the web kit's form route only): text of its body that breaks the
     * text rule is handed to the route (`formTextIssues`), which shows it next to the field with
     * what was typed, instead of refusing the request with an error page.
     */
    formPage?: true;
  }
}

const deferredIssues = new WeakMap<FastifyRequest, ValidationIssue[]>();

/** The body's text-rule breaches of a page form's post; the form route refuses to go on while there are any. */
export const formTextIssues = (request: FastifyRequest): readonly ValidationIssue[] => deferredIssues.get(request) ?? [];

function incomingTextIssues(request: FastifyRequest): ValidationIssue[] {
  const queryAt = request.url.indexOf('?');
  const encoding = queryAt === -1 ? undefined : percentEncodingIssue(request.url.slice(queryAt + 1), 'querystring');
  return [
    ...(encoding ? [encoding] : []),
    ...textIssues(request.query, 'querystring'),
    ...textIssues(request.params, 'params'),
    ...textIssues(request.body, 'body'),
  ];
}

/**
 * Input is checked once, here at the edge, before any schema or use case reads it: JSON bodies
 * (UTF-8, depth, duplicate keys, safe numbers; webhooks, kept raw for their signature, call
 * assertSignedJson), form bodies (UTF-8, percent-encoding), plain text (UTF-8), and the text rule
 * over every string of the body, query and path parameters, keys included. A breach is 400
 * VALIDATION naming the field.
 */
export function installEdgeRules(app: FastifyInstance, bodyLimit: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (request, raw: Buffer, done) => {
    const text = decodeUtf8Body(raw);
    // Fastify's own parser (prototype poisoning refused) answers synchronously.
    let parsed: { error: Error | null; value: unknown } = { error: null, value: undefined };
    parseJson(request, text, (error, value) => (parsed = { error, value }));
    if (!parsed.error) assertJsonStructure(text);
    done(parsed.error, parsed.value);
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer', bodyLimit }, (_request, raw: Buffer, done) => done(null, parseFormBody(raw)));
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'buffer', bodyLimit }, (_request, raw: Buffer, done) => done(null, decodeUtf8Body(raw)));
  app.addHook('preValidation', async (request) => {
    const issues = incomingTextIssues(request);
    if (issues.length === 0) return;
    if (request.routeOptions.config.formPage && issues.every((issue) => issue.in === 'body')) deferredIssues.set(request, issues);
    else throw refused(issues);
  });
}
