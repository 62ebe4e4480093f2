import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from './client.ts';
import { applyTenantIsolation } from './rls.ts';

/** A set of drizzle-kit migrations with its own history table: the kernel's, or one module's. */
export interface MigrationUnit {
  id: string;
  folder: string;
}

const HISTORY_SCHEMA = 'plinth_migrations';
const historyTable = (unit: MigrationUnit) => unit.id;

// Two processes starting together must not both apply the same migration.
const MIGRATION_LOCK = 0x706c6e74;

/**
 * Applies pending migrations of every unit, in the given order, under an advisory lock, then
 * (re)applies tenant isolation to every tenant-scoped table. Runs with the owner's rights.
 */
export async function applyMigrations(pool: pg.Pool, db: Db, units: MigrationUnit[]): Promise<void> {
  const lockClient = await pool.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    for (const unit of units) {
      await migrate(db, {
        migrationsFolder: unit.folder,
        migrationsSchema: HISTORY_SCHEMA,
        migrationsTable: historyTable(unit),
      });
    }
    await applyTenantIsolation(lockClient);
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    lockClient.release();
  }
}

/** Names the units with migrations on disk that the database has not applied. */
export async function pendingMigrationUnits(db: Db, units: MigrationUnit[]): Promise<string[]> {
  const pending: string[] = [];
  for (const unit of units) {
    const onDisk = readMigrationFiles({ migrationsFolder: unit.folder }).map((m) => m.hash);
    if (onDisk.length === 0) continue;
    const exists = await db.execute<{ present: boolean }>(
      sql`SELECT to_regclass(${`${HISTORY_SCHEMA}.${historyTable(unit)}`}) IS NOT NULL AS present`,
    );
    if (!exists.rows[0]?.present) {
      pending.push(unit.id);
      continue;
    }
    const applied = await db.execute<{ hash: string }>(
      sql`SELECT hash FROM ${sql.identifier(HISTORY_SCHEMA)}.${sql.identifier(historyTable(unit))}`,
    );
    const appliedHashes = new Set(applied.rows.map((row) => row.hash));
    if (onDisk.some((hash) => !appliedHashes.has(hash))) pending.push(unit.id);
  }
  return pending;
}
