import { fileURLToPath } from 'node:url';
import { defineModule } from '../module/index.ts';
import { accessRoutes } from './access.routes.ts';

export const accessModule = defineModule({
  id: 'access',
  permissions: [
    { key: 'access.role.read', description: 'See roles and their permissions' },
    { key: 'access.role.manage', description: 'Create, change and delete custom roles' },
    { key: 'access.member.read', description: 'See the people of the business and their roles' },
    { key: 'access.member.manage', description: 'Invite people, change their roles, suspend or remove them' },
  ],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  routes: (app, { permissions }) => accessRoutes(app, () => permissions),
});
