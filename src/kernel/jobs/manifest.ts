import { fileURLToPath } from 'node:url';
import { registerJobMetrics } from './metrics.ts';
import { dispatcherReadiness } from './readiness.ts';
import { defineModule } from '../module/index.ts';
import { jobsRoutes } from './jobs.routes.ts';
import { pruneOutbox } from './outbox-prune.ts';

/** Jobs as a kernel module: the outbox, pg-boss's schema and the console's dead-letter API. */
export const jobsModule = defineModule({
  id: 'jobs',
  title: 'Background jobs',
  permissions: [
    { key: 'jobs.deadletter.read', description: "See jobs that failed their last retry (a business sees its own events', platform staff all)" },
    { key: 'jobs.deadletter.manage', description: 'Retry or discard jobs that failed their last retry' },
  ],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  routes: jobsRoutes,
  readinessChecks: [dispatcherReadiness],
  metrics: registerJobMetrics,
  schedules: [
    {
      name: 'prune-outbox',
      cron: '17 * * * *',
      run: async ({ database, log }) => {
        log.info({ pruned: await pruneOutbox(database.db) }, 'outbox pruned');
      },
    },
  ],
});
