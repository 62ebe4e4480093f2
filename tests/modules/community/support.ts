import { randomBytes } from 'node:crypto';
import type { ServiceContext } from '../../../src/kernel/context.ts';
import { declaredPermissions } from '../../../src/kernel/module/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import type { Tenant } from '../../../src/kernel/tenancy/index.ts';
import { planEditions } from '../../../src/editions/compose.ts';
import { mutualaidEdition } from '../../../src/editions/mutualaid.ts';
import { approveSignIn, bootstrapAdmin, createInvite, type InviteInput } from '../../../src/modules/community/index.ts';
import { cookieFrom, type TestApp } from '../../support/app.ts';

export const unique = () => randomBytes(4).toString('hex');
const log = createLogger('silent');

export interface Community {
  tenant: Tenant;
  admin: { userId: string; email: string; password: string };
}

/** A community (a tenant of the mutualaid edition) with its first administrator, bootstrapped as `plinth mutualaid create-admin` does. */
export async function newCommunity(t: TestApp, slug = `community-${unique()}`): Promise<Community> {
  const email = `admin-${unique()}@${slug}.example`;
  const outcome = await bootstrapAdmin(t.app.db, {
    slug,
    communityName: `Community ${slug}`,
    email,
    displayName: 'First admin',
    username: `admin_${unique()}`,
    templates: mutualaidEdition.roleTemplates,
    declared: declaredPermissions(planEditions({ editions: undefined }).modules),
  });
  return { tenant: outcome.tenant, admin: { userId: outcome.userId, email, password: outcome.password as string } };
}

export const systemCtx = (t: TestApp, tenantId: string): ServiceContext => ({ db: t.app.db, tenantId, actor: { kind: 'system', process: 'test' }, requestId: `test-${unique()}`, log });
export const userCtx = (t: TestApp, tenantId: string, userId: string): ServiceContext => ({ ...systemCtx(t, tenantId), actor: { kind: 'user', userId, sessionId: 'test' } });

/** An invite of `inviterUserId` (the admin by default); answers its link's path. */
export async function inviteLink(t: TestApp, community: Community, input: Partial<InviteInput> = {}): Promise<string> {
  const created = await createInvite(userCtx(t, community.tenant.id, community.admin.userId), community.tenant.slug, { mode: 'join', maxUses: 1, expiresInDays: 7, ...input });
  return created.path;
}

/** A browser: its cookies and the CSRF token of the last page it read. */
export interface Browser {
  cookie: string;
  csrf: string;
}

function merge(cookie: string, response: { headers: { 'set-cookie'?: string | string[] | undefined } }): string {
  const jar = new Map(cookie.split('; ').filter(Boolean).map((pair) => [pair.split('=')[0] as string, pair]));
  for (const name of ['plinth_session', 'plinth_csrf']) {
    const set = cookieFrom(response, name);
    if (set) jar.set(name, set);
  }
  return [...jar.values()].join('; ');
}

/** Reads a page as the browser (keeping cookies and the page's CSRF token). */
export async function visit(t: TestApp, browser: Browser, url: string) {
  const response = await t.app.inject({ method: 'GET', url, headers: { cookie: browser.cookie, accept: 'text/html' } });
  browser.cookie = merge(browser.cookie, response);
  browser.csrf = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? browser.csrf;
  return response;
}

/** Posts a form as the browser, with the CSRF token of the page it last read. */
export async function submit(t: TestApp, browser: Browser, url: string, fields: Record<string, string> = {}) {
  const response = await t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: browser.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...fields, _csrf: browser.csrf }).toString(),
  });
  browser.cookie = merge(browser.cookie, response);
  return response;
}

export async function freshBrowser(t: TestApp, page = '/sign-in'): Promise<Browser> {
  const browser = { cookie: '', csrf: '' };
  await visit(t, browser, page);
  return browser;
}

/** Signs in at the kernel's /sign-in page; in a community the sign-in starts half-authenticated. */
export async function signInAs(t: TestApp, email: string, password: string): Promise<Browser> {
  const browser = await freshBrowser(t);
  const response = await submit(t, browser, '/sign-in', { email, password });
  if (response.statusCode !== 303) throw new Error(`sign-in answered ${response.statusCode}`);
  await visit(t, browser, '/requests');
  return browser;
}

/** Registers a newcomer from an invite link; answers the browser (signed in) and the answer. */
export async function register(t: TestApp, link: string, who: { username?: string; email?: string } = {}) {
  // The CSRF token of a signed-out browser (a used-up invite's page has no form to take it from).
  const browser = await freshBrowser(t);
  const tag = unique();
  const email = who.email ?? `newcomer-${tag}@example.org`;
  const password = `pw-${tag}-correct-horse`;
  const response = await submit(t, browser, link, { displayName: `Newcomer ${tag}`, username: who.username ?? `new_${tag}`, email, password });
  return { browser, response, email, password };
}

/** The pending credentials of a person in a community, newest first. */
export async function pendingCredentials(t: TestApp, tenantId: string, userId: string): Promise<string[]> {
  const { rows } = await t.database.pool.query<{ id: string }>(
    "SELECT id FROM community_credential WHERE tenant_id = $1 AND user_id = $2 AND state = 'pending' ORDER BY created_at DESC",
    [tenantId, userId],
  );
  return rows.map((row) => row.id);
}

/** Trusts the person's pending sign-ins as the CLI would. */
export async function approveAll(t: TestApp, tenantId: string, userId: string): Promise<void> {
  for (const id of await pendingCredentials(t, tenantId, userId)) await approveSignIn(systemCtx(t, tenantId), id, { via: 'cli', from: 'cli@test' });
}

/** A verified administrator's browser. */
export async function adminBrowser(t: TestApp, community: Community): Promise<Browser> {
  const browser = await signInAs(t, community.admin.email, community.admin.password);
  await approveAll(t, community.tenant.id, community.admin.userId);
  return browser;
}

export async function userIdOf(t: TestApp, email: string): Promise<string> {
  const { rows } = await t.database.pool.query<{ id: string }>('SELECT id FROM app_user WHERE lower(email) = lower($1)', [email]);
  return (rows[0] as { id: string }).id;
}

/** The newest code emailed to the address, read from the notification outbox. */
export async function lastCodeSentTo(t: TestApp, email: string): Promise<string> {
  const { rows } = await t.database.pool.query<{ data: { code: string } }>(
    "SELECT data FROM notify_delivery WHERE recipient = lower($1) AND template = 'community.sign_in_code' ORDER BY created_at DESC LIMIT 1",
    [email],
  );
  return (rows[0] as { data: { code: string } }).data.code;
}

/** The visible text of the main navigation. */
/** The main navigation's items, in order (its list items: the Dashboard link everyone has stands apart). */
export const navOf = (html: string): string[] => [...(/<nav aria-label="Main">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '').matchAll(/<li><a [^>]*>([^<]*)<\/a>/g)].map((match) => match[1] as string);
