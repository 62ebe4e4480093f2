import type { RoleTemplate } from '../kernel/access/index.ts';
import { defineEdition } from '../kernel/module/index.ts';
import { communityModule } from '../modules/community/index.ts';
import { REQUEST_PERMISSIONS, requestsModule } from '../modules/requests/index.ts';
import { seedCommunity } from './mutualaid-demo.ts';

/**
 * Roles of a community: its administrators (the `owner` template, holding everything), moderators
 * and members. Members invite too: trust spreads by invitation, and the invite graph records who
 * brought in whom.
 */
const COMMUNITY_ROLE_TEMPLATES: readonly RoleTemplate[] = [
  { key: 'owner', name: 'Administrator', permissions: ['*'] },
  {
    key: 'moderator',
    name: 'Moderator',
    permissions: ['requests.*', 'community.invite.write', 'community.invite.manage', 'community.session.approve', 'access.member.read', 'audit.log.read'],
  },
  { key: 'member', name: 'Member', permissions: [REQUEST_PERMISSIONS.read, REQUEST_PERMISSIONS.draft, REQUEST_PERMISSIONS.write, 'community.invite.write'] },
];

export const mutualaidEdition = defineEdition({
  id: 'mutualaid',
  title: 'Mutual-aid community',
  // A half-authenticated sign-in keeps only these: it reads the feed and drafts requests.
  modules: [communityModule({ draftPermissions: [REQUEST_PERMISSIONS.read, REQUEST_PERMISSIONS.draft] }), requestsModule],
  roleTemplates: COMMUNITY_ROLE_TEMPLATES,
  demo: {
    slug: 'demo-community',
    name: 'Riverside Mutual Aid (demo)',
    timeZone: 'Europe/Berlin',
    seed: seedCommunity,
  },
});
