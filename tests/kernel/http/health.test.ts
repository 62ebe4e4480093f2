import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../support/app.ts';

describe('health and readiness', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('GET /health answers while the process is up', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
    assert.match(String(response.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('GET /ready is 200 when the database answers and migrations are current', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/ready' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ready', checks: { database: 'ok', migrations: 'ok', modules: { dispatcher: 'ok' } } });
  });

  test('GET /ready is 503 while events wait in the outbox for over a minute (no dispatcher running), and ready again once they leave', async () => {
    await t.database.db.execute(
      sql`INSERT INTO jobs_outbox (tenant_id, type, payload, occurred_at) VALUES (${t.tenantA.id}, 'catalog.product.created', '{}', now() - interval '5 minutes')`,
    );
    const stuck = await t.app.inject({ method: 'GET', url: '/ready' });
    assert.equal(stuck.statusCode, 503);
    assert.match(stuck.json().checks.modules.dispatcher.problem, /1 events waiting, the oldest for 3\d\d s/);
    await t.database.db.execute(sql`UPDATE jobs_outbox SET dispatched_at = now()`);
    assert.equal((await t.app.inject({ method: 'GET', url: '/ready' })).statusCode, 200);
  });

  test('GET /ready is 503 and names the unit when a migration is missing', async () => {
    await t.database.db.execute(sql`DELETE FROM plinth_migrations.catalog`);
    const response = await t.app.inject({ method: 'GET', url: '/ready' });
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json().checks.migrations, { pending: ['catalog'] });
  });
});
