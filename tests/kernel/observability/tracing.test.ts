import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTestApp, type TestApp } from '../../support/app.ts';

describe('OpenTelemetry tracing', () => {
  describe('switched on', () => {
    let t: TestApp;
    const exporter = new InMemorySpanExporter();
    before(async () => {
      t = await startTestApp({ OTEL_TRACING: 'true' }, { traceExporter: exporter });
    });
    after(() => t.close());

    test('a request becomes spans named by route template, with the status', async () => {
      exporter.reset();
      const headers = await t.headersFor('tenant-a');
      assert.equal((await t.app.inject({ url: '/v1/catalog/products/00000000-0000-4000-8000-000000000000', headers })).statusCode, 404);
      const spans = exporter.getFinishedSpans();
      const request = spans.find((span) => span.name === 'request');
      assert.ok(request, `spans: ${spans.map((span) => span.name).join(', ')}`);
      assert.equal(request.attributes['http.route'], '/v1/catalog/products/:id');
      assert.equal(request.attributes['http.response.status_code'], 404);
      assert.ok(spans.some((span) => span.name === 'handler - module:catalog'), 'the handler has its own span, named by module');
      assert.ok(spans.some((span) => span.name.startsWith('onRequest')), 'the guard hooks have spans of their own');
    });
  });

  describe('switched off (the default)', () => {
    let t: TestApp;
    const exporter = new InMemorySpanExporter();
    before(async () => {
      t = await startTestApp({}, { traceExporter: exporter });
    });
    after(() => t.close());

    test('records nothing', async () => {
      await t.app.inject({ url: '/health' });
      assert.equal(exporter.getFinishedSpans().length, 0);
    });
  });
});
