import { CsrfField, FormErrorSummary, Layout, Notice, TextField, When, type Chrome, type FieldErrors } from '../../../web/index.ts';
import type { VerificationStatus } from '../credentials.service.ts';

interface Props {
  status: VerificationStatus;
  notice?: string | undefined;
  errors: FieldErrors;
  formError?: string | undefined;
  chrome: Chrome;
}

export function VerifyPage({ status, notice, errors, formError, chrome }: Props) {
  if (status.state === 'trusted')
    return (
      <Layout title="Sign-in verified">
        <h1>Sign-in verified</h1>
        <Notice text={notice} />
        <p>This sign-in is verified: you can post, comment and invite.</p>
        <p>
          <a class="button" href="/requests">
            Go to requests
          </a>
        </p>
      </Layout>
    );
  return (
    <Layout title="Verify your sign-in">
      <h1>Verify your sign-in</h1>
      <Notice text={notice} />
      <p>
        Until this sign-in is verified you can read requests and draft your own; drafts are shown to others once you are verified.
      </p>
      {status.awaitsApproval ? (
        <p class="muted">An administrator approves new members of this community before their first sign-in counts. They see this sign-in at their sessions page; nothing to do but wait.</p>
      ) : (
        <>
          <FormErrorSummary errors={errors} formError={formError} />
          <form method="post" action="/verify/code">
            <CsrfField token={chrome.csrfToken} />
            <p>
              {status.codeSentAt ? (
                <>
                  A code was sent to {status.email} <When at={status.codeSentAt} />.{' '}
                </>
              ) : (
                <>We send a six-digit code to {status.email}. </>
              )}
              {status.sendWaitSeconds > 0 ? <span class="muted">You can ask for another in {status.sendWaitSeconds} s.</span> : null}
            </p>
            <button class="button secondary" type="submit">
              {status.codeSentAt ? 'Send a new code' : 'Email me a code'}
            </button>
          </form>
          <form method="post" action="/verify" novalidate>
            <CsrfField token={chrome.csrfToken} />
            <TextField name="code" label="Code from the email" error={errors.code} inputMode="numeric" autoComplete="one-time-code" maxLength={6} required />
            <button class="button" type="submit">
              Verify
            </button>
          </form>
          <p class="muted">No email? An administrator can approve this sign-in instead.</p>
        </>
      )}
    </Layout>
  );
}
