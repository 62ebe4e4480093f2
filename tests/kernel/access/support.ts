import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { putMember } from '../../../src/kernel/access/index.ts';
import { createSession, createUser, deriveIdentityKeys, issueTokenPair, type User } from '../../../src/kernel/identity/index.ts';
import { withTenantTx, type Tenant } from '../../../src/kernel/tenancy/index.ts';
import { cookieFrom, type TestApp, type TestBrowser } from '../../support/app.ts';
import { ownerQuery } from '../../support/catalog.ts';

export const FORM = 'application/x-www-form-urlencoded';

export type FormFields = Record<string, string | string[]>;

/** A urlencoded body the way a browser sends it: a repeated field once per value. */
export function encodeForm(fields: FormFields): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) params.append(key, item);
  return params.toString();
}

/** A new person made a member of `tenant` with these roles (by key). */
export async function addMember(t: TestApp, tenant: Tenant, roleKeys: string[], name = 'Member'): Promise<User> {
  const tag = randomBytes(4).toString('hex');
  const user = await createUser(t.database.db, { email: `${name.toLowerCase().replace(/\W+/g, '-')}-${tag}@example.test`, displayName: `${name} ${tag}` });
  await withTenantTx({ db: t.database.db, tenantId: tenant.id }, (uow) => putMember(uow.tx, tenant.id, user.id, roleKeys));
  return user;
}

/** A browser signed in as `userId`, working in `tenant`: its cookies and the CSRF token its forms carry. */
export async function browserOf(t: TestApp, userId: string, tenant: Tenant): Promise<TestBrowser & { session: string }> {
  const { token } = await createSession(t.database.db, { userId, activeTenantId: tenant.id });
  const session = `plinth_session=${token}`;
  const account = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: session } });
  const csrfCookie = cookieFrom(account, 'plinth_csrf');
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(account.body)?.[1];
  assert.ok(csrfCookie && csrfToken, 'the account page hands out a CSRF token');
  return { session, cookie: `${session}; ${csrfCookie}`, csrfToken };
}

/** API tokens of `userId` in `tenant`: the bearer header and the refresh token. */
export async function tokensOf(t: TestApp, userId: string, tenant: Tenant): Promise<{ headers: Record<string, string>; refreshToken: string }> {
  const pair = await issueTokenPair(t.database.db, deriveIdentityKeys(t.rootSecret), { userId, tenantId: tenant.id });
  return { headers: { authorization: `Bearer ${pair.accessToken}` }, refreshToken: pair.refreshToken };
}

/** Posts a form from `browser`, with its CSRF token unless `csrf` is false. */
export function submitForm(t: TestApp, browser: TestBrowser, url: string, fields: FormFields = {}, csrf = true): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': FORM, accept: 'text/html', cookie: browser.cookie },
    payload: encodeForm(csrf ? { ...fields, _csrf: browser.csrfToken } : fields),
  });
}

/** A page as `browser` sees it (HTML errors, like a person browsing). */
export function pageOf(t: TestApp, browser: Pick<TestBrowser, 'cookie'>, url: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url, headers: { accept: 'text/html', cookie: browser.cookie } });
}

export function assertHtml(response: LightMyRequestResponse, status: number): string {
  assert.equal(response.statusCode, status, response.body.slice(0, 2000));
  assert.match(String(response.headers['content-type']), /^text\/html/);
  return response.body;
}

export function assertSeeOther(response: LightMyRequestResponse): string {
  assert.equal(response.statusCode, 303, response.body.slice(0, 2000));
  return String(response.headers.location);
}

/** The member's role keys in the tenant, straight from the database. */
export async function roleKeysOf(t: TestApp, tenant: Tenant, userId: string): Promise<string[]> {
  const { rows } = await ownerQuery<{ key: string }>(
    t,
    `SELECT r.key FROM tenant_member_role m JOIN access_role r ON r.tenant_id = m.tenant_id AND r.id = m.role_id
      WHERE m.tenant_id = $1 AND m.user_id = $2 ORDER BY r.key`,
    [tenant.id, userId],
  );
  return rows.map((row) => row.key);
}

export async function tokenVersionOf(t: TestApp, userId: string): Promise<number> {
  const { rows } = await ownerQuery<{ token_version: number }>(t, 'SELECT token_version FROM app_user WHERE id = $1', [userId]);
  return rows[0]?.token_version ?? -1;
}

/** Whether a session cookie still opens an API call that needs only a tenant member (401 once it is dead). */
export async function sessionWorks(t: TestApp, session: string): Promise<boolean> {
  const response = await t.app.inject({ method: 'GET', url: '/v1/me/permissions', headers: { cookie: session } });
  return response.statusCode === 200;
}
