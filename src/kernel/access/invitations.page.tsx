import { CheckboxGroup, CsrfField, FormErrorSummary, Layout, Notice, PostButton, TextField, When, type Chrome, type FieldErrors } from '../../web/index.ts';
import type { Invitation } from './invitations.service.ts';
import type { Role } from './roles.service.ts';

export interface InvitationFormValues {
  email: string;
  roles: string[];
  maxUses: string;
  validDays: string;
}

interface Props {
  invitations: readonly Invitation[];
  roles: readonly Role[];
  canManage: boolean;
  values: InvitationFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  notice?: string | undefined;
  /** The link just created: shown this once, never stored in clear. */
  createdLink?: string | undefined;
  now: Date;
  chrome: Chrome;
}

function state(invitation: Invitation, now: Date): string {
  if (invitation.revokedAt) return 'Withdrawn';
  if (invitation.uses >= invitation.maxUses) return 'Used up';
  if (invitation.expiresAt <= now) return 'Expired';
  return 'Open';
}

export function InvitationsPage({ invitations, roles, canManage, values, errors, formError, notice, createdLink, now, chrome }: Props) {
  return (
    <Layout title="Invitations">
      <p>
        <a href="/access/members">← Team</a>
      </p>
      <h1>Invitations</h1>
      <Notice text={notice} />
      {createdLink && (
        <div class="alert success" role="status">
          <p>Send this link to the person you invite. It is shown only now.</p>
          <p>
            <code>{createdLink}</code>
          </p>
        </div>
      )}
      {canManage && (
        <section>
          <h2>Invite someone</h2>
          <FormErrorSummary errors={errors} formError={formError} />
          <form method="post" action="/access/invitations" novalidate>
            <CsrfField token={chrome.csrfToken} />
            <TextField name="email" type="email" label="Email (optional)" value={values.email} error={errors.email} maxLength={254} hint="Only this address can accept. Leave empty for a link anyone can use." />
            <CheckboxGroup name="roles" legend="Roles" idPrefix="invite-role" options={roles.map((role) => ({ value: role.key, label: role.name }))} checked={values.roles} error={errors.roles} />
            <TextField name="maxUses" label="How many people may use it" value={values.maxUses} error={errors.maxUses} inputMode="numeric" />
            <TextField name="validDays" label="Valid for (days)" value={values.validDays} error={errors.validDays} inputMode="numeric" />
            <button class="button" type="submit">
              Create invitation link
            </button>
          </form>
        </section>
      )}
      <h2>Sent invitations</h2>
      {invitations.length === 0 ? (
        <p class="muted">No invitations yet.</p>
      ) : (
        <table class="data">
          <thead>
            <tr>
              <th scope="col">For</th>
              <th scope="col">Roles</th>
              <th scope="col" class="num">
                Used
              </th>
              <th scope="col">Expires</th>
              <th scope="col">State</th>
              {canManage && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {invitations.map((invitation) => (
              <tr key={invitation.id}>
                <td>{invitation.email ?? 'Anyone with the link'}</td>
                <td>{invitation.roleKeys.join(', ')}</td>
                <td class="num">
                  {invitation.uses} of {invitation.maxUses}
                </td>
                <td>
                  <When at={invitation.expiresAt} />
                </td>
                <td>
                  <span class="badge">{state(invitation, now)}</span>
                </td>
                {canManage && (
                  <td>
                    {state(invitation, now) === 'Open' && (
                      <PostButton action={`/access/invitations/${invitation.id}/revoke`} csrfToken={chrome.csrfToken} label="Withdraw" secondary />
                    )}
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
