import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import type { PageBanner } from '../kernel/module/index.ts';
import { AppNav, BusinessSwitcher, Breadcrumbs, type Crumb } from './nav.tsx';
import { ShellContext, type NavLink } from './shell.ts';

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

export interface LayoutProps {
  title: string;
  /** Pages between the dashboard's navigation item and this page, when the page sits deeper. */
  breadcrumbs?: readonly Crumb[];
  /** The page's main next step, shown at the right of its header. */
  action?: NavLink;
  /** Island bundles (islandScriptUrl) the page hydrates with; module scripts run after parsing. */
  scripts?: readonly string[];
  children: ComponentChildren;
}

/** The hidden field every state-changing form carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

function SignOut({ csrfToken }: { csrfToken: string }) {
  return (
    <form method="post" action="/sign-out">
      <CsrfField token={csrfToken} />
      <button class="button quiet" type="submit">
        Sign out
      </button>
    </form>
  );
}

/**
 * Every page's frame: the top bar (business and its switcher, account), the grouped navigation
 * (a sidebar on wide screens, a menu that opens on narrow ones), one page header with breadcrumbs
 * and the page's primary action, then the page. What it shows comes from the request (ShellContext).
 */
export function Layout({ title, breadcrumbs, action, scripts = [], children }: LayoutProps) {
  const shell = useContext(ShellContext);
  const hasNav = shell.sections.length > 0 || shell.business !== null;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Plinth`}</title>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/plinth.css" />
        {scripts.map((src) => (
          <script key={src} type="module" src={src} />
        ))}
      </head>
      <body class={hasNav ? 'with-nav' : undefined}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <a class="brand" href="/">
            <img src="/favicon.svg" alt="" width={24} height={24} />
            Plinth
          </a>
          {shell.business && <BusinessSwitcher shell={shell} />}
          {shell.signedIn ? (
            <div class="topbar-end">
              <a href="/account">Account</a>
              <SignOut csrfToken={shell.csrfToken} />
            </div>
          ) : (
            <div class="topbar-end">
              <a href="/sign-in">Sign in</a>
            </div>
          )}
        </header>
        <div class="frame">
          {hasNav && <AppNav shell={shell} />}
          <main id="main">
            <PageBanners />
            <div class="page-header">
              <Breadcrumbs shell={shell} title={title} trail={breadcrumbs ?? []} />
              {action && (
                <a class="button" href={action.href}>
                  {action.label}
                </a>
              )}
            </div>
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}
