import type { ComponentChildren } from 'preact';

export interface NavLink {
  label: string;
  href: string;
}

export interface LayoutProps {
  title: string;
  nav?: readonly NavLink[];
  tenantName?: string | undefined;
  signedIn?: boolean;
  csrfToken?: string;
  children: ComponentChildren;
}

/** The hidden field every state-changing form carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function Layout({ title, nav = [], tenantName, signedIn = false, csrfToken, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Plinth`}</title>
        <link rel="stylesheet" href="/assets/plinth.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="app-header">
          <a class="brand" href="/">
            Plinth
          </a>
          {nav.length > 0 && (
            <nav aria-label="Main">
              <ul>
                {nav.map((item) => (
                  <li key={item.href}>
                    <a href={item.href}>{item.label}</a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {tenantName && <span class="tenant">{tenantName}</span>}
          {signedIn && <a href="/account">Account</a>}
          {signedIn && csrfToken && (
            <form method="post" action="/sign-out">
              <CsrfField token={csrfToken} />
              <button class="button secondary" type="submit">
                Sign out
              </button>
            </form>
          )}
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
