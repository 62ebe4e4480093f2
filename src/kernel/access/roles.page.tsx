import { Layout, Notice, type Chrome } from '../../web/index.ts';
import type { PermissionGroup } from './permission-groups.ts';
import type { Role } from './roles.service.ts';

interface Props {
  roles: readonly Role[];
  groups: readonly PermissionGroup[];
  /** Whether the actor holds access.role.manage: then custom roles can be created and edited. */
  canManage: boolean;
  notice?: string | undefined;
  chrome: Chrome;
}

/** A role's permissions, module by module, each with what it allows. */
function RolePermissions({ role, groups }: { role: Role; groups: readonly PermissionGroup[] }) {
  const granted = new Set(role.permissions);
  const shown = groups
    .map((group) => ({ ...group, permissions: group.permissions.filter((permission) => granted.has(permission.key)) }))
    .filter((group) => group.permissions.length > 0);
  if (shown.length === 0) return <p class="muted">No permissions.</p>;
  return (
    <dl class="role-permissions">
      {shown.map((group) => [
        <dt key={`${group.module}-label`}>{group.label}</dt>,
        <dd key={group.module}>
          <ul>
            {group.permissions.map((permission) => (
              <li key={permission.key}>
                {permission.description} <code class="muted">{permission.key}</code>
              </li>
            ))}
          </ul>
        </dd>,
      ])}
    </dl>
  );
}

/** The business's roles: template roles as shipped (read-only), custom roles editable by managers of roles. */
export function RolesPage({ roles, groups, canManage, notice, chrome }: Props) {
  return (
    <Layout title="Roles" {...chrome}>
      <h1>Roles</h1>
      <Notice text={notice} />
      {canManage && (
        <p class="toolbar">
          <a class="button" href="/access/roles/new">
            New role
          </a>
        </p>
      )}
      <ul class="cards">
        {roles.map((role) => (
          <li class="card" key={role.id} id={`role-${role.key}`}>
            <h2 id={`role-${role.key}-name`}>{role.name}</h2>
            <p>
              <code>{role.key}</code> <span class="badge">{role.templateKey ? 'Template, read-only' : 'Custom'}</span>
            </p>
            {canManage && !role.templateKey && (
              <p>
                <a href={`/access/roles/${role.id}/edit`}>Edit {role.name}</a>
              </p>
            )}
            <RolePermissions role={role} groups={groups} />
          </li>
        ))}
      </ul>
    </Layout>
  );
}
