import { CsrfField, ErrorAlert, Layout, Notice, PostButton, QrCode, TextField, type Chrome } from '../../web/index.ts';

interface Message {
  notice?: string | undefined;
  error?: string | undefined;
}

function CodeField({ error }: { error?: string | undefined }) {
  return <TextField name="code" label="Code from your authenticator app" inputMode="numeric" maxLength={12} required autoFocus error={error} />;
}

function StartForm({ label, secondary = false, chrome }: { label: string; secondary?: boolean; chrome: Chrome }) {
  return <PostButton action="/account/security/totp" csrfToken={chrome.csrfToken} label={label} secondary={secondary} />;
}


/** Whether two-step sign-in is on, with the one form that changes it. */
interface TillPin {
  /** Whether the person works in a business now (a PIN belongs to one business). */
  available: boolean;
  error?: string | undefined;
}

export function SecurityPage({ totpEnabled, notice, error, pin, chrome }: { totpEnabled: boolean; pin: TillPin; chrome: Chrome } & Message) {
  return (
    <Layout title="Two-step sign-in">
      <h1>Two-step sign-in</h1>
      <Notice text={notice} />
      <p id="two-step-status">
        Two-step sign-in is <strong>{totpEnabled ? 'on' : 'off'}</strong>.
      </p>
      {totpEnabled ? (
        <form method="post" action="/account/security/totp/disable">
          <CsrfField token={chrome.csrfToken} />
          <p>To turn it off, confirm with a current code from your authenticator app.</p>
          <CodeField error={error} />
          <button class="button" type="submit">
            Turn off two-step sign-in
          </button>
        </form>
      ) : (
        <>
          <ErrorAlert text={error} />
          <p>With two-step sign-in on, signing in also asks for a code from an authenticator app on your phone.</p>
          <StartForm label="Turn on two-step sign-in" chrome={chrome} />
        </>
      )}
      {pin.available && (
        <section aria-labelledby="till-pin">
          <h2 id="till-pin">Till PIN</h2>
          <p>Staff sign in at the business's tills with a PIN; what the till then lets them do follows their own role.</p>
          <form method="post" action="/account/security/pin">
            <CsrfField token={chrome.csrfToken} />
            <TextField name="pin" label="New PIN" type="password" inputMode="numeric" autoComplete="new-password" maxLength={8} required error={pin.error} hint="4 to 8 digits, not repeated digits or a run like 1234." />
            <button class="button" type="submit">
              Set PIN
            </button>
          </form>
        </section>
      )}
      <p>
        <a href="/account">Back to your account</a>
      </p>
    </Layout>
  );
}

/** "AAAA BBBB …": a secret typed by hand is easier to check in groups of four. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

interface EnrolProps {
  /** Present right after set-up starts; after a wrong code the page asks again without repeating the key. */
  enrolment?: { secret: string; otpauthUrl: string };
  error?: string | undefined;
  /** Where the first code goes: the account's set-up, or a sign-in waiting for enrolment (which cannot start again here). */
  action?: string;
  chrome: Chrome;
}

const ACCOUNT_CONFIRM = '/account/security/totp/confirm';

/** Set-up: scan the code (or type the key), then prove it worked with a first code. */
export function TotpEnrolPage({ enrolment, error, action = ACCOUNT_CONFIRM, chrome }: EnrolProps) {
  return (
    <Layout title="Set up two-step sign-in">
      <h1>Set up two-step sign-in</h1>
      {enrolment ? (
        <>
          <p>Scan this code with your authenticator app, or enter the key below by hand.</p>
          <QrCode text={enrolment.otpauthUrl} label="QR code with your two-step sign-in key" />
          <p>
            Key: <code id="totp-secret">{grouped(enrolment.secret)}</code>
          </p>
        </>
      ) : (
        <p>If you have not added the key to your app, start again for a new one.</p>
      )}
      <form method="post" action={action}>
        <CsrfField token={chrome.csrfToken} />
        <CodeField error={error} />
        <button class="button" type="submit">
          Turn on
        </button>
      </form>
      {action === ACCOUNT_CONFIRM && <StartForm label="Start again with a new key" secondary chrome={chrome} />}
    </Layout>
  );
}

/** Shown once, right after set-up: only hashes of these codes are kept. */
export function RecoveryCodesPage({ codes, next = '/account/security' }: { codes: readonly string[]; next?: string; chrome: Chrome }) {
  return (
    <Layout title="Your recovery codes">
      <h1>Two-step sign-in is on</h1>
      <Notice text="Save these recovery codes now, somewhere safe. Each one works once, in place of a code from your app. They are shown only this once." />
      <ol id="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>
        <a class="button" href={next}>
          I have saved them
        </a>
      </p>
    </Layout>
  );
}
