import { CsrfField, ErrorAlert, Layout, Notice, PostButton, SelectField, type Chrome } from '../../web/index.ts';

export interface AccountView {
  displayName: string;
  email: string;
  /** Proven by a verification link, or by an invitation made out to the address. */
  emailVerified: boolean;
  totpEnabled: boolean;
  /** The businesses the user may work in, by slug. */
  memberships: readonly { slug: string; name: string }[];
  activeSlug: string | undefined;
}

interface Props {
  account: AccountView;
  notice?: string | undefined;
  error?: string | undefined;
  chrome: Chrome;
}

/** The signed-in person's own page: who they are, where they work, links to sessions and security. */
export function AccountPage({ account, notice, error, chrome }: Props) {
  const { memberships } = account;
  return (
    <Layout title="Your account">
      <h1>Your account</h1>
      <Notice text={notice} />
      <ErrorAlert text={error} />
      <dl>
        <dt>Name</dt>
        <dd id="account-name">{account.displayName}</dd>
        <dt>Email</dt>
        <dd id="account-email">{account.email}</dd>
        <dt>Email status</dt>
        <dd id="email-status">{account.emailVerified ? 'confirmed' : 'not confirmed yet'}</dd>
      </dl>
      {!account.emailVerified && <PostButton action="/account/verify-email" csrfToken={chrome.csrfToken} label="Send verification email" secondary />}

      <h2>Work in</h2>
      {memberships.length === 0 ? (
        <p class="muted">You are not a member of any business yet.</p>
      ) : (
        <form method="post" action="/account/tenant">
          <CsrfField token={chrome.csrfToken} />
          <SelectField
            name="tenant"
            label="Business"
            value={account.activeSlug}
            options={memberships.map((membership) => ({ value: membership.slug, label: membership.name }))}
          />
          <button class="button" type="submit">
            Switch
          </button>
        </form>
      )}

      <h2>Security</h2>
      <ul>
        <li>
          <a href="/account/security">Two-step sign-in</a>: <span id="two-step-status">{account.totpEnabled ? 'on' : 'off'}</span>
        </li>
        <li>
          <a href="/account/sessions">Where you are signed in</a>
        </li>
      </ul>
    </Layout>
  );
}
