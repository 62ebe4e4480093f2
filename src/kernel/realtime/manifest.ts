import { defineModule } from '../module/index.ts';
import { registerRealtimeMetrics } from '../observability/metrics.ts';
import { installRealtime } from './index.ts';

/** The realtime gateway, mounted like any kernel module: installed app-wide before the modules' routes, so they can define channels. */
export const realtimeModule = defineModule({
  id: 'realtime',
  permissions: [],
  install: async (app, { config, database, logger, permissionModules, entitlements, metrics }) => {
    await installRealtime(app, { config, database, logger, permissionModules, entitlements });
    registerRealtimeMetrics(metrics, () => app.realtime.stats());
  },
});
