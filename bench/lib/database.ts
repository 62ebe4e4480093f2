import { startEmbeddedPostgres } from '../../src/kernel/db/index.ts';
import { createLogger } from '../../src/kernel/observability/logger.ts';

export interface SharedDatabase {
  /** For the server processes' DATABASE_URL. */
  url: string;
  stop(): Promise<void>;
}

/**
 * One database for several server processes: DATABASE_URL when set, else an embedded PostgreSQL
 * in `dataDir` that this process owns (two servers cannot both start the cluster in one folder).
 */
export async function sharedDatabase(dataDir: string): Promise<SharedDatabase> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  return startEmbeddedPostgres(dataDir, createLogger('warn'));
}
