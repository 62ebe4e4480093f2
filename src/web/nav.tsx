import { currentItem, type Shell } from './shell.ts';

export interface Crumb {
  label: string;
  href: string;
}

const DASHBOARD: Crumb = { label: 'Dashboard', href: '/dashboard' };

/**
 * The grouped navigation. A <details> so that narrow screens open it as a menu without script;
 * on wide screens the stylesheet shows its content always and hides the summary.
 */
export function AppNav({ shell }: { shell: Shell }) {
  const current = currentItem(shell)?.item.href ?? (shell.path === DASHBOARD.href ? DASHBOARD.href : undefined);
  const link = (item: Crumb) => (
    <a href={item.href} aria-current={item.href === current ? 'page' : undefined}>
      {item.label}
    </a>
  );
  return (
    <details class="app-nav">
      <summary>Menu</summary>
      <nav aria-label="Main">
        {shell.business && <p class="nav-home">{link({ label: shell.console ? 'Console' : 'Dashboard', href: DASHBOARD.href })}</p>}
        {shell.sections.map((section) => (
          <section key={section.group} aria-labelledby={`nav-${section.group}`}>
            <h2 id={`nav-${section.group}`}>{section.label}</h2>
            <ul>
              {section.items.map((item) => (
                <li key={item.href}>{link(item)}</li>
              ))}
            </ul>
          </section>
        ))}
      </nav>
    </details>
  );
}

/**
 * The business worked in, and for members of several businesses a menu of the others: each a
 * button of one form, so switching needs no script (POST /account/tenant rotates the session).
 */
export function BusinessSwitcher({ shell }: { shell: Shell }) {
  const business = shell.business;
  if (!business) return null;
  const others = shell.businesses.filter((candidate) => candidate.slug !== business.slug);
  if (others.length === 0) return <span class="business">{business.name}</span>;
  return (
    <details class="business switcher">
      <summary>
        <span class="visually-hidden">Working in </span>
        {business.name}
      </summary>
      <form method="post" action="/account/tenant" class="menu">
        <input type="hidden" name="_csrf" value={shell.csrfToken} />
        <p class="muted">Switch to</p>
        {others.map((candidate) => (
          <button key={candidate.slug} type="submit" name="tenant" value={candidate.slug}>
            {candidate.name}
          </button>
        ))}
      </form>
    </details>
  );
}

/** Dashboard › group › section › … › this page; nothing outside a business and on the dashboard itself. */
export function Breadcrumbs({ shell, title, trail }: { shell: Shell; title: string; trail: readonly Crumb[] }) {
  if (!shell.business || shell.path === DASHBOARD.href) return <span />;
  const current = currentItem(shell);
  const crumbs: (Crumb | { label: string })[] = [{ ...DASHBOARD, label: shell.console ? 'Console' : DASHBOARD.label }];
  if (current) {
    crumbs.push({ label: current.section.label });
    if (current.item.href !== shell.path) crumbs.push(current.item);
  }
  crumbs.push(...trail, { label: title });
  return (
    <nav aria-label="Breadcrumb" class="breadcrumbs">
      <ol>
        {crumbs.map((crumb, index) => (
          <li key={index}>
            {index === crumbs.length - 1 ? (
              <span aria-current="page">{crumb.label}</span>
            ) : 'href' in crumb ? (
              <a href={crumb.href}>{crumb.label}</a>
            ) : (
              <span>{crumb.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
