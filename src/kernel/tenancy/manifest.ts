import { fileURLToPath } from 'node:url';
import { defineModule } from '../module/index.ts';

/** Tenancy as a kernel module: always mounted, first to migrate. */
export const tenancyModule = defineModule({
  id: 'tenancy',
  permissions: [],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
});
