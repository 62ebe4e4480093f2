import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from './client.ts';
import { PreparingClient } from './preparing-client.ts';

/** What a read may do: query, not open transactions (every statement is its own, read-only). A transaction passes for one. */
export type Reader = Pick<Db, 'select' | 'selectDistinct' | 'selectDistinctOn' | 'execute' | '$count' | '$with' | 'with'>;

/** One drizzle handle per pooled connection: making one per request would cost more than the read. */
const readers = new WeakMap<PreparingClient, Reader>();

/**
 * Runs `work` on one pooled connection on which every statement is scoped to `tenantId` and
 * read-only, each in a single round trip (the scope travels in the statement's own pipeline; see
 * TenantScopedQuery) instead of BEGIN, scope, statements and COMMIT. Each statement sees its own
 * snapshot, so a read of several statements that must agree belongs in a transaction instead.
 * Undefined when `db` is no pool of PreparingClients (a transaction, another driver): the caller
 * falls back to a transaction.
 */
export async function withReadScope<T>(db: Db, tenantId: string, work: (reader: Reader) => Promise<T>): Promise<{ value: T } | undefined> {
  const pool = (db as { $client?: unknown }).$client;
  if (!(pool instanceof pg.Pool)) return undefined;
  const client = await pool.connect();
  if (!(client instanceof PreparingClient)) {
    client.release();
    return undefined;
  }
  let reader = readers.get(client);
  if (!reader) {
    reader = drizzle({ client });
    readers.set(client, reader);
  }
  client.readScope = tenantId;
  try {
    return { value: await work(reader) };
  } finally {
    client.readScope = undefined;
    client.release();
  }
}
