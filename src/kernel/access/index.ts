export { accessRole, tenantMember, tenantMemberRole, MEMBER_STATUSES, type MemberStatus } from './access.table.ts';
export { expandPermissions, isPlatformPermission, permissionsFor, RoleTemplateError, type RoleTemplate } from './templates.ts';
export { listRoles, rolesByKey, createCustomRole, updateCustomRole, syncTemplateRoles, setRoleTwoStep, memberNeedsTwoStep, roleErrors, type Role, type CustomRoleInput } from './roles.service.ts';
export { userMemberships, type Membership } from './members.service.ts';
export { memberAccess, membershipRefusal, putMember, setMemberRoles, setMemberStatus, listMembers, memberErrors, bumpTokenVersionInTx, type Member, type MemberAccess } from './members.service.ts';
export { provisionTenant, type TenantProvisioning } from './provision.ts';
export { PLATFORM_ROLE_TEMPLATES } from './platform-roles.ts';
export { acceptInvitation, previewInvitation, invitationErrors, type InvitationPreview } from './invitations.service.ts';
export { issueMemberTemporaryPassword, listMemberSessions, memberSecurityErrors } from './member-security.service.ts';
