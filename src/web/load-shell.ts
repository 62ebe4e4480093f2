import type { FastifyReply, FastifyRequest } from 'fastify';
import { userMemberships } from '../kernel/access/index.ts';
import { NAV_GROUPS, type NavGroup } from '../kernel/module/index.ts';
import { PLATFORM_TENANT_ID } from '../kernel/tenancy/index.ts';
import '../kernel/http/context.ts';
import { csrfTokenOf } from './chrome.ts';
import { GROUP_LABELS, SIGNED_OUT_SHELL, type Shell } from './shell.ts';

/** In the platform's tenant only the console and its own team and settings; elsewhere never the console. */
const CONSOLE_GROUPS: ReadonlySet<NavGroup> = new Set(['platform', 'people', 'settings']);

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
