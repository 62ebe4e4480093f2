import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { DataFolderLockedError, startEmbeddedPostgres } from '../../../src/kernel/db/index.ts';
import type { EmbeddedDatabase } from '../../../src/kernel/db/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';

const log = createLogger('silent');

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  let dataDir: string;
  const running = new Set<EmbeddedDatabase>();
  const start = async () => {
    const database = await startEmbeddedPostgres(dataDir, log);
    running.add(database);
    return database;
  };
  const stop = async (database: EmbeddedDatabase) => {
    running.delete(database);
    await database.stop();
  };

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'plinth-embedded-'));
  });
  after(async () => {
    for (const database of running) await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('starts a cluster whose rows survive a stop and a restart on the same folder', async () => {
    const first = await start();
    assert.match(first.url, /^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/plinth$/);
    await query(first.url, 'CREATE TABLE note (body text NOT NULL)');
    await query(first.url, 'INSERT INTO note (body) VALUES ($1)', ['kept across restarts']);
    await stop(first);

    const second = await start();
    assert.deepEqual(await query(second.url, 'SELECT body FROM note'), [{ body: 'kept across restarts' }]);
  });

  test('a second start on a folder in use fails with DataFolderLockedError naming the folder and the pid', async () => {
    if (running.size === 0) await start();
    const clusterDir = path.join(dataDir, 'pg');
    const pid = Number.parseInt((await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '', 10);
    assert.ok(pid > 0);

    await assert.rejects(startEmbeddedPostgres(dataDir, log), (error: unknown) => {
      assert.ok(error instanceof DataFolderLockedError, `expected DataFolderLockedError, got ${String(error)}`);
      assert.equal(error.dataDir, clusterDir);
      assert.equal(error.pid, pid);
      assert.ok(error.message.includes(clusterDir), error.message);
      assert.ok(error.message.includes(`pid ${pid}`), error.message);
      return true;
    });

    // The running cluster is unharmed by the refused start.
    const [database] = running;
    assert.ok(database);
    assert.deepEqual(await query(database.url, 'SELECT 1 AS one'), [{ one: 1 }]);
  });

  test('an owner record whose pid now names a process started at another time counts as gone: its PostgreSQL is stopped', async () => {
    if (running.size === 0) await start();
    const [database] = running;
    assert.ok(database);
    await query(database.url, 'CREATE TABLE IF NOT EXISTS note (body text NOT NULL)');
    await query(database.url, 'INSERT INTO note (body) VALUES ($1)', ['before the owner vanished']);
    const ownerFile = path.join(dataDir, 'pg-owner.json');
    const record = JSON.parse(await readFile(ownerFile, 'utf8')) as { owner: { pid: number; started: string | null }; postmaster: { pid: number } };
    assert.equal(record.owner.pid, process.pid);
    assert.ok(record.owner.started, 'the start of the owner is recorded on this platform');
    // As if this pid had been reused: same number, another start.
    await writeFile(ownerFile, JSON.stringify({ ...record, owner: { pid: process.pid, started: 'another start' } }));

    const recovered = await start();
    // The first instance's postmaster is gone; stopping it again would wait for an exit that already happened.
    running.delete(database);
    assert.notEqual(Number.parseInt((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0] ?? '', 10), record.postmaster.pid);
    const notes = await query<{ body: string }>(recovered.url, 'SELECT body FROM note');
    assert.ok(notes.some((note) => note.body === 'before the owner vanished'), JSON.stringify(notes));
  });
});
