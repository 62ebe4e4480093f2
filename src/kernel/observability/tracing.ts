import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { FastifyPluginCallback } from 'fastify';

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP traces endpoint, e.g. http://collector:4318/v1/traces. */
  endpoint: string | undefined;
  /** Tests pass an in-memory exporter; spans are then exported one by one, at once. */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** Register first on the app: it wraps every route and hook registered after it. */
  plugin: FastifyPluginCallback;
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry tracing of HTTP requests (a span per request and per hook, named by route
 * template), exported over OTLP/HTTP. Off unless OTEL_TRACING is set. Database spans would need
 * the pg instrumentation's module hooks, which ESM loads only through a --import loader; the
 * route and hook spans carry the timing that matters until then.
 */
export function createTracing(options: TracingOptions): Tracing {
  const exporter = options.exporter ?? new OTLPTraceExporter(options.endpoint ? { url: options.endpoint } : {});
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  // The process-wide provider (context propagation for nested spans); a test's own exporter stays local.
  if (!options.exporter) provider.register();
  const instrumentation = new FastifyOtelInstrumentation();
  instrumentation.setTracerProvider(provider);
  return {
    plugin: instrumentation.plugin() as FastifyPluginCallback,
    shutdown: () => provider.shutdown(),
  };
}
