import { CsrfField, Layout, Notice, TextField, type Chrome } from '../../web/index.ts';

interface Props {
  email: string;
  /** What is wrong with the email as typed (text the form cannot take). */
  emailError?: string | undefined;
  next: string;
  error?: string | undefined;
  notice?: string | undefined;
  askTotp: boolean;
  chrome: Chrome;
}

export function SignInPage({ email, emailError, next, error, notice, askTotp, chrome }: Props) {
  return (
    <Layout title="Sign in" nav={chrome.nav} signedIn={chrome.signedIn} csrfToken={chrome.csrfToken}>
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
