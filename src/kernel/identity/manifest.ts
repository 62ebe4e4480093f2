import { fileURLToPath } from 'node:url';
import { defineModule } from '../module/index.ts';

/** Identity as a kernel module: users, credentials, sessions and tokens. */
export const identityModule = defineModule({
  id: 'identity',
  permissions: [],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
});
