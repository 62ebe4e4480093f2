import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { APP_ROLE, createDatabase, type Database } from '../../../src/kernel/db/index.ts';
import { checkEmittedEvents, deliverEvent, emit, jobIdOf, pruneOutbox, startJobs, type EventHandlerDefinition, type EventInput, type JobsRuntime } from '../../../src/kernel/jobs/index.ts';
import { defineModule } from '../../../src/kernel/module/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createEffectTable, EFFECT_EVENT, effectHandler, FLAKY_EVENT, jobtestEvents, until } from './fixture.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const log = createLogger('silent');

/** Attempts per event id (rolled-back ones included), and the events whose handler must fail. */
const attempts = new Map<string, number>();
const failing = new Set<string>();
const flaky: EventHandlerDefinition = {
  name: 'flaky',
  events: [FLAKY_EVENT],
  retry: { limit: 1, delaySeconds: 1, backoff: true },
  async handle(uow, event) {
    attempts.set(event.id, (attempts.get(event.id) ?? 0) + 1);
    await uow.tx.execute(sql`INSERT INTO jobtest_effect (event_id, handler, event_tenant) VALUES (${event.id}, 'flaky', ${uow.tenantId})`);
    if (failing.has(event.id)) throw new Error('the flaky handler failed');
  },
};
const testModule = defineModule({
  id: 'jobtest',
  permissions: [],
  emits: jobtestEvents,
  eventHandlers: [effectHandler('effect', [EFFECT_EVENT]), flaky],
  schedules: [{ name: 'nightly', cron: '0 3 * * *', tz: 'Europe/London', run: async () => undefined }],
});

let t: TestApp;
let appDatabase: Database;
let runtime: JobsRuntime | undefined;
const children = new Set<ChildProcess>();

const emitAs = (tenantId: string, type: keyof typeof jobtestEvents, payload: { n?: number; order?: string } = {}) =>
  withTenantTx({ db: appDatabase.db, tenantId }, async (uow) => emit(uow, { type, payload }));

