import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrationSources } from '../../../scripts/migration-units.ts';
import { planEditions } from '../../../src/editions/compose.ts';
import { KERNEL_MODULES } from '../../../src/kernel/modules.ts';
import { applyMigrations, createDatabase, pendingMigrationUnits } from '../../../src/kernel/db/index.ts';
import type { Database, MigrationUnit } from '../../../src/kernel/db/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { createEmptyDatabase } from '../../support/database.ts';
import type { TestDatabase } from '../../support/database.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const units: MigrationUnit[] = planEditions({ editions: undefined }).migrationUnits;
const execFileAsync = promisify(execFile);
const KERNEL_UNITS = KERNEL_MODULES.flatMap((module) => (module.migrations ? [module.id] : []));
/** Module units in dependency order (inventory uses catalog and locations; pos uses those three). */
const MODULE_UNITS = ['catalog', 'locations', 'inventory', 'pos', 'reports', 'support', 'enquiries', 'community', 'requests', 'platform', 'billing'];

const cleanups: (() => Promise<unknown>)[] = [];
after(() => Promise.all(cleanups.map((cleanup) => cleanup())));

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createEmptyDatabase();
  cleanups.push(() => database.drop());
  return database;
}

async function tables(database: Database): Promise<string[]> {
  const { rows } = await database.db.execute<{ name: string }>(
    sql`SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE table_schema IN ('public', 'plinth_migrations') ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

/** Every unit's applied migrations, as `unit:hash`, in a stable order. */
async function history(database: Database): Promise<string[]> {
  const applied: string[] = [];
  for (const unit of units) {
    const { rows } = await database.db.execute<{ hash: string }>(
      sql`SELECT hash FROM ${sql.identifier('plinth_migrations')}.${sql.identifier(unit.id)} ORDER BY id`,
    );
    applied.push(...rows.map((row) => `${unit.id}:${row.hash}`));
  }
  return applied;
}

const onDisk = () => units.flatMap((unit) => readMigrationFiles({ migrationsFolder: unit.folder }).map((m) => `${unit.id}:${m.hash}`));

describe('applyMigrations', () => {
  test('the plan has the kernel modules first, in order, then the modules, each after those it uses', () => {
    assert.deepEqual(units.map((unit) => unit.id), [...KERNEL_UNITS, ...MODULE_UNITS]);
  });

  test('migrates an empty database; a second run changes nothing', async () => {
    const database = await emptyDatabase();
    assert.deepEqual(await tables(database), []);
    assert.deepEqual(await pendingMigrationUnits(database.db, units), [...KERNEL_UNITS, ...MODULE_UNITS]);

    await applyMigrations(database.pool, database.db, units);
    const created = await tables(database);
    for (const table of ['public.tenant', 'public.app_user', 'public.catalog_product', ...units.map((unit) => `plinth_migrations.${unit.id}`)])
      assert.ok(created.includes(table), `${table} missing from ${created.join(', ')}`);
    assert.deepEqual(await pendingMigrationUnits(database.db, units), []);
    const applied = await history(database);
    assert.deepEqual(applied, onDisk());

    await database.db.execute(sql`INSERT INTO tenant (slug, name, edition) VALUES ('kept-tenant', 'Kept', 'retail')`);
    await applyMigrations(database.pool, database.db, units);
    assert.deepEqual(await tables(database), created);
    assert.deepEqual(await history(database), applied);
    const { rows } = await database.db.execute<{ slug: string }>(sql`SELECT slug FROM tenant ORDER BY slug`);
    assert.deepEqual(rows, [{ slug: 'kept-tenant' }, { slug: 'platform' }], 'the platform tenant comes from the migrations; the kept row survives');
  });

  test('pendingMigrationUnits names a unit whose migration is missing from the history', async () => {
    const database = await emptyDatabase();
    await applyMigrations(database.pool, database.db, units);
    await database.db.execute(sql`DELETE FROM plinth_migrations.catalog`);
    assert.deepEqual(await pendingMigrationUnits(database.db, units), ['catalog']);
  });

  test('two processes migrating the same empty database at once both succeed', async () => {
    const target = await emptyDatabase();
    const pools = [0, 1].map(() => createDatabase(target.url, { poolMax: 2, log: createLogger('silent') }));
    cleanups.push(() => Promise.all(pools.map((pool) => pool.close())));
    const results = await Promise.allSettled(pools.map((pool) => applyMigrations(pool.pool, pool.db, units)));
    assert.deepEqual(
      results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'ok')),
      ['ok', 'ok'],
    );
    assert.deepEqual(await history(target), onDisk());
    assert.deepEqual(await pendingMigrationUnits(target.db, units), []);
  });
});

/**
 * Runs drizzle-kit generate for `schemaGlob` against a copy of `migrationsDir` and returns the
 * .sql files it added: none when the committed migrations match the table files.
 */
async function newMigrations(schemaGlob: string, migrationsDir: string): Promise<string[]> {
  const copy = await mkdtemp(path.join(os.tmpdir(), 'plinth-drift-'));
  try {
    if (existsSync(migrationsDir)) await cp(migrationsDir, copy, { recursive: true });
    const sqlFiles = async () => (await readdir(copy)).filter((file) => file.endsWith('.sql'));
    const before = await sqlFiles();
    // drizzle-kit prefixes --out with "./", so it must be relative to the working directory.
    const out = path.relative(ROOT, copy);
    await execFileAsync('npx', ['drizzle-kit', 'generate', '--dialect=postgresql', `--schema=${schemaGlob}`, `--out=${out}`], {
      cwd: ROOT,
    });
    return (await sqlFiles()).filter((file) => !before.includes(file));
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

describe('committed migrations match the *.table.ts files', () => {
  const sources = migrationSources(ROOT).filter((source) => source.tableFiles.length > 0);

  test('every folder of *.table.ts files has its migrations mounted by a kernel or edition module (hosted, or the single-business install)', () => {
    assert.ok(sources.some((source) => source.id === 'tenancy') && sources.some((source) => source.id === 'catalog'));
    const plans = [planEditions({ editions: undefined }), planEditions({ editions: ['onprem'], mode: 'single' })];
    const mounted = new Map(plans.flatMap((plan) => plan.migrationUnits).map((unit) => [unit.id, unit.folder]));
    for (const source of sources) assert.equal(mounted.get(source.id), path.join(ROOT, source.out), `${source.id} is not mounted`);
  });

  for (const source of sources) {
    test(`${source.id}: drizzle-kit generate finds nothing to add`, async () => {
      const added = await newMigrations(source.schemaGlob, path.join(ROOT, source.out));
      assert.deepEqual(added, [], `${source.schemaGlob} changed without a migration: run npm run db:generate`);
    });
  }

  test('the check notices a column added without a migration', async () => {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'plinth-drift-src-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    // The copied table file imports drizzle-orm, so it needs the project's packages beside it.
    await symlink(path.join(ROOT, 'node_modules'), path.join(scratch, 'node_modules'), 'dir');
    await mkdir(path.join(scratch, 'schema'));
    const original = await readFile(path.join(ROOT, 'src/kernel/tenancy/tenant.table.ts'), 'utf8');
    const changed = original.replace("name: text('name').notNull(),", "name: text('name').notNull(),\n    nickname: text('nickname'),");
    assert.notEqual(changed, original, 'the table file no longer has the line this test extends');
    await writeFile(path.join(scratch, 'schema', 'tenant.table.ts'), changed);

    const schemaGlob = `${path.relative(ROOT, scratch)}/schema/*.table.ts`;
    assert.deepEqual(await newMigrations(schemaGlob, path.join(ROOT, 'src/kernel/migrations')).then((files) => files.length), 1);
  });
});
