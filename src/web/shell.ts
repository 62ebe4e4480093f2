import type { FastifyReply, FastifyRequest } from 'fastify';
import { createContext } from 'preact';
import { userMemberships } from '../kernel/access/index.ts';
import { NAV_GROUPS, type NavGroup } from '../kernel/module/index.ts';
import { PLATFORM_TENANT_ID } from '../kernel/tenancy/index.ts';
import '../kernel/http/context.ts';
import { csrfTokenOf } from './chrome.ts';

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

/** In the platform's tenant only the console and its own team and settings; elsewhere never the console. */
const CONSOLE_GROUPS: ReadonlySet<NavGroup> = new Set(['platform', 'people', 'settings']);

export const SIGNED_OUT_SHELL: Shell = { signedIn: false, business: null, businesses: [], console: false, sections: [], path: '/', csrfToken: '' };

/** The shell of the page being rendered; sendPage and the error pages provide it. */
export const ShellContext = createContext<Shell>(SIGNED_OUT_SHELL);

/**
 * The shell for a request: navigation grouped as the manifests place it, of the modules the
 * business may use and the items the member's permissions allow, and the businesses to switch to.
 */
export async function loadShell(request: FastifyRequest, reply: FastifyReply): Promise<Shell> {
  const csrfToken = csrfTokenOf(request, reply);
  const path = request.url.split('?')[0] ?? '/';
  const auth = request.auth;
  if (!auth) return { ...SIGNED_OUT_SHELL, path, csrfToken };
  const { tenant, permissions, entitledModules } = await request.server.pageAuthorization(request);
  const isConsole = tenant?.id === PLATFORM_TENANT_ID;
  const visible = request.server.navigation.filter(
    (item) =>
      permissions.has(item.permission) &&
      (!item.module || entitledModules.has(item.module)) &&
      (isConsole ? CONSOLE_GROUPS.has(item.group) : item.group !== 'platform'),
  );
  const sections = NAV_GROUPS.map((group) => ({ group, label: GROUP_LABELS[group], items: visible.filter((item) => item.group === group).map(({ label, href }) => ({ label, href })) })).filter(
    (section) => section.items.length > 0,
  );
  const businesses = auth.userId ? (await userMemberships(request.server.db, auth.userId)).map(({ name, slug }) => ({ name, slug })) : [];
  return { signedIn: true, business: tenant ? { name: tenant.name, slug: tenant.slug } : null, businesses, console: isConsole, sections, path, csrfToken };
}

/** The navigation item a path belongs to: the one whose address is its longest prefix. */
export function currentItem(shell: Shell): { section: NavSection; item: NavLink } | undefined {
  let best: { section: NavSection; item: NavLink } | undefined;
  for (const section of shell.sections)
    for (const item of section.items)
      if ((shell.path === item.href || shell.path.startsWith(`${item.href}/`)) && item.href.length > (best?.item.href.length ?? 0)) best = { section, item };
  return best;
}
