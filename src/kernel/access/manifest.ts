import { fileURLToPath } from 'node:url';
import { defineModule } from '../module/index.ts';
import { accessRoutes } from './access.routes.ts';
import { invitationRoutes } from './invitation.routes.ts';
import { invitationPageRoutes } from './invitations.pages.ts';
import { memberPageRoutes } from './members.pages.ts';
import { rolePageRoutes } from './roles.pages.ts';

export const accessModule = defineModule({
  id: 'access',
  title: 'Team and roles',
  permissions: [
    { key: 'access.role.read', description: 'See roles and their permissions' },
    { key: 'access.role.manage', description: 'Create, change and delete custom roles' },
    { key: 'access.member.read', description: 'See the people of the business and their roles' },
    { key: 'access.member.manage', description: 'Invite people, change their roles, suspend or remove them' },
  ],
  migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
  navigation: [
    { label: 'Team', href: '/access/members', group: 'people', permission: 'access.member.read' },
    { label: 'Roles', href: '/access/roles', group: 'people', permission: 'access.role.read' },
    { label: 'Invitations', href: '/access/invitations', group: 'people', permission: 'access.member.read' },
  ],
  routes: (app, services) => {
    accessRoutes(app, () => services.permissions);
    invitationRoutes(app, services.config.publicUrl);
    invitationPageRoutes(app, services.config.publicUrl);
    memberPageRoutes(app);
    rolePageRoutes(app, services);
  },
});
