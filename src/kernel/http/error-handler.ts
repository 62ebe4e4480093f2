import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, ERROR_STATUS, type ErrorCode, type ErrorEnvelope, type ValidationIssue } from '../errors.ts';

type Location = ValidationIssue['in'];

function isLocation(value: unknown): value is Location {
  return value === 'body' || value === 'querystring' || value === 'params' || value === 'headers';
}

/** Fastify's own 4xx errors (bad JSON, empty or oversized body, wrong media type) carry safe messages. */
function codeForClientStatus(status: number): ErrorCode {
  if (status === 401) return 'AUTHN';
  if (status === 403) return 'AUTHZ';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMIT';
  return 'VALIDATION';
}

/**
 * PostgreSQL refuses text it cannot store: U+0000 in text (22021) or in jsonb (22P05), and an
 * unpaired UTF-16 surrogate in jsonb (22P02, "Unicode low surrogate must follow a high
 * surrogate"). Such text only ever comes from the request, so it is the client's error, whichever
 * field carried it.
 */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

function isUnstorableText(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    const { code, detail } = cause as { code?: unknown; detail?: unknown };
    if (UNSTORABLE_TEXT.has(String(code))) return true;
    if (code === '22P02' && typeof detail === 'string' && /surrogate/i.test(detail)) return true;
  }
  return false;
}

export function toEnvelope(error: FastifyError | Error): { status: number; body: ErrorEnvelope; internal: boolean } {
  if (error instanceof AppError) return { status: error.status, body: error.toEnvelope(), internal: false };
  if (isUnstorableText(error))
    return {
      status: 400,
      body: { error: { code: 'VALIDATION', message: 'Text may not contain the NUL character (U+0000) or unpaired UTF-16 surrogates.' } },
      internal: false,
    };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where: Location = isLocation(error.validationContext) ? error.validationContext : 'body';
    const issues: ValidationIssue[] = error.validation.flatMap((issue) => {
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const message = issue.message ?? 'is not valid';
      // An unknown key is reported on the object; point at each key instead.
      const keys = (issue.params as { keys?: unknown }).keys;
      if (Array.isArray(keys) && keys.length > 0)
        return keys.map((key) => ({ in: where, path: path ? `${path}.${String(key)}` : String(key), message: 'is not a known field' }));
      return [{ in: where, path, message }];
    });
    return {
      status: 400,
      body: { error: { code: 'VALIDATION', message: 'The request is not valid.', details: { issues } } },
      internal: false,
    };
  }
  const status = 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status >= 400 && status < 500 && !isResponseSerializationError(error)) {
    return { status, body: { error: { code: codeForClientStatus(status), message: error.message } }, internal: false };
  }
  return {
    status: ERROR_STATUS.INTERNAL,
    body: { error: { code: 'INTERNAL', message: 'Something went wrong on our side. Quote the request id when reporting it.' } },
    internal: true,
  };
}

/**
 * Answers an error with the envelope. Pass it as Fastify's `frameworkErrors` option too: errors
 * the router raises before any route is found (a malformed percent-encoding, an over-long path
 * parameter) skip setErrorHandler and would otherwise leave in Fastify's own shape.
 */
export function errorHandler(renderPage?: ErrorPageRenderer) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body, internal } = toEnvelope(error);
    if (internal) request.log.error({ err: error, reqId: request.id }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request rejected');
    if (internal) body.error.details = { requestId: request.id };
    return send(request, reply, status, body, renderPage);
  };
}

/**
 * Renders an error as a full HTML page for people browsing (not for API clients); `missingRoute`
 * when no route answers the address at all (or one the business may not use), whose envelope
 * message names the method and path, which is for developers.
 */
export type ErrorPageRenderer = (reply: FastifyReply, error: { status: number; envelope: ErrorEnvelope; missingRoute: boolean }) => Promise<string>;

/** A browser navigating to a page gets HTML; anything under /v1/ or not asking for HTML gets JSON. */
function wantsHtml(request: FastifyRequest): boolean {
  return !request.url.startsWith('/v1/') && (request.headers.accept ?? '').includes('text/html');
}

async function send(request: FastifyRequest, reply: FastifyReply, status: number, body: ErrorEnvelope, renderPage?: ErrorPageRenderer, missingRoute = false) {
  // A person browsing who is not signed in is sent to sign in, and brought back afterwards.
  if (renderPage && status === 401 && wantsHtml(request)) {
    const next = request.method === 'GET' ? request.url : '/';
    return reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);
  }
  if (renderPage && wantsHtml(request)) {
    const html = await renderPage(reply, { status, envelope: body, missingRoute });
    return reply.code(status).type('text/html; charset=utf-8').send(html);
  }
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/** Every failure leaves as the standard envelope; causes of INTERNAL stay in the log, keyed by request id. */
export function installErrorHandling(app: FastifyInstance, renderPage?: ErrorPageRenderer): void {
  app.setErrorHandler(errorHandler(renderPage));
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorEnvelope = { error: { code: 'NOT_FOUND', message: `No route for ${request.method} ${request.url.split('?')[0]}.` } };
    return send(request, reply, 404, body, renderPage, true);
  });
}
