import type { FastifyReply, FastifyRequest } from 'fastify';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Config } from '../../config/index.ts';
import type { Db } from '../../db/index.ts';
import type { AppInstance, Entitlements } from '../../module/index.ts';
import type { Tenant } from '../../tenancy/index.ts';
import { actorLabel } from '../../context.ts';
import { AppError } from '../../errors.ts';
import { authenticate } from './credentials.ts';
import { createAuthorizer, NotEntitled, type Authorization } from './authorize.ts';
import { isAllowedOrigin, isWebSocketUpgrade, needsCsrfCheck } from './csrf.ts';
import type { Authenticated, Authenticator, SecurityEventSink } from './types.ts';


/** The route's rate class, or by method: reads and writes are limited separately. */
const rateClassOf = (request: FastifyRequest) => request.routeOptions.config.rateClass ?? (request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write');

export { SESSION_COOKIE, bearerToken } from './credentials.ts';
export { hiddenFields, canWriteField, assertWritableFields, withoutFields } from './field-rules.ts';
export type { Authenticated, Authenticator, GuardSecurityEvent, SecurityEventSink } from './types.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
    tenant: Tenant | null;
    permissions: ReadonlySet<string>;
    /** The modules the request's tenant may use (empty without one): the navigation shows only theirs. */
    entitledModules: ReadonlySet<string>;
  }
  interface FastifyInstance {
    /** What the app shell of a page may show the request's member (see Authorizer.forPage). */
    pageAuthorization(request: FastifyRequest): Promise<Authorization>;
  }
}

export interface GuardOptions {
  config: Config;
  db: Db;
  authenticator: Authenticator;
  securityEvents: SecurityEventSink;
  /** Which modules a business may use (kernel/module/entitlement.ts). */
  entitlements: Entitlements;
  /** Key for the CSRF token HMAC, so a token only fits its own session. */
  csrfKey: Buffer;
}

const EMPTY: ReadonlySet<string> = new Set();

/**
 * The request path every route goes through, as Fastify hooks in this order: client IP (trusted
 * proxies only, set on the Fastify instance) → actor from credentials → rate limit per actor or
 * IP by route class → tenant, membership, entitlement (a route of a module the business may not
 * use answers exactly as a missing route) and permission → CSRF and origin for browser writes →
 * handler → security headers on every response; every denial becomes a security event.
 */
export async function installGuard(app: AppInstance, options: GuardOptions): Promise<void> {
  const { config, db, authenticator, securityEvents } = options;
  const authorizer = createAuthorizer(db, options.entitlements);
  app.decorate('pageAuthorization', (request: FastifyRequest) => authorizer.forPage(request));
  app.decorateRequest('auth', null);
  // null here, an empty set once the guard ran: Fastify forbids shared reference defaults.
  app.decorateRequest('permissions', null as unknown as ReadonlySet<string>);
  app.decorateRequest('entitledModules', null as unknown as ReadonlySet<string>);
  app.addHook('onRequest', async (request) => {
    request.permissions = EMPTY;
    request.entitledModules = EMPTY;
  });

  const report = (request: FastifyRequest, kind: Parameters<SecurityEventSink>[0]['kind'], details: Record<string, unknown>) =>
    securityEvents({
      kind,
      tenantId: request.auth?.tenantId ?? null,
      actor: request.auth ? actorLabel(request.auth.actor) : 'anonymous',
      ip: request.ip,
      requestId: request.id,
      details: { method: request.method, route: request.routeOptions.url ?? request.url.split('?')[0], ...details },
    }).catch((error: unknown) => request.log.error({ err: error }, 'could not record security event'));

  await app.register(fastifyHelmet, {
    // Pages are server-rendered with no inline script; the API docs bring their own static CSP.
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'form-action': ["'self'"],
        // Only where the site is served over https: on a plain-http install (a shop's LAN) the
        // browser would otherwise rewrite every form post and asset to an https that isn't there.
        'upgrade-insecure-requests': config.publicUrl?.startsWith('https:') ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
    // Not helmet's no-referrer: under it browsers send `Origin: null` with every form post, which
    // the same-origin check must refuse. same-origin still sends nothing to other sites, so URLs
    // carrying tokens (/reset-password/…, /invite/…) never leave.
    referrerPolicy: { policy: 'same-origin' },
  });

  app.addHook('onRequest', async (request) => {
    request.auth = await authenticate(request, authenticator);
  });

  await app.register(fastifyRateLimit, {
    global: true,
    hook: 'onRequest',
    // One window per class and actor: reading pages must not use up the few sign-ins a minute
    // (a busy manager was refused the till's PIN sign-in after browsing).
    keyGenerator: (request) => `${rateClassOf(request)}:${request.auth?.userId ? `user:${request.auth.userId}` : `ip:${request.ip}`}`,
    max: (request) => config.rateLimitPerMinute[rateClassOf(request)],
    timeWindow: 60_000,
    errorResponseBuilder: (request, context) => {
      void report(request, 'rate_limited', { limit: context.max });
      return new AppError('RATE_LIMIT', `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s.`, { retryAfterSeconds: Math.ceil(context.ttl / 1000) });
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    const policy = request.routeOptions.config.access ?? 'public';
    try {
      const { tenant, permissions, entitledModules } = await authorizer.authorize(request, policy);
      request.tenant = tenant;
      request.permissions = permissions;
      request.entitledModules = entitledModules;
    } catch (error) {
      // The not-found handler answers (API envelope or 404 page); returning the reply, which settles once sent, ends the request there.
      if (error instanceof NotEntitled) return reply.callNotFound();
      if (error instanceof AppError) await report(request, error.code === 'AUTHN' ? 'authn_failed' : 'access_denied', { code: error.code, reason: error.details?.reason ?? null });
      throw error;
    }
  });

  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'plinth_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', signed: true, secure: 'auto' },
    getUserInfo: (request) => request.auth?.sessionId ?? 'anonymous',
    csrfOpts: { hmacKey: options.csrfKey },
    getToken: (request) => {
      const body = request.body as Record<string, unknown> | undefined;
      const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
      const header = request.headers['x-csrf-token'];
      return fromBody ?? (typeof header === 'string' ? header : undefined);
    },
  });

  const assertSameOrigin = async (request: FastifyRequest) => {
    if (isAllowedOrigin(request, config.publicUrl)) return;
    await report(request, 'csrf_rejected', { origin: request.headers.origin ?? null });
    throw new AppError('AUTHZ', 'This request came from another site.', { reason: 'CROSS_ORIGIN' });
  };

  app.addHook('onRequest', async (request) => {
    if (isWebSocketUpgrade(request)) await assertSameOrigin(request);
  });

  // After body parsing (forms carry the token in a hidden field), before validation and handler.
  app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!needsCsrfCheck(request)) return;
    await assertSameOrigin(request);
    // csrfProtection answers a bad token with reply.send(error) and never calls back; a reply
    // whose send rejects turns that into a rejection here, so the denial is recorded and answered
    // as ours (and no promise is left pending).
    await new Promise<void>((resolve, reject) => {
      const rejectingReply = Object.create(reply, { send: { value: (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))) } }) as FastifyReply;
      app.csrfProtection(request, rejectingReply, (error?: Error) => (error ? reject(error) : resolve()));
    }).catch(async () => {
      await report(request, 'csrf_rejected', { reason: 'token' });
      throw new AppError('AUTHZ', 'The form has expired or did not come from this site; reload the page and try again.', { reason: 'CSRF' });
    });
  });
}
