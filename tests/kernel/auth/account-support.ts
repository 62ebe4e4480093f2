import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import { putMember } from '../../../src/kernel/access/index.ts';
import { createSession, createUser, DEFAULT_PASSWORD_POLICY, setPassword } from '../../../src/kernel/identity/index.ts';
import { withTenantTx } from '../../../src/kernel/tenancy/index.ts';
import { cookieFrom, type TestApp, type TestUser } from '../../support/app.ts';

export const FORM = 'application/x-www-form-urlencoded';
export const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
export const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

export { cookieFrom };

/** A person with a password and no business yet. */
export async function newPerson(t: TestApp): Promise<TestUser> {
  const email = `person-${randomBytes(4).toString('hex')}@example.test`;
  const password = `test-${randomBytes(12).toString('base64url')}`;
  const user = await createUser(t.database.db, { email, displayName: 'Pat Person' });
  await setPassword(t.database.db, user.id, password, DEFAULT_PASSWORD_POLICY);
  return { userId: user.id, email, password };
}

/** Makes the user an active member of the tenant with these roles. */
export function addMember(t: TestApp, tenantId: string, userId: string, roleKeys: string[] = ['cashier']): Promise<void> {
  return withTenantTx({ db: t.database.db, tenantId }, (uow) => putMember(uow.tx, tenantId, userId, roleKeys));
}

/** The code an authenticator app shows for the secret, `offsetSeconds` from now. */
export const totpCode = (secret: string, offsetSeconds = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });

/** Whether a `plinth_session=…` cookie opens a signed-in page (a dead one is sent to sign in). */
export async function sessionWorks(t: TestApp, sessionCookie: string): Promise<boolean> {
  const response = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: sessionCookie, accept: 'text/html' } });
  if (response.statusCode !== 200 && response.statusCode !== 303) throw new Error(`GET /account answered ${response.statusCode}`);
  return response.statusCode === 200;
}

/**
 * One browser of a person: its session cookie, its CSRF cookie and token, as a browser keeps
 * them. A response that sets a new session cookie (rotation) is taken up, as a browser would.
 */
export class Browser {
  session: string;
  csrfCookie = '';
  csrfToken = '';

  constructor(
    private readonly t: TestApp,
    token: string,
    readonly sessionId: string,
    private readonly userAgent?: string,
  ) {
    this.session = `plinth_session=${token}`;
  }

  static async open(t: TestApp, userId: string, tenantId: string | null, userAgent?: string): Promise<Browser> {
    const { token, session } = await createSession(t.database.db, { userId, activeTenantId: tenantId, ip: '203.0.113.7', userAgent: userAgent ?? null });
    const browser = new Browser(t, token, session.id, userAgent);
    await browser.refreshCsrf();
    return browser;
  }

  get cookie(): string {
    return this.csrfCookie ? `${this.session}; ${this.csrfCookie}` : this.session;
  }

  /** Loads a page to get a CSRF token that fits the current session. */
  async refreshCsrf(): Promise<void> {
    const page = await this.get('/account');
    if (page.statusCode !== 200) throw new Error(`GET /account answered ${page.statusCode}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error('no CSRF token on /account');
    this.csrfToken = token;
  }

  private take(response: LightMyRequestResponse): LightMyRequestResponse {
    const session = cookieFrom(response, 'plinth_session');
    if (session) this.session = session;
    const csrf = cookieFrom(response, 'plinth_csrf');
    if (csrf) this.csrfCookie = csrf;
    return response;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { cookie: this.cookie, accept: 'text/html', ...(this.userAgent ? { 'user-agent': this.userAgent } : {}), ...extra };
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.take(await this.t.app.inject({ method: 'GET', url, headers: this.headers() }));
  }

  /** Posts a form the way the page's form would, with its CSRF field unless `csrf: false`. */
  async post(url: string, fields: Record<string, string> = {}, options: { csrf?: boolean } = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams(options.csrf === false ? fields : { _csrf: this.csrfToken, ...fields });
    return this.take(await this.t.app.inject({ method: 'POST', url, headers: this.headers({ 'content-type': FORM }), payload: body.toString() }));
  }

  /** A JSON API call riding on the session cookie (with the CSRF header for writes). */
  async api(method: 'GET' | 'DELETE', url: string): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { cookie: this.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': this.csrfToken }) };
    return this.take(await this.t.app.inject({ method, url, headers }));
  }

  /** Whether this browser's session cookie still opens a signed-in page. */
  signedIn(): Promise<boolean> {
    return sessionWorks(this.t, this.session);
  }
}
