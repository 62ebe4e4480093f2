import { CsrfField, ErrorAlert, FormErrorSummary, Layout, TextField, type Chrome, type FieldErrors } from '../../../web/index.ts';
import type { InvitePreview } from '../invites.service.ts';

export interface JoinFormValues {
  displayName: string;
  username: string;
  email: string;
}

interface Props {
  action: string;
  /** Undefined when the invite cannot be used; `refusal` says why. */
  preview: InvitePreview | undefined;
  refusal?: string | undefined;
  values: JoinFormValues;
  errors: FieldErrors;
  formError?: string | undefined;
  chrome: Chrome;
}

export function JoinPage({ action, preview, refusal, values, errors, formError, chrome }: Props) {
  if (!preview)
    return (
      <Layout title="Invitation">
        <h1>Invitation</h1>
        <ErrorAlert text={refusal ?? 'This invitation cannot be used.'} />
        <p>Ask the person who invited you for a new link.</p>
      </Layout>
    );
  return (
    <Layout title={`Join ${preview.communityName}`}>
      <h1>Join {preview.communityName}</h1>
      <p>
        <strong>{preview.inviter}</strong> invited you.
      </p>
      {preview.note && <blockquote class="invite-note">{preview.note}</blockquote>}
      {preview.mode === 'approval' && <p class="muted">An administrator approves new members of this community: until then you can sign in and draft requests, which others see once you are approved.</p>}
      <FormErrorSummary errors={errors} formError={formError} />
      <form method="post" action={action} novalidate>
        <CsrfField token={chrome.csrfToken} />
        <TextField name="displayName" label="Your name" value={values.displayName} error={errors.displayName} required maxLength={100} autoFocus />
        <TextField name="username" label="Username (lower-case letters, digits, _)" value={values.username} error={errors.username} required maxLength={32} />
        <TextField name="email" type="email" label="Email (sign-in codes are sent here)" value={values.email} error={errors.email} required autoComplete="email" />
        <TextField name="password" type="password" label="Password" error={errors.password} required autoComplete="new-password" />
        <button class="button" type="submit">
          Join
        </button>
      </form>
    </Layout>
  );
}
