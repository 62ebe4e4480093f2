import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { PageBanner } from '../kernel/module/index.ts';

/** The request's page banners (announcements, maintenance), provided by sendPage so no page has to pass them on. */
export const PageBannersContext = createContext<readonly PageBanner[]>([]);

function PageBanners() {
  const banners = useContext(PageBannersContext);
  if (banners.length === 0) return null;
  return (
    <section class="page-banners" aria-label="Announcements">
      {banners.map((banner) => (
        <div key={banner.id} class={banner.severity === 'info' ? 'alert' : 'alert error'} role={banner.severity === 'critical' ? 'alert' : 'status'}>
          <strong>{banner.title}</strong> {banner.body}
        </div>
      ))}
    </section>
  );
}

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
  /** Island bundles (islandScriptUrl) the page hydrates with; module scripts run after parsing. */
  scripts?: readonly string[];
  children: ComponentChildren;
}

/** The hidden field every state-changing form carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function Layout({ title, nav = [], tenantName, signedIn = false, csrfToken, scripts = [], children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Plinth`}</title>
        <link rel="stylesheet" href="/assets/plinth.css" />
        {scripts.map((src) => (
          <script key={src} type="module" src={src} />
        ))}
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
        <main id="main">
          <PageBanners />
          {children}
        </main>
      </body>
    </html>
  );
}
