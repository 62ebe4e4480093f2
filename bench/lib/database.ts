import { startEmbeddedPostgres } from '../../src/kernel/db/index.ts';
import { createLogger } from '../../src/kernel/observability/logger.ts';
import { scratchDatabase } from './scratch-database.ts';
import { onTimeout, waitingOn } from './watchdog.ts';

export interface SharedDatabase {
  /** For the server processes' DATABASE_URL. */
  url: string;
  stop(): Promise<void>;
}

/**
 * One database for several server processes: with DATABASE_URL a new database on that server
 * (each benchmark seeds its own `bench` tenant, so none may reuse another's), else an embedded
 * PostgreSQL in `dataDir` that this process owns (two servers cannot both start the cluster in one folder).
 */
export async function sharedDatabase(dataDir: string): Promise<SharedDatabase> {
  if (process.env.DATABASE_URL) return scratchDatabase();
  waitingOn('the embedded PostgreSQL to start');
  const embedded = await startEmbeddedPostgres(dataDir, createLogger('warn'));
  const forget = onTimeout(() => embedded.stop());
  return {
    url: embedded.url,
    stop: async () => {
      waitingOn('the embedded PostgreSQL to stop');
      await embedded.stop();
      forget();
    },
  };
}
