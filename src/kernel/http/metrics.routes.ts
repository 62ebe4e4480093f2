import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppInstance } from '../module/index.ts';
import type { Metrics } from '../observability/metrics.ts';
import { AppError } from './errors.ts';
import { bearerToken } from './guard/index.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function sameSecret(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Who may scrape: Prometheus with METRICS_TOKEN as its bearer token, or, without one configured, this machine only. */
function mayScrape(request: FastifyRequest, token: string | undefined): boolean {
  return token ? sameSecret(bearerToken(request), token) : LOOPBACK.has(request.ip);
}

/** Records every response's latency by route template, and serves the registry at /metrics. */
export function metricsRoutes(app: AppInstance, metrics: Metrics, token: string | undefined): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (!mayScrape(request, token)) throw new AppError('AUTHN', 'Metrics need the scrape token.', { reason: 'METRICS_TOKEN' });
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
