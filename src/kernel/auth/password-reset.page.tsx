import { CsrfField, ErrorAlert, Layout, Notice, TextField, type Chrome, type FieldErrors } from '../../web/index.ts';

const PASSWORD_HINT = 'At least 12 characters; a few unrelated words work well.';

interface ForgotProps {
  email: string;
  notice?: string | undefined;
  error?: string | undefined;
  errors: FieldErrors;
  chrome: Chrome;
}

/** "Forgot your password?": one field; the answer after posting is the same for every address. */
export function ForgotPasswordPage({ email, notice, error, errors, chrome }: ForgotProps) {
  return (
    <Layout title="Forgot your password?">
      <h1>Forgot your password?</h1>
      <Notice text={notice} />
      <ErrorAlert text={error} />
      <p>Enter the email address of your account. We will send it a link to choose a new password.</p>
      <form method="post" action="/forgot-password" novalidate>
        <CsrfField token={chrome.csrfToken} />
        <TextField name="email" type="email" autoComplete="email" label="Email" value={email} error={errors.email} required maxLength={254} autoFocus />
        <button class="button" type="submit">
          Send reset link
        </button>
      </form>
      <p>
        <a href="/sign-in">Back to sign-in</a>
      </p>
    </Layout>
  );
}

interface ResetProps {
  token: string;
  /** False: the link is unknown, expired or used, and the page says so instead of showing the form. */
  usable: boolean;
  errors: FieldErrors;
  chrome: Chrome;
}

export function ResetPasswordPage({ token, usable, errors, chrome }: ResetProps) {
  return (
    <Layout title="Choose a new password">
      {usable ? (
        <>
          <h1>Choose a new password</h1>
          <p>After the change you are signed out everywhere, and sign in again with the new password.</p>
          <form method="post" action={`/reset-password/${token}`} novalidate>
            <CsrfField token={chrome.csrfToken} />
            <TextField name="password" type="password" autoComplete="new-password" label="New password" value="" error={errors.password} required hint={PASSWORD_HINT} autoFocus />
            <button class="button" type="submit">
              Set new password
            </button>
          </form>
        </>
      ) : (
        <>
          <h1>Link expired or used</h1>
          <ErrorAlert text="This password reset link has expired or was already used. Each link works once, for an hour." />
          <p>
            <a href="/forgot-password">Ask for a new link</a>
          </p>
        </>
      )}
    </Layout>
  );
}

interface VerifyProps {
  token: string;
  /** The address a usable link confirms; undefined when the link is dead. */
  address: string | undefined;
  /** After posting: the address is confirmed. */
  done?: boolean;
  chrome: Chrome;
}

/**
 * Opening a verification link shows a button instead of confirming at once: mail scanners open
 * links too, and a GET must not spend anything.
 */
export function VerifyEmailPage({ token, address, done, chrome }: VerifyProps) {
  return (
    <Layout title="Confirm your email address">
      <h1>Confirm your email address</h1>
      {done ? (
        <>
          <Notice text="Thank you: your email address is confirmed." />
          <p>
            <a href="/account">Your account</a>
          </p>
        </>
      ) : address ? (
        <form method="post" action={`/verify-email/${token}`}>
          <CsrfField token={chrome.csrfToken} />
          <p>
            Confirm that <strong>{address}</strong> is your address.
          </p>
          <button class="button" type="submit">
            Confirm
          </button>
        </form>
      ) : (
        <>
          <ErrorAlert text="This confirmation link has expired or was already used." />
          <p>
            Ask for a new one on <a href="/account">your account page</a>.
          </p>
        </>
      )}
    </Layout>
  );
}
