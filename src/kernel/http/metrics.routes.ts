import type { FastifyRequest } from 'fastify';
import type { AppInstance } from '../module/index.ts';
import type { Metrics } from '../observability/metrics.ts';
import { sameSecret } from '../secrets/index.ts';
import { AppError } from '../errors.ts';
import { bearerToken } from './guard/index.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Who may scrape: Prometheus with METRICS_TOKEN as its bearer token, or, without one configured, this machine only. */
function mayScrape(request: FastifyRequest, token: string | undefined): boolean {
  if (!token) return LOOPBACK.has(request.ip);
  const presented = bearerToken(request);
  return presented !== undefined && sameSecret(Buffer.from(presented), Buffer.from(token));
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
