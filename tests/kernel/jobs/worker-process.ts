/**
 * A jobs worker as its own process, for the kill test: mounts the test module's handler, prints
 * "ready" once its workers poll, and stops gracefully on SIGTERM. JOBTEST_DATABASE_URL names the
 * (owner's) database.
 */
import { APP_ROLE, createDatabase } from '../../../src/kernel/db/index.ts';
import { startJobs } from '../../../src/kernel/jobs/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { testConfig } from '../../support/app.ts';
import { effectModule } from './fixture.ts';

const url = process.env['JOBTEST_DATABASE_URL'];
if (!url) throw new Error('JOBTEST_DATABASE_URL is not set');
const log = createLogger(process.env['LOG_LEVEL'] ?? 'warn', 'jobtest-worker');
const database = createDatabase(url, { poolMax: 10, log, role: APP_ROLE });
const jobs = await startJobs({
  url,
  database,
  config: testConfig(),
  modules: [effectModule],
  log,
  batchSize: 5,
  dispatchIntervalMs: 50,
  pollingIntervalSeconds: 0.5,
  expireInSeconds: 2,
  maintenanceIntervalSeconds: 1,
});
process.once('SIGTERM', () => {
  void jobs.stop().then(() => database.close()).then(() => process.exit(0));
});
process.stdout.write('ready\n');
