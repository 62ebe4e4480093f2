import type { TotpEnrolment } from '../identity/index.ts';
import { CsrfField, Layout, Notice, QrCode, TextField, type Chrome } from '../../web/index.ts';

interface Props {
  email: string;
  /** What is wrong with the email as typed (text the form cannot take). */
  emailError?: string | undefined;
  next: string;
  error?: string | undefined;
  notice?: string | undefined;
  askTotp: boolean;
  /** The password is temporary: ask for a new one. */
  askNewPassword?: boolean;
  /** A role demands two-step sign-in: the key to add to an authenticator app, and a field for its first code. */
  enrolment?: TotpEnrolment | undefined;
  chrome: Chrome;
}

export function SignInPage({ email, emailError, next, error, notice, askTotp, askNewPassword = false, enrolment, chrome }: Props) {
  return (
    <Layout title="Sign in">
      <h1>Sign in</h1>
      <Notice text={notice} />
      {error && (
        <div class="alert error" role="alert">
          {error}
        </div>
      )}
      <form method="post" action="/sign-in">
        <CsrfField token={chrome.csrfToken} />
        <input type="hidden" name="next" value={next} />
        <TextField name="email" label="Email" value={email} error={emailError} required maxLength={254} autoFocus={!askTotp} />
        <div class="field">
          <label for="field-password">Password</label>
          <input id="field-password" name="password" type="password" required autocomplete="current-password" />
        </div>
        {askTotp && <TextField name="totpCode" label="Authenticator code" inputMode="numeric" autoFocus />}
        {askNewPassword && <TextField name="newPassword" label="New password" type="password" autoComplete="new-password" required hint="At least 12 characters; not a common password" />}
        {enrolment && (
          <>
            <p>Scan this code with your authenticator app, or enter the key by hand.</p>
            <QrCode text={enrolment.otpauthUrl} label="QR code with your two-step sign-in key" />
            <p>
              Key: <code id="totp-secret">{enrolment.secret}</code>
            </p>
            <TextField name="totpEnrolmentCode" label="Code from the app" inputMode="numeric" autoComplete="one-time-code" required />
          </>
        )}
        <button class="button" type="submit">
          Sign in
        </button>
      </form>
      <p>
        <a href="/forgot-password">Forgot your password?</a>
      </p>
    </Layout>
  );
}
