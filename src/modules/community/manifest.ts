import { fileURLToPath } from 'node:url';
import { defineModule } from '../../kernel/module/index.ts';
import { communityEvents } from './events.ts';
import { communityPageRoutes } from './community.pages.ts';
import { installSignInGate, SIGN_IN_PENDING } from './gate.ts';
import './community.mail.ts';

/**
 * Community: the trust layer of an invite-only mutual-aid network (see README.md here for how a
 * community maps onto the kernel). `draftPermissions` are what a half-authenticated sign-in keeps.
 */
export const communityModule = (options: { draftPermissions: readonly string[] }) =>
  defineModule({
    id: 'community',
    emits: communityEvents,
    permissions: [
      { key: 'community.invite.write', description: 'Invite people (invites you create are recorded as yours in the invite graph)' },
      { key: 'community.invite.manage', description: "See everyone's invites" },
      { key: 'community.session.approve', description: 'Approve or deny sign-ins awaiting verification (/admin/sessions)' },
      { key: SIGN_IN_PENDING, description: 'Given automatically to a sign-in awaiting verification (shows the Verify link); granting it in a role has no effect' },
    ],
    migrations: fileURLToPath(new URL('./migrations', import.meta.url)),
    navigation: [
      { label: 'Verify sign-in', href: '/verify', group: 'community', permission: SIGN_IN_PENDING },
      { label: 'Invites', href: '/invites', group: 'people', permission: 'community.invite.write' },
      { label: 'Sign-ins', href: '/admin/sessions', group: 'people', permission: 'community.session.approve' },
    ],
    install: async (app, services) => installSignInGate(app, services.entitlements, new Set(options.draftPermissions)),
    routes: (app, services) => communityPageRoutes(app, services),
  });
