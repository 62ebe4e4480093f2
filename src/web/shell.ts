// Only what pages render: islands' browser bundles reach this file through layout.tsx (their
// CsrfField), so the server-side loading lives in load-shell.ts.

import { createContext } from 'preact';
import type { NavGroup } from '../kernel/module/index.ts';

export interface NavLink {
  label: string;
  href: string;
}

export interface NavSection {
  group: NavGroup;
  label: string;
  items: NavLink[];
}

/** What the app shell around every page shows for this request's person. */
export interface Shell {
  signedIn: boolean;
  /** The business the person works in now, if any. */
  business: { name: string; slug: string } | null;
  /** Every business the person may switch to (the current one included). */
  businesses: readonly { name: string; slug: string }[];
  /** The platform's own tenant: the console's areas instead of a shop's. */
  console: boolean;
  sections: readonly NavSection[];
  /** The path asked for, to mark the current navigation item and build the breadcrumbs. */
  path: string;
  csrfToken: string;
}

export const GROUP_LABELS: Record<NavGroup, string> = {
  community: 'Community',
  sell: 'Sell',
  catalog: 'Catalog & stock',
  reports: 'Reports',
  people: 'People',
  settings: 'Settings',
  platform: 'Platform',
};

export const SIGNED_OUT_SHELL: Shell = { signedIn: false, business: null, businesses: [], console: false, sections: [], path: '/', csrfToken: '' };

/** The shell of the page being rendered; sendPage and the error pages provide it. */
export const ShellContext = createContext<Shell>(SIGNED_OUT_SHELL);

/** The navigation item a path belongs to: the one whose address is its longest prefix. */
export function currentItem(shell: Shell): { section: NavSection; item: NavLink } | undefined {
  let best: { section: NavSection; item: NavLink } | undefined;
  for (const section of shell.sections)
    for (const item of section.items)
      if ((shell.path === item.href || shell.path.startsWith(`${item.href}/`)) && item.href.length > (best?.item.href.length ?? 0)) best = { section, item };
  return best;
}
