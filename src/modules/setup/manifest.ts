import { fileURLToPath } from 'node:url';
import { defineModule } from '../../kernel/module/index.ts';
import { setupEvents } from './events.ts';
import { setupApiRoutes, type SetupOptions } from './setup.routes.ts';
import { setupPageRoutes } from './setup.pages.ts';

/**
 * The first run of a single-business install (PLINTH_MODE=single): `/setup`, `POST /v1/setup` and
 * `plinth setup` create the business once. Mounted only in single mode, where no console exists to
 * create businesses.
 */
export function setupModule(options: SetupOptions) {
  return defineModule({
    id: 'setup',
    emits: setupEvents,
    permissions: [],
    migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
    routes: (app, services) => {
      setupApiRoutes(app, services, options);
      setupPageRoutes(app, services, options);
    },
  });
}
