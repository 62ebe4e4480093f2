import type { RoleTemplate } from './templates.ts';

/** Roles of the platform tenant's staff. */
export const PLATFORM_ROLE_TEMPLATES: readonly RoleTemplate[] = [
  { key: 'super_admin', name: 'Super admin', permissions: ['*'] },
  { key: 'owner', name: 'Platform owner', permissions: ['*'] },
  { key: 'auditor', name: 'Platform auditor', permissions: ['audit.*', 'access.member.read', 'access.role.read', 'jobs.deadletter.read'] },
];
