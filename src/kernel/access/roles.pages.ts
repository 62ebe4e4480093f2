import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { ServiceContext } from '../context.ts';
import { serviceContext } from '../http/index.ts';
import type { AppInstance, ModuleServices } from '../module/index.ts';
import { chrome, formFields, formList, formRejection, formText, sendPage, type FieldErrors } from '../../web/index.ts';
import { permissionList, roleKey, roleName } from './inputs.ts';
import { permissionGroupsFor } from './permission-groups.ts';
import { RoleFormPage, type RoleFormValues } from './role-form.page.tsx';
import { bumpTokenVersionOfRoleHolders } from './role-holders.ts';
import { RolesPage } from './roles.page.tsx';
import { createCustomRole, listRoles, roleErrors, updateCustomRole, type CustomRoleInput, type Role } from './roles.service.ts';

const READ = { access: { permission: 'access.role.read' } } as const;
const MANAGE = { access: { permission: 'access.role.manage' } } as const;
const MANAGE_PERMISSION = MANAGE.access.permission;
const idParams = z.object({ id: z.uuid() });

const DONE = ['created', 'saved'] as const;
const NOTICES: Record<(typeof DONE)[number], (name: string) => string> = {
  created: (name) => `Created the role ${name}.`,
  saved: (name) => `Saved the role ${name}.`,
};
// A hand-edited or stale query shows the plain list rather than an error page.
const listQuery = z.object({ done: z.enum(DONE).optional().catch(undefined), role: z.uuid().optional().catch(undefined) });

function formValues(body: unknown): RoleFormValues {
  const fields = formFields(body);
  return { key: formText(fields.key).trim(), name: formText(fields.name), permissions: formList(fields.permissions) };
}

const firstMessage = (result: { success: boolean; error?: z.ZodError }) => result.error?.issues[0]?.message ?? 'is not valid';

/** Turns the form into the use case's input; only permissions some mounted module declares can be granted. */
function parseForm(values: RoleFormValues, declared: ReadonlySet<string>): { input?: CustomRoleInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const key = roleKey.safeParse(values.key);
  if (!key.success) errors.key = firstMessage(key);
  const name = roleName.safeParse(values.name);
  if (!name.success) errors.name = firstMessage(name);
  const unknown = values.permissions.filter((permission) => !declared.has(permission));
  const permissions = permissionList.safeParse([...new Set(values.permissions)]);
  if (unknown.length > 0) errors.permissions = `Unknown permission: ${unknown.join(', ')}.`;
  else if (!permissions.success) errors.permissions = firstMessage(permissions);
  if (!key.success || !name.success || !permissions.success || Object.keys(errors).length > 0) return { errors };
  return { input: { key: key.data, name: name.data, permissions: permissions.data }, errors };
}

/** A custom role of the tenant; template roles follow their edition and are never edited here. */
async function editableRole(ctx: ServiceContext, id: string): Promise<Role> {
  const role = (await listRoles(ctx)).find((candidate) => candidate.id === id);
  if (!role) throw roleErrors.notFound();
  if (role.templateKey) throw roleErrors.templateReadOnly();
  return role;
}

/** Role pages: the list with each role's permissions by module, and forms for custom roles. */
export function rolePageRoutes(app: AppInstance, { permissions: declared, permissionDefinitions }: ModuleServices): void {
  // Other tenants' roles cannot hold platform permissions: their pages do not offer or list them.
  const groupsOf = (request: FastifyRequest) => permissionGroupsFor(request.tenant?.id ?? '', permissionDefinitions);
  const formPage = (request: FastifyRequest, props: Omit<Parameters<typeof RoleFormPage>[0], 'groups'>) => RoleFormPage({ ...props, groups: groupsOf(request) });

  app.get('/access/roles', { config: READ, schema: { hide: true, querystring: listQuery } }, async (request, reply) => {
    const roles = await listRoles(serviceContext(request));
    const { done, role } = request.query;
    const named = roles.find((candidate) => candidate.id === role);
    const notice = done && named ? NOTICES[done](named.name) : undefined;
    const canManage = request.permissions.has(MANAGE_PERMISSION);
    return sendPage(reply, RolesPage({ roles, groups: groupsOf(request), canManage, notice, chrome: chrome(request, reply) }));
  });

  app.get('/access/roles/new', { config: MANAGE, schema: { hide: true } }, async (request, reply) =>
    sendPage(reply, formPage(request, { mode: { kind: 'create' }, values: { key: '', name: '', permissions: [] }, errors: {}, chrome: chrome(request, reply) })),
  );

  app.post('/access/roles', { config: MANAGE, schema: { hide: true } }, async (request, reply) => {
    const mode = { kind: 'create' as const };
    const values = formValues(request.body);
    const { input, errors } = parseForm(values, declared);
    if (!input) return sendPage(reply, formPage(request, { mode, values, errors, chrome: chrome(request, reply) }), 422);
    try {
      const created = await createCustomRole(serviceContext(request), input, declared);
      return reply.redirect(`/access/roles?done=created&role=${created.id}`, 303);
    } catch (error) {
      const { status, ...rejection } = formRejection(error);
      return sendPage(reply, formPage(request, { mode, values, ...rejection, chrome: chrome(request, reply) }), status);
    }
  });

  app.get('/access/roles/:id/edit', { config: MANAGE, schema: { hide: true, params: idParams } }, async (request, reply) => {
    const role = await editableRole(serviceContext(request), request.params.id);
    const values = { key: role.key, name: role.name, permissions: role.permissions };
    return sendPage(reply, formPage(request, { mode: { kind: 'edit', id: role.id }, values, errors: {}, chrome: chrome(request, reply) }));
  });

  app.post('/access/roles/:id', { config: MANAGE, schema: { hide: true, params: idParams } }, async (request, reply) => {
    const ctx = serviceContext(request);
    const role = await editableRole(ctx, request.params.id);
    const mode = { kind: 'edit' as const, id: role.id };
    // The key is not part of the edit form: it stays what it is.
    const values = { ...formValues(request.body), key: role.key };
    const { input, errors } = parseForm(values, declared);
    if (!input) return sendPage(reply, formPage(request, { mode, values, errors, chrome: chrome(request, reply) }), 422);
    try {
      const unchanged = [...input.permissions].sort().join() === [...role.permissions].sort().join();
      const patch = { name: input.name, permissions: unchanged ? undefined : input.permissions };
      // Holders' API tokens die when the permissions change, as with the API's PATCH; a new name alone keeps them.
      await updateCustomRole(ctx, role.id, patch, declared, (tx, roleId) => bumpTokenVersionOfRoleHolders(tx, ctx.tenantId, roleId));
      return reply.redirect(`/access/roles?done=saved&role=${role.id}`, 303);
    } catch (error) {
      const { status, ...rejection } = formRejection(error);
      return sendPage(reply, formPage(request, { mode, values, ...rejection, chrome: chrome(request, reply) }), status);
    }
  });
}
