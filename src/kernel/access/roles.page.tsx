import { Layout, Notice, PostButton, type Chrome } from '../../web/index.ts';
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

/** One cell of the grid: a tick for a granted permission, said as "Yes" / "No" to screen readers. */
function Granted({ granted }: { granted: boolean }) {
  return (
    <td class={granted ? 'granted' : 'not-granted'}>
      <span aria-hidden="true">{granted ? '✓' : '·'}</span>
      <span class="visually-hidden">{granted ? 'Yes' : 'No'}</span>
    </td>
  );
}

/**
 * The business's roles as one grid: a column per role, a row per permission in words, grouped by
 * area. Template roles are as shipped (read-only); custom roles are editable by managers of roles.
 */
export function RolesPage({ roles, groups, canManage, notice, chrome }: Props) {
  const granted = new Map(roles.map((role) => [role.id, new Set(role.permissions)]));
  const editable = roles.filter((role) => !role.templateKey);
  return (
    <Layout title="Roles">
      <h1>Roles</h1>
      <Notice text={notice} />
      {canManage && (
        <p class="toolbar">
          <a class="button" href="/access/roles/new">
            New role
          </a>
          {editable.map((role) => (
            <a key={role.id} href={`/access/roles/${role.id}/edit`}>
              Edit {role.name}
            </a>
          ))}
        </p>
      )}
      <div class="table-scroll">
        <table class="data role-grid">
          <caption class="muted">What each role may do. Template roles come with the business and cannot be changed; custom roles can.</caption>
          <thead>
            <tr>
              <th scope="col">Permission</th>
              {roles.map((role) => (
                <th scope="col" key={role.id} id={`role-${role.key}`}>
                  {role.name}
                  <span class="badge">{role.templateKey ? 'Template' : 'Custom'}</span>
                  {role.requiresTwoStep && <span class="badge">Two-step sign-in</span>}
                </th>
              ))}
            </tr>
          </thead>
          {groups.map((group) => (
            <tbody key={group.module}>
              <tr>
                <th scope="colgroup" colSpan={roles.length + 1} class="group">
                  {group.label}
                </th>
              </tr>
              {group.permissions.map((permission) => (
                <tr key={permission.key} data-permission={permission.key}>
                  <th scope="row" title={permission.key}>
                    {permission.description}
                  </th>
                  {roles.map((role) => (
                    <Granted key={role.id} granted={granted.get(role.id)?.has(permission.key) ?? false} />
                  ))}
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
      {canManage && (
        <section aria-labelledby="two-step-heading">
          <h2 id="two-step-heading">Two-step sign-in</h2>
          <p class="muted">Members holding a role that requires it must enter a code from their authenticator app when they sign in.</p>
          <table class="data">
            <tbody>
              {roles.map((role) => (
                <tr key={role.id}>
                  <th scope="row">{role.name}</th>
                  <td>{role.requiresTwoStep ? 'Required' : 'Not required'}</td>
                  <td>
                    <PostButton
                      action={`/access/roles/${role.id}/two-step`}
                      csrfToken={chrome.csrfToken}
                      label={role.requiresTwoStep ? 'Stop requiring' : 'Require'}
                      fields={{ required: role.requiresTwoStep ? 'false' : 'true' }}
                      secondary
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </Layout>
  );
}
