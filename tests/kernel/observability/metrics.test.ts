import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../../support/app.ts';

const TOKEN = 'metrics-token-0123456789abcdefghijklmnop';

describe('/metrics', () => {
  describe('without METRICS_TOKEN', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp();
    });
    after(() => t.close());

    test('answers this machine in the Prometheus text format, with latency by route template and the pool', async () => {
      const headers = await t.headersFor('tenant-a');
      await t.app.inject({ url: '/v1/catalog/products', headers });
      await t.app.inject({ url: '/v1/catalog/products/00000000-0000-4000-8000-000000000000', headers });
      await t.app.inject({ url: '/v1/catalog/products' });
      const response = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/plain/);
      assert.match(response.body, /plinth_http_request_duration_seconds_count\{method="GET",route="\/v1\/catalog\/products",status_code="200"\} 1/);
      assert.match(response.body, /route="\/v1\/catalog\/products\/:id",status_code="404"/, 'ids never become labels');
      assert.match(response.body, /plinth_guard_denials_total\{kind="authn_failed"\} 1/);
      assert.match(response.body, /plinth_db_pool_connections\{state="total"\} \d+/);
      assert.match(response.body, /plinth_process_cpu_seconds_total/);
      assert.match(response.body, /plinth_outbox_pending_events \d+/, 'job metrics come from the database, whichever process runs the workers');
      assert.match(response.body, /# TYPE plinth_jobs gauge/);
      assert.match(response.body, /plinth_websocket_connections 0/);
      await t.database.pool.query("INSERT INTO pgboss.job (name, data) VALUES ('jobs.dead-letter', '{}'), ('jobs.dead-letter', '{}')");
      const after_ = await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' });
      assert.match(after_.body, /plinth_jobs\{state="dead_letter"\} 2/);
    });

    test('refuses anyone else', async () => {
      const response = await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
      assert.equal(response.statusCode, 401);
      assert.equal((response.json() as { error: { code: string } }).error.code, 'AUTHN');
    });
  });

  describe('with METRICS_TOKEN', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({ METRICS_TOKEN: TOKEN });
    });
    after(() => t.close());

    test('needs the token, from anywhere, loopback included', async () => {
      assert.equal((await t.app.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode, 401);
      assert.equal((await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9', headers: { authorization: `Bearer ${TOKEN}x` } })).statusCode, 401);
      const scraped = await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9', headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(scraped.statusCode, 200);
      assert.match(scraped.body, /# TYPE plinth_http_request_duration_seconds histogram/);
    });
  });
});
