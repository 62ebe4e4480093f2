import { fileURLToPath } from 'node:url';
import { defineModule } from '../module/index.ts';
import { backupHandlers } from './backup/backup.job.ts';

/** Tenancy as a kernel module: always mounted, first to migrate; its jobs back businesses up and restore them. */
export const tenancyModule = defineModule({
  id: 'tenancy',
  permissions: [],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  eventHandlers: backupHandlers,
});
