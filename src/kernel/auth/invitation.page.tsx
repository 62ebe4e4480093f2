import { CsrfField, Layout, TextField, type Chrome, type FieldErrors } from '../../web/index.ts';
import type { InvitationPreview } from '../access/index.ts';

export interface SignUpValues {
  displayName: string;
  email: string;
}

interface Props {
  token: string;
  /** Absent when the link is not (or no longer) valid. */
  preview: InvitationPreview | undefined;
  /** The signed-in person's email, when a browser session is open. */
  signedInAs: string | undefined;
  values: SignUpValues;
  errors: FieldErrors;
  formError?: string | undefined;
  chrome: Chrome;
}

export function InvitationPage({ token, preview, signedInAs, values, errors, formError, chrome }: Props) {
  const action = `/invite/${token}`;
  return (
    <Layout title="Invitation">
      {!preview ? (
        <>
          <h1>Invitation</h1>
          <div class="alert error" role="alert">
            {formError ?? 'This invitation link is not valid.'}
          </div>
        </>
      ) : (
        <>
          <h1>Join {preview.tenantName}</h1>
          <p>
            You are invited as <strong>{preview.roleKeys.join(', ')}</strong>
            {preview.email && (
              <>
                {' '}
                (for <strong>{preview.email}</strong>)
              </>
            )}
            .
          </p>
          {formError && (
            <div class="alert error" role="alert">
              {formError}
            </div>
          )}
          {signedInAs ? (
            <form method="post" action={action}>
              <CsrfField token={chrome.csrfToken} />
              <p>You are signed in as {signedInAs}.</p>
              <button class="button" type="submit">
                Join {preview.tenantName}
              </button>
            </form>
          ) : (
            <>
              <h2>Create your account</h2>
              <form method="post" action={action} novalidate>
                <CsrfField token={chrome.csrfToken} />
                <TextField name="displayName" label="Your name" value={values.displayName} error={errors.displayName} required maxLength={100} autoFocus />
                <TextField name="email" type="email" autoComplete="email" label="Email" value={preview.email ?? values.email} error={errors.email} required maxLength={254} />
                <TextField name="password" type="password" autoComplete="new-password" label="Password" value="" error={errors.password} required hint="At least 12 characters; a few unrelated words work well." />
                <button class="button" type="submit">
                  Create account and join
                </button>
              </form>
              <p>
                Already have an account? <a href={`/sign-in?next=${encodeURIComponent(action)}`}>Sign in</a>, then come back to this link.
              </p>
            </>
          )}
        </>
      )}
    </Layout>
  );
}