async function ownerCount(query: string, values: unknown[] = []): Promise<number> {
  const { rows } = await t.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${query}) AS q`, values);
  return rows[0]?.n ?? 0;
}
const effects = (eventId: string, handler: string) =>
  ownerCount('SELECT 1 FROM jobtest_effect WHERE event_id = $1 AND handler = $2', [eventId, handler]);

interface Letter {
  id: string;
  eventId: string | null;
  handler: string | null;
  error: string | null;
}

async function deadLetters(slug: string): Promise<Letter[]> {
  const response = await t.app.inject({ method: 'GET', url: '/v1/jobs/dead-letters', headers: await t.headersFor(slug) });
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as { data: Letter[] }).data;
}

async function deadLetterOf(eventId: string): Promise<Letter> {
  let found: Letter | undefined;
  await until(`a dead letter of ${eventId}`, async () => Boolean((found = (await deadLetters('tenant-a')).find((letter) => letter.eventId === eventId))), 20_000, 200);
  return found as Letter;
}

const decide = async (slug: string, id: string, action: 'retry' | 'discard') =>
  t.app.inject({ method: 'POST', url: `/v1/jobs/dead-letters/${id}/${action}`, headers: await t.headersFor(slug) });

before(async () => {
  t = await startTestApp();
  checkEmittedEvents(jobtestEvents);
  await createEffectTable(t.database.pool);
  appDatabase = createDatabase(t.database.url, { poolMax: 10, log, role: APP_ROLE });
});

after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await runtime?.stop();
  await appDatabase.close();
  await t.close();
});

describe('jobs: outbox, handlers, dead letters', () => {
  test('an event emitted in a rolled-back transaction leaves nothing; a committed one is in the outbox', async () => {
    const outbox = () => ownerCount('SELECT 1 FROM jobs_outbox');
    const before = await outbox();
    await assert.rejects(
      withTenantTx({ db: appDatabase.db, tenantId: t.tenantA.id }, async (uow) => {
        emit(uow, { type: EFFECT_EVENT, payload: { n: 1 } });
        throw new Error('the use case failed');
      }),
      /the use case failed/,
    );
    assert.equal(await outbox(), before);

    const id = await emitAs(t.tenantA.id, EFFECT_EVENT, { n: 2 });
    const { rows } = await t.database.pool.query('SELECT tenant_id, type, payload, dispatched_at FROM jobs_outbox WHERE id = $1', [id]);
    assert.deepEqual(rows, [{ tenant_id: t.tenantA.id, type: EFFECT_EVENT, payload: { n: 2 }, dispatched_at: null }]);
    // A type the compiler refuses, as an untyped caller could still send it.
    const malformed = { type: 'NotAType', payload: {} } as unknown as EventInput;
    await assert.rejects(withTenantTx({ db: appDatabase.db, tenantId: t.tenantA.id }, async (uow) => emit(uow, malformed)), /module\.thing\.happened/);
  });

  test('the app role cannot claim outbox rows of any tenant', async () => {
    await assert.rejects(appDatabase.pool.query('SELECT * FROM jobs_claim_outbox(10)'), /permission denied/);
  });

  test('the hourly prune deletes dispatched rows older than a week, and nothing else', async () => {
    const [old, recent, pending] = [await emitAs(t.tenantA.id, EFFECT_EVENT), await emitAs(t.tenantB.id, EFFECT_EVENT), await emitAs(t.tenantB.id, EFFECT_EVENT)];
    await t.database.pool.query(`UPDATE jobs_outbox SET dispatched_at = now() - interval '8 days', occurred_at = now() - interval '8 days' WHERE id = $1`, [old]);
    await t.database.pool.query(`UPDATE jobs_outbox SET dispatched_at = now() - interval '1 day' WHERE id = $1`, [recent]);
    await t.database.pool.query(`UPDATE jobs_outbox SET occurred_at = now() - interval '30 days' WHERE id = $1`, [pending]);
    assert.equal(await pruneOutbox(appDatabase.db), 1);
    const left = await ownerCount('SELECT 1 FROM jobs_outbox WHERE id = ANY($1::uuid[])', [[old, recent, pending]]);
    assert.equal(left, 2);
    await t.database.pool.query(`UPDATE jobs_outbox SET dispatched_at = now() WHERE dispatched_at IS NULL`);
  });

  test('a handler runs once per event even when the event is delivered twice', async () => {
    runtime = await startJobs({ url: t.database.url, database: appDatabase, config: t.config, modules: [testModule], log, dispatchIntervalMs: 50, pollingIntervalSeconds: 0.5 });
    const eventId = await emitAs(t.tenantA.id, EFFECT_EVENT, { n: 3 });
    const jobId = jobIdOf(eventId, 'jobtest.effect');
    const jobState = (id: string) => ownerCount(`SELECT 1 FROM pgboss.job WHERE name = 'jobtest.effect' AND id = $1 AND state = 'completed'`, [id]);
    await until('the event to be handled', async () => (await jobState(jobId)) === 1);
    assert.equal(await effects(eventId, 'effect'), 1);

    // pg-boss delivers it again (as after a worker died between commit and completion).
    const { rows } = await t.database.pool.query<{ id: string }>(
      `INSERT INTO pgboss.job (name, data) SELECT name, data FROM pgboss.job WHERE name = 'jobtest.effect' AND id = $1 RETURNING id`,
      [jobId],
    );
    const again = rows[0]?.id as string;
    await until('the second delivery to complete', async () => (await jobState(again)) === 1);
    assert.equal(await effects(eventId, 'effect'), 1);

    // Two deliveries at the same moment: one runs, the other waits for it and then does nothing.
    const direct = { name: 'jobtest.direct', definition: effectHandler('direct', []) };
    const data = { id: eventId, type: EFFECT_EVENT, tenantId: t.tenantA.id, payload: {}, occurredAt: new Date().toISOString(), handler: direct.name };
    const ran = await Promise.all([deliverEvent(appDatabase, log, direct, data), deliverEvent(appDatabase, log, direct, data)]);
    assert.deepEqual(ran.sort(), [false, true]);
    assert.equal(await effects(eventId, 'direct'), 1);
  });

  test('schedules are registered with pg-boss by name', async () => {
    const { rows } = await t.database.pool.query(`SELECT name, cron, timezone FROM pgboss.schedule WHERE name = 'jobtest.nightly'`);
    assert.deepEqual(rows, [{ name: 'jobtest.nightly', cron: '0 3 * * *', timezone: 'Europe/London' }]);
  });

  test('a failing handler is retried with back-off, then dead-lettered; staff retry it through the API', async () => {
    const eventId = await emitAs(t.tenantA.id, FLAKY_EVENT, { order: 'A-1' });
    failing.add(eventId);
    const letter = await deadLetterOf(eventId);
    assert.equal(attempts.get(eventId), 2, 'one attempt and one retry');
    assert.equal(letter.handler, 'jobtest.flaky');
    assert.match(letter.error ?? '', /the flaky handler failed/);
    assert.equal(await effects(eventId, 'flaky'), 0, 'failed attempts roll back their effect');

    // Another business neither sees nor touches it.
    assert.equal((await deadLetters('tenant-b')).some((other) => other.id === letter.id), false);
    const foreign = await decide('tenant-b', letter.id, 'retry');
    assert.equal(foreign.statusCode, 404, foreign.body);

    failing.delete(eventId);
    const retried = await decide('tenant-a', letter.id, 'retry');
    assert.equal(retried.statusCode, 200, retried.body);
    await until('the retried event to be handled', async () => (await effects(eventId, 'flaky')) === 1);
    assert.equal(attempts.get(eventId), 3);
    assert.equal((await deadLetters('tenant-a')).some((other) => other.id === letter.id), false);
    assert.equal((await decide('tenant-a', letter.id, 'retry')).statusCode, 404, 'a dead letter is retried once');
    const audited = await ownerCount(`SELECT 1 FROM audit_event WHERE tenant_id = $1 AND action = 'jobs.deadletter.retried' AND target_id = $2`, [t.tenantA.id, letter.id]);
    assert.equal(audited, 1);
  });

  test('events of one tenant handled in one transaction: a failing one fails alone, the others take effect once', async () => {
    const ids = await withTenantTx({ db: appDatabase.db, tenantId: t.tenantA.id }, async (uow) => {
      const emitted: string[] = [];
      for (let n = 0; n < 12; n++) emitted.push(emit(uow, { type: FLAKY_EVENT, payload: { n } }));
      return emitted;
    });
    const [bad, ...good] = ids as [string, ...string[]];
    failing.add(bad);
    await deadLetterOf(bad);
    await until('the other events to be handled', async () => (await ownerCount(`SELECT DISTINCT event_id FROM jobtest_effect WHERE event_id = ANY($1::uuid[])`, [good])) === good.length);
    const { rows } = await t.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobtest_effect WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`, [ids]);
    assert.deepEqual(
      rows.map((row) => row.n),
      good.map(() => 1),
      'each good event took effect once, the failing one not at all',
    );
    failing.delete(bad);
  });

  test('a discarded dead letter is gone and never retried', async () => {
    const eventId = await emitAs(t.tenantA.id, FLAKY_EVENT, { order: 'A-2' });
    failing.add(eventId);
    const letter = await deadLetterOf(eventId);
    const discarded = await decide('tenant-a', letter.id, 'discard');
    assert.equal(discarded.statusCode, 200, discarded.body);
    assert.equal((await deadLetters('tenant-a')).some((other) => other.id === letter.id), false);
    assert.equal(await ownerCount('SELECT 1 FROM pgboss.job WHERE id = $1', [letter.id]), 0);
    assert.equal((await decide('tenant-a', letter.id, 'discard')).statusCode, 404);
    assert.equal(attempts.get(eventId), 2);
    assert.equal(await effects(eventId, 'flaky'), 0);
  });

  test('a worker killed mid-batch and restarted handles every event exactly once in effect', async () => {
    await runtime?.stop();
    runtime = undefined;
    const ids: string[] = [];
    // Enough that a kill after the first committed transaction (up to 25 events each) lands mid-way.
    for (let n = 0; n < 200; n++) ids.push(await emitAs(n % 2 ? t.tenantA.id : t.tenantB.id, EFFECT_EVENT, { n }));
    const handled = () => ownerCount(`SELECT DISTINCT event_id FROM jobtest_effect WHERE handler = 'effect' AND event_id = ANY($1::uuid[])`, [ids]);

    const first = await startWorker();
    await until('the worker to be mid-way', async () => (await handled()) >= 8, 30_000, 20);
    first.kill('SIGKILL');
    await once(first, 'exit');
    assert.ok((await handled()) < ids.length, 'killed before it finished');

    const second = await startWorker();
    const completed = () =>
      ownerCount(`SELECT 1 FROM pgboss.job WHERE name = 'jobtest.effect' AND state = 'completed' AND (data->>'id')::uuid = ANY($1::uuid[])`, [ids]);
    await until('every event to be handled', async () => (await handled()) === ids.length && (await completed()) >= ids.length, 30_000, 100);
    const { rows } = await t.database.pool.query<{ event_id: string; n: number }>(
      `SELECT event_id, count(*)::int AS n FROM jobtest_effect WHERE handler = 'effect' AND event_id = ANY($1::uuid[]) GROUP BY event_id`,
      [ids],
    );
    assert.equal(rows.length, ids.length);
    assert.deepEqual(rows.filter((row) => row.n !== 1), [], 'no event has a second effect');

    second.kill('SIGTERM');
    const [code] = (await once(second, 'exit')) as [number | null];
    assert.equal(code, 0, 'SIGTERM stops the worker gracefully');
  });
});

async function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/kernel/jobs/worker-process.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, JOBTEST_DATABASE_URL: t.database.url, LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready: ${out}\n${err}`)), 30_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before ready: ${err}`));
    });
  });
  return child;
}
