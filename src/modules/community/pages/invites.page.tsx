import { counted, CsrfField, DataTable, FormErrorSummary, Layout, SelectField, TextField, When, type Chrome, type FieldErrors } from '../../../web/index.ts';
import { MAX_INVITE_DAYS, MAX_INVITE_USES } from '../domain/invite.ts';
import type { Invite } from '../invites.service.ts';

export interface InviteFormValues {
  mode: string;
  maxUses: string;
  expiresInDays: string;
  note: string;
  suggestedUsername: string;
}

export const EMPTY_INVITE: InviteFormValues = { mode: 'join', maxUses: '1', expiresInDays: '7', note: '', suggestedUsername: '' };

const MODE_LABELS = { join: 'Joins at once', approval: 'Joins, then waits for an administrator' } as const;

interface Props {
  invites: readonly Invite[];
  /** The link of an invite just created: shown this once. */
  createdLink?: string | undefined;
  values: InviteFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  seesAll: boolean;
  chrome: Chrome;
}

export function InvitesPage({ invites, createdLink, values, errors, formError, seesAll, chrome }: Props) {
  return (
    <Layout title="Invites">
      <h1>Invites</h1>
      {createdLink && (
        <div class="notice" role="status">
          <p>
            Invite created. Send this link to the person you invite; it is shown only now:
          </p>
          <p>
            <code class="invite-link">{createdLink}</code>
          </p>
        </div>
      )}
      <section>
        <h2>Invite someone</h2>
        <FormErrorSummary errors={errors} formError={formError} />
        <form method="post" action="/invites" novalidate>
          <CsrfField token={chrome.csrfToken} />
          <SelectField name="mode" label="When they join" value={values.mode} error={errors.mode} options={Object.entries(MODE_LABELS).map(([value, label]) => ({ value, label }))} />
          <TextField name="maxUses" label={`How many people may use it (1–${MAX_INVITE_USES})`} value={values.maxUses} error={errors.maxUses} inputMode="numeric" required />
          <TextField name="expiresInDays" label={`Valid for how many days (1–${MAX_INVITE_DAYS})`} value={values.expiresInDays} error={errors.expiresInDays} inputMode="numeric" required />
          <TextField name="suggestedUsername" label="Suggested username (optional)" value={values.suggestedUsername} error={errors.suggestedUsername} maxLength={32} />
          <TextField name="note" label="Personal note (optional, shown on the invite)" value={values.note} error={errors.note} maxLength={500} />
          <button class="button" type="submit">
            Create invite
          </button>
        </form>
      </section>
      <section>
        <h2>{seesAll ? 'All invites' : 'Your invites'}</h2>
        <DataTable
          rows={invites}
          rowKey={(invite) => invite.id}
          caption={counted(invites.length, 'invite')}
          empty="No invites yet."
          columns={[
            { header: 'Invited by', cell: (invite) => invite.inviter },
            { header: 'Mode', cell: (invite) => MODE_LABELS[invite.mode] },
            { header: 'Used', cell: (invite) => `${invite.uses} of ${invite.maxUses}` },
            { header: 'Expires', cell: (invite) => <When at={invite.expiresAt} /> },
            { header: 'State', cell: (invite) => <span class={`badge ${invite.usable ? 'status-open' : 'status-closed'}`}>{invite.usable ? 'Usable' : 'Used up or expired'}</span> },
            { header: 'Note', cell: (invite) => invite.note ?? '' },
          ]}
        />
      </section>
    </Layout>
  );
}
