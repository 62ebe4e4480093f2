import type { Db } from './client.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Runs one use case in one transaction: everything it writes (rows, audit, outbox) commits
 * together or not at all.
 */
export function withTx<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(work);
}
