import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type pg from 'pg';

/** The process's Prometheus metrics; one registry per app, so tests and benchmarks never share counters. */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  securityDenials: Counter<'kind'>;
}

/**
 * HTTP latency by route template (never the raw URL, whose ids would explode the label set),
 * process metrics, and the database pool's connections, read when Prometheus scrapes.
 */
export function createMetrics(pool: pg.Pool): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'plinth_' });
  const httpDuration = new Histogram({
    name: 'plinth_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const securityDenials = new Counter({
    name: 'plinth_guard_denials_total',
    help: 'Requests the guard refused, by security event kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'plinth_db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  return { registry, httpDuration, securityDenials };
}

/** The WebSocket gateway's connections and the clients it had to drop, read at scrape time. */
export function registerRealtimeMetrics(
  registry: Registry,
  stats: () => { connections: number; slowConsumersDropped: number; deadSocketsDropped: number },
): void {
  new Gauge({
    name: 'plinth_websocket_connections',
    help: 'Open WebSocket connections on this node',
    registers: [registry],
    collect() {
      this.set(stats().connections);
    },
  });
  new Gauge({
    name: 'plinth_websocket_dropped',
    help: 'WebSocket clients dropped on this node, by reason (slow consumer, dead socket)',
    labelNames: ['reason'] as const,
    registers: [registry],
    collect() {
      const current = stats();
      this.set({ reason: 'slow_consumer' }, current.slowConsumersDropped);
      this.set({ reason: 'dead_socket' }, current.deadSocketsDropped);
    },
  });
}
