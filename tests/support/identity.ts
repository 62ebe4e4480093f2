import { randomBytes } from 'node:crypto';
import { APP_ROLE, createDatabase, withTx, type Database, type Db } from '../../src/kernel/db/index.ts';
import { createUser, DEFAULT_PASSWORD_POLICY, deriveIdentityKeys, setPassword, type IdentityKeys, type User } from '../../src/kernel/identity/index.ts';
import { createLogger } from '../../src/kernel/observability/logger.ts';
import { ensureTenant, type Tenant } from '../../src/kernel/tenancy/index.ts';
import { createMigratedDatabase, type TestDatabase } from './database.ts';
import { lockWaiters } from './wait.ts';

export interface IdentityFixture {
  /** The app role's connection: what the services get in production (row-level security applies). */
  db: Db;
  /** The owner's connection, for looking behind the services' back. */
  owner: TestDatabase;
  keys: IdentityKeys;
  tenantA: Tenant;
  tenantB: Tenant;
  close(): Promise<void>;
}

/** A fresh migrated database with two tenants, and identity keys from a throw-away root secret. */
export async function startIdentityFixture(): Promise<IdentityFixture> {
  const owner = await createMigratedDatabase();
  const [tenantA, tenantB] = await withTx(owner.db, async (tx) => [
    await ensureTenant(tx, { slug: 'tenant-a', name: 'Tenant A', edition: 'retail' }),
    await ensureTenant(tx, { slug: 'tenant-b', name: 'Tenant B', edition: 'cafe' }),
  ]);
  const app: Database = createDatabase(owner.url, { poolMax: 6, log: createLogger('silent'), role: APP_ROLE });
  return {
    db: app.db,
    owner,
    keys: deriveIdentityKeys(randomBytes(48)),
    tenantA: tenantA as Tenant,
    tenantB: tenantB as Tenant,
    close: async () => {
      await app.close();
      await owner.drop();
    },
  };
}

export const A_PASSWORD = 'violet-harbour-lantern';

let counter = 0;

/** A user with a unique address and, unless `password: null`, the password A_PASSWORD. */
export async function newUser(db: Db, options: { email?: string; displayName?: string; password?: string | null } = {}): Promise<User> {
  counter += 1;
  const user = await createUser(db, {
    email: options.email ?? `person${counter}-${randomBytes(3).toString('hex')}@example.test`,
    displayName: options.displayName ?? `Person ${counter}`,
  });
  const password = options.password === undefined ? A_PASSWORD : options.password;
  if (password !== null) {
    const outcome = await setPassword(db, user.id, password, DEFAULT_PASSWORD_POLICY);
    if (!outcome.ok) throw new Error(`test password refused: ${outcome.problems.join(' ')}`);
  }
  return user;
}

/** A fixed moment tests start from, and a way to step from it. */
export const T0 = new Date('2026-11-02T09:00:00.000Z');
export const later = (seconds: number, from: Date = T0): Date => new Date(from.getTime() + seconds * 1000);

/**
 * Makes concurrent calls really overlap: the owner's connection holds `lockSql`'s row lock while
 * `calls` start, waits until `waiters` of them are queued on a lock, then lets go. Without this
 * the first call often finishes before the pool has even connected for the second.
 */
export async function overlapping<T>(f: IdentityFixture, lockSql: string, params: unknown[], waiters: number, calls: () => Promise<T>[]): Promise<T[]> {
  const client = await f.owner.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(lockSql, params);
    const started = calls();
    void Promise.allSettled(started);
    await lockWaiters(f.owner.pool, waiters);
    await client.query('COMMIT');
    return await Promise.all(started);
  } finally {
    client.release();
  }
}
