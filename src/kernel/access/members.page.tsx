import { CheckboxGroup, CsrfField, ErrorAlert, Layout, Notice, PostButton, type Chrome } from '../../web/index.ts';
import type { Member } from './members.service.ts';
import type { Role } from './roles.service.ts';

interface Props {
  members: readonly Member[];
  roles: readonly Role[];
  /** Whether the actor holds access.member.manage; without it the page only lists. */
  canManage: boolean;
  notice?: string | undefined;
  /** A refused change, shown above the list. */
  error?: string | undefined;
  chrome: Chrome;
}

const STATUS_LABEL = { active: 'Active', suspended: 'Suspended' } as const;

function MemberActions({ member, roles, csrfToken }: { member: Member; roles: readonly Role[]; csrfToken: string }) {
  const base = `/access/members/${member.userId}`;
  const suspended = member.status === 'suspended';
  return (
    <div class="actions">
      <form method="post" action={`${base}/roles`}>
        <CsrfField token={csrfToken} />
        <CheckboxGroup
          name="roles"
          legend={`Roles of ${member.displayName}`}
          idPrefix={`member-${member.userId}-role`}
          options={roles.map((role) => ({ value: role.key, label: role.name }))}
          checked={member.roleKeys}
        />
        <button class="button" type="submit">
          Save roles
        </button>
      </form>
      <PostButton action={`${base}/status`} csrfToken={csrfToken} fields={{ status: suspended ? 'active' : 'suspended' }} label={suspended ? 'Re-activate' : 'Suspend'} secondary />
      <PostButton action={`${base}/sign-out`} csrfToken={csrfToken} label="Sign out everywhere" secondary />
      <a href={`${base}/security`}>Sign-in and sessions</a>
    </div>
  );
}

/** The people of the business, their roles and status; owners change them here without JavaScript. */
export function MembersPage({ members, roles, canManage, notice, error, chrome }: Props) {
  const roleName = new Map(roles.map((role) => [role.key, role.name]));
  return (
    <Layout title="Team">
      <h1>Team</h1>
      <Notice text={notice} />
      <ErrorAlert text={error} />
      {members.length === 0 ? (
        <p class="muted">No one belongs to this business yet.</p>
      ) : (
        <table class="data">
          <caption class="muted">
            {members.length} member{members.length === 1 ? '' : 's'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Roles</th>
              <th scope="col">Status</th>
              {canManage && <th scope="col">Change</th>}
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.userId} id={`member-${member.userId}`}>
                <th scope="row">{member.displayName}</th>
                <td>{member.email}</td>
                <td class="member-roles">{member.roleKeys.length === 0 ? <span class="muted">No roles</span> : member.roleKeys.map((key) => roleName.get(key) ?? key).join(', ')}</td>
                <td>
                  <span class="badge">{STATUS_LABEL[member.status]}</span>
                </td>
                {canManage && (
                  <td>
                    <MemberActions member={member} roles={roles} csrfToken={chrome.csrfToken} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
