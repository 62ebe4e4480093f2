import { z } from 'zod';
import { serviceContext } from '../http/index.ts';
import type { AppInstance } from '../module/index.ts';
import { MEMBER_STATUSES } from './access.table.ts';
import { listMembers, setMemberRoles, setMemberStatus } from './members.service.ts';
import { createCustomRole, listRoles, updateCustomRole } from './roles.service.ts';
import { bumpTokenVersionOfRoleHolders } from './role-holders.ts';
import { memberRoleKeys, permissionList, roleKey, roleName } from './inputs.ts';
import { signOutMember } from './member-sign-out.service.ts';

const tags = ['access'];
const role = z.object({ id: z.uuid(), key: z.string(), name: z.string(), permissions: z.array(z.string()), templateKey: z.string().nullable(), requiresTwoStep: z.boolean() });
const member = z.object({
  userId: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  status: z.enum(MEMBER_STATUSES),
  roleKeys: z.array(z.string()),
});

/** Roles and members of the caller's tenant; changes bump token versions so old tokens die. */
export function accessRoutes(app: AppInstance, declared: () => ReadonlySet<string>): void {
  // An exact permission no mounted module declares is the client's mistake, not a 500 from the
  // use case; wildcards (`*`, `module.*`) may match nothing, as in role templates.
  const grantable = permissionList.refine((entries) => entries.every((entry) => entry === '*' || entry.endsWith('.*') || declared().has(entry)), {
    error: 'names a permission no mounted module declares',
  });
  app.get(
    '/v1/me/permissions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: "The caller's effective permissions in the current tenant, so interfaces can hide what is forbidden",
        response: { 200: z.object({ data: z.object({ tenantId: z.uuid().nullable(), permissions: z.array(z.string()) }) }) },
      },
    },
    async (request) => ({ data: { tenantId: request.tenant?.id ?? null, permissions: [...request.permissions].sort() } }),
  );

  app.get(
    '/v1/access/roles',
    { config: { access: { permission: 'access.role.read' } }, schema: { tags, summary: 'List roles', response: { 200: z.object({ data: z.array(role) }) } } },
    async (request) => ({ data: await listRoles(serviceContext(request)) }),
  );

  app.post(
    '/v1/access/roles',
    {
      config: { access: { permission: 'access.role.manage' } },
      schema: {
        tags,
        summary: 'Create a custom role',
        body: z.strictObject({ key: roleKey, name: roleName, permissions: grantable }),
        response: { 201: z.object({ data: role }) },
      },
    },
    async (request, reply) => reply.code(201).send({ data: await createCustomRole(serviceContext(request), request.body, declared()) }),
  );

  app.patch(
    '/v1/access/roles/:id',
    {
      config: { access: { permission: 'access.role.manage' } },
      schema: {
        tags,
        summary: 'Change a custom role (template roles are read-only)',
        params: z.strictObject({ id: z.uuid() }),
        body: z
          .strictObject({ name: roleName, permissions: grantable })
          .partial()
          .refine((patch) => Object.keys(patch).length > 0, { error: 'name at least one field to change' }),
        response: { 200: z.object({ data: role }) },
      },
    },
    async (request) => {
      const ctx = serviceContext(request);
      return { data: await updateCustomRole(ctx, request.params.id, request.body, declared(), (tx, roleId) => bumpTokenVersionOfRoleHolders(tx, ctx.tenantId, roleId)) };
    },
  );

  app.get(
    '/v1/access/members',
    { config: { access: { permission: 'access.member.read' } }, schema: { tags, summary: 'List members and their roles', response: { 200: z.object({ data: z.array(member) }) } } },
    async (request) => ({ data: await listMembers(serviceContext(request)) }),
  );

  app.put(
    '/v1/access/members/:userId/roles',
    {
      config: { access: { permission: 'access.member.manage' } },
      schema: {
        tags,
        summary: "Replace a member's roles",
        params: z.strictObject({ userId: z.uuid() }),
        body: z.strictObject({ roles: memberRoleKeys }),
        response: { 200: z.object({ data: z.object({ roleKeys: z.array(z.string()), permissions: z.array(z.string()) }) }) },
      },
    },
    async (request) => {
      const access = await setMemberRoles(serviceContext(request), request.params.userId, request.body.roles);
      return { data: { roleKeys: access.roleKeys, permissions: [...access.permissions].sort() } };
    },
  );

  app.put(
    '/v1/access/members/:userId/status',
    {
      config: { access: { permission: 'access.member.manage' } },
      schema: {
        tags,
        summary: 'Suspend or re-activate a member',
        params: z.strictObject({ userId: z.uuid() }),
        body: z.strictObject({ status: z.enum(MEMBER_STATUSES) }),
        response: { 204: z.undefined() },
      },
    },
    async (request, reply) => {
      await setMemberStatus(serviceContext(request), request.params.userId, request.body.status);
      return reply.code(204).send();
    },
  );

  app.post(
    '/v1/access/members/:userId/sign-out',
    {
      config: { access: { permission: 'access.member.manage' } },
      schema: {
        tags,
        summary: 'Sign a member out everywhere: every browser session and API token of theirs ends at once',
        params: z.strictObject({ userId: z.uuid() }),
        response: { 204: z.undefined() },
      },
    },
    async (request, reply) => {
      await signOutMember(serviceContext(request), request.params.userId);
      return reply.code(204).send();
    },
  );
}
