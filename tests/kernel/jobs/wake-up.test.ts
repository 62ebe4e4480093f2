import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { APP_ROLE, createDatabase, type Database } from '../../../src/kernel/db/index.ts';
import { checkEmittedEvents, emit, startJobs, type JobsRuntime } from '../../../src/kernel/jobs/index.ts';
import { defineModule } from '../../../src/kernel/module/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createEffectTable, EFFECT_EVENT, effectHandler, jobtestEvents, until } from './fixture.ts';

const log = createLogger('silent');
const wakeModule = defineModule({ id: 'jobtest', permissions: [], emits: jobtestEvents, eventHandlers: [effectHandler('effect', [EFFECT_EVENT])] });
/** Longer than any wait below: an event is handled in time only if its commit woke the dispatcher. */
const NEVER_BY_POLLING_MS = 10 * 60_000;

let t: TestApp;
let appDatabase: Database;
let runtime: JobsRuntime;

const emitAs = (tenantId: string) => withTenantTx({ db: appDatabase.db, tenantId }, async (uow) => emit(uow, { type: EFFECT_EVENT, payload: {} }));
const effects = async (eventId: string) =>
  (await t.database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM jobtest_effect WHERE event_id = $1', [eventId])).rows[0]?.n ?? 0;

before(async () => {
  t = await startTestApp();
  checkEmittedEvents(jobtestEvents);
  await createEffectTable(t.database.pool);
  appDatabase = createDatabase(t.database.url, { poolMax: 4, log, role: APP_ROLE });
  runtime = await startJobs({ url: t.database.url, database: appDatabase, config: t.config, modules: [wakeModule], log, dispatchIntervalMs: NEVER_BY_POLLING_MS, pollingIntervalSeconds: 0.5 });
});

after(async () => {
  await runtime.stop();
  await appDatabase.close();
  await t.close();
});

describe('jobs: committed events wake the dispatcher', () => {
  test('an event committed by another connection is dispatched without waiting for the polling pause', async () => {
    const eventId = await emitAs(t.tenantA.id);
    await until('the event to be handled', async () => (await effects(eventId)) === 1, 20_000);
  });

  test('after its LISTEN connection is cut, the dispatcher reconnects and hears commits again', async () => {
    const { rowCount } = await t.database.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'plinth-jobs-wake' AND datname = current_database()`,
    );
    assert.equal(rowCount, 1, 'the dispatcher listens on its own connection');
    await until(
      'the listener to reconnect',
      async () =>
        ((await t.database.pool.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'plinth-jobs-wake' AND datname = current_database()`)).rowCount ?? 0) === 1,
      20_000,
    );
    const eventId = await emitAs(t.tenantB.id);
    await until('the event to be handled', async () => (await effects(eventId)) === 1, 20_000);
  });
});
