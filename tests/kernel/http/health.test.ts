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
    assert.deepEqual(response.json(), { status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
  });

  test('GET /ready is 503 and names the unit when a migration is missing', async () => {
    await t.database.db.execute(sql`DELETE FROM plinth_migrations.catalog`);
    const response = await t.app.inject({ method: 'GET', url: '/ready' });
    assert.equal(response.statusCode, 503);
    assert.deepEqual(response.json().checks.migrations, { pending: ['catalog'] });
  });
});
