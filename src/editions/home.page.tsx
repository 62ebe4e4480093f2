import { Layout, type Chrome } from '../web/index.ts';

export function HomePage({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Welcome" nav={chrome.nav} tenantName={chrome.tenantName} signedIn={chrome.signedIn} csrfToken={chrome.csrfToken}>
      <h1>Plinth</h1>
      <p>One platform for shops, cafés, kitchens and community networks.</p>
      {chrome.signedIn ? (
        chrome.nav.length > 0 ? (
          <ul>
            {chrome.nav.map((item) => (
              <li key={item.href}>
                <a href={item.href}>{item.label}</a>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">You are signed in, but not yet a member of any business. A business you signed up can be used once the platform team approves it.</p>
        )
      ) : (
        <p>
          <a class="button" href="/sign-in">
            Sign in
          </a>{' '}
          <a class="button secondary" href="/signup">
            Sign up your business
          </a>
        </p>
      )}
      <p>
        <a href="/docs">API documentation</a>
      </p>
    </Layout>
  );
}
