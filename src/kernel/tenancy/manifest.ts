import { fileURLToPath } from 'node:url';
import { defineModule } from '../module/index.ts';
import { backupHandlers } from './backup/backup.job.ts';
import { tenancyEvents } from './backup/events.ts';

/** Tenancy as a kernel module: always mounted, first to migrate; its jobs back businesses up and restore them. */
export const tenancyModule = defineModule({
  id: 'tenancy',
  permissions: [],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  emits: tenancyEvents,
  eventHandlers: backupHandlers,
});
