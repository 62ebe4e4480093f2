import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { issueOneTimeToken, issueTokenPair, deriveIdentityKeys, lockoutKey, recordFailure, DEFAULT_ACCOUNT_LOCKOUT, setUserStatus } from '../../../src/kernel/identity/index.ts';
import { cookieFrom, startTestApp, type TestApp, type TestUser } from '../../support/app.ts';
import { hasTag, pageText } from '../../support/html.ts';
import { Browser, FORM, newPerson } from './account-support.ts';
import { auditActions, linkIn, mailsTo } from './mail-support.ts';
import { lockWaiters } from '../../support/wait.ts';

const NEW_PASSWORD = 'copper-meadow-lantern-41';

describe('password reset', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const requestReset = (email: string) => t.app.inject({ method: 'POST', url: '/v1/auth/password-reset', payload: { email } });
  const confirm = (token: string, password: string) => t.app.inject({ method: 'POST', url: '/v1/auth/password-reset/confirm', payload: { token, password } });
  const tokenFor = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { email, password } });

  /** A signed-out browser's form post: CSRF cookie and token from a page first, as a browser has them. */
  async function postForm(url: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
    const browser = await t.browserAs(undefined);
    return t.app.inject({ method: 'POST', url, headers: { cookie: browser.cookie, 'content-type': FORM, accept: 'text/html' }, payload: new URLSearchParams({ _csrf: browser.csrfToken, ...fields }).toString() });
  }

  /** Asks for a reset of `person` and answers the token from the emailed link. */
  async function resetToken(person: TestUser): Promise<string> {
    const response = await requestReset(person.email);
    assert.equal(response.statusCode, 202, response.body);
    return (await linkIn(t, person.email, 'auth.password_reset')).pathname.split('/').at(-1) as string;
  }

  test('known and unknown addresses get the same answer; only the account gets an email', async () => {
    const person = await newPerson(t);
    const unknown = `nobody-${randomBytes(4).toString('hex')}@example.test`;
    const known = await requestReset(person.email.toUpperCase());
    const stranger = await requestReset(unknown);
    assert.equal(known.statusCode, 202, known.body);
    assert.equal(stranger.statusCode, known.statusCode);
    assert.equal(stranger.body, known.body);
    assert.match(known.body, /If an account uses that address/);
    assert.equal((await mailsTo(t, person.email, 'auth.password_reset')).length, 1);
    assert.equal((await mailsTo(t, unknown, 'auth.password_reset')).length, 0);
    assert.deepEqual(await auditActions(t, person.userId), ['auth.password_reset.requested']);

    // The page answers alike too: the same redirect, to the same neutral notice.
    const knownForm = await postForm('/forgot-password', { email: person.email });
    const strangerForm = await postForm('/forgot-password', { email: unknown });
    assert.equal(knownForm.statusCode, 303, knownForm.body);
    assert.equal(strangerForm.statusCode, 303);
    assert.equal(strangerForm.headers.location, knownForm.headers.location);
    const notice = await t.app.inject({ method: 'GET', url: String(knownForm.headers.location) });
    assert.match(pageText(notice.body), /If an account uses that address/);
  });

  test('a disabled account is answered alike and mailed nothing', async () => {
    const person = await newPerson(t);
    await setUserStatus(t.database.db, person.userId, 'disabled');
    const response = await requestReset(person.email);
    assert.equal(response.statusCode, 202);
    assert.equal((await mailsTo(t, person.email, 'auth.password_reset')).length, 0);
  });

  test('the emailed link opens the form; the new password works once and the old one no longer', async () => {
    const person = await newPerson(t);
    assert.equal((await requestReset(person.email)).statusCode, 202);
    const link = await linkIn(t, person.email, 'auth.password_reset');
    // The configured app URL (no PUBLIC_URL in tests: where the server listens), never the request's Host.
    assert.equal(link.origin, `http://${t.config.host}:${t.config.port}`);
    assert.match(link.pathname, /^\/reset-password\/[A-Za-z0-9_-]{43}$/);

    const form = await t.app.inject({ method: 'GET', url: link.pathname });
    assert.equal(form.statusCode, 200, form.body);
    assert.ok(hasTag(form.body, 'form', { method: 'post', action: link.pathname }));
    assert.ok(hasTag(form.body, 'input', { name: '_csrf' }), 'the form carries a CSRF token');

    const done = await postForm(link.pathname, { password: NEW_PASSWORD });
    assert.equal(done.statusCode, 303, done.body);
    assert.equal(done.headers.location, '/sign-in?done=reset');
    assert.equal((await tokenFor(person.email, NEW_PASSWORD)).statusCode, 200);
    assert.equal((await tokenFor(person.email, person.password)).statusCode, 401);

    // Spent: the page says so, and a second submit changes nothing.
    const again = await t.app.inject({ method: 'GET', url: link.pathname });
    assert.equal(again.statusCode, 404);
    assert.match(pageText(again.body), /Link expired or used/);
    const second = await postForm(link.pathname, { password: 'another-fine-password-9' });
    assert.equal(second.statusCode, 404);
    assert.equal((await tokenFor(person.email, 'another-fine-password-9')).statusCode, 401);

    // The "your password was changed" email, and the audit trail of request and completion.
    assert.equal((await mailsTo(t, person.email, 'auth.password_changed')).length, 1);
    assert.deepEqual(await auditActions(t, person.userId), ['auth.password_reset.requested', 'auth.password_reset.completed']);
    const signIn = await t.app.inject({ method: 'GET', url: '/sign-in?done=reset' });
    assert.match(pageText(signIn.body), /Your password is changed/);
  });

  test('the API twin: a second use of the token is refused', async () => {
    const person = await newPerson(t);
    const token = await resetToken(person);
    const first = await confirm(token, NEW_PASSWORD);
    assert.equal(first.statusCode, 204, first.body);
    const second = await confirm(token, 'another-fine-password-9');
    assert.equal(second.statusCode, 404);
    assert.equal((second.json() as { error: { code: string; details: { reason: string } } }).error.details.reason, 'PASSWORD_RESET_LINK_INVALID');
  });

  test('two parallel submits of one link: exactly one succeeds', async () => {
    const person = await newPerson(t);
    const token = await resetToken(person);
    const passwords = ['parallel-orchid-harbour-1', 'parallel-granite-meadow-2'];
    // Hold the token's row so both submits are really queued on it before either goes on.
    const client = await t.database.pool.connect();
    let answers: LightMyRequestResponse[];
    try {
      await client.query('BEGIN');
      await client.query("SELECT 1 FROM identity_one_time_token WHERE user_id = $1 AND purpose = 'password_reset' FOR UPDATE", [person.userId]);
      const started = passwords.map((password) => confirm(token, password));
      await lockWaiters(t.database.pool, 2);
      await client.query('COMMIT');
      answers = await Promise.all(started);
    } finally {
      client.release();
    }
    assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [204, 404]);
    const winner = passwords[answers.findIndex((answer) => answer.statusCode === 204)] as string;
    const loser = passwords.find((password) => password !== winner) as string;
    assert.equal((await tokenFor(person.email, winner)).statusCode, 200);
    assert.equal((await tokenFor(person.email, loser)).statusCode, 401);
    assert.equal((await mailsTo(t, person.email, 'auth.password_changed')).length, 1);
  });

  test('a reset ends every session, refresh token and access token of the user and lifts the lock', async () => {
    const person = await newPerson(t);
    const browser = await Browser.open(t, person.userId, null);
    const pair = await issueTokenPair(t.database.db, deriveIdentityKeys(t.rootSecret), { userId: person.userId, tenantId: null });
    const bearer = { authorization: `Bearer ${pair.accessToken}` };
    assert.equal(await browser.signedIn(), true);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/me/sessions', headers: bearer })).statusCode, 200);
    for (let failure = 0; failure < DEFAULT_ACCOUNT_LOCKOUT.threshold; failure++) await recordFailure(t.database.db, lockoutKey.user(person.userId), DEFAULT_ACCOUNT_LOCKOUT, new Date());
    assert.equal((await tokenFor(person.email, person.password)).statusCode, 429, 'the account is locked');

    const token = await resetToken(person);
    assert.equal((await confirm(token, NEW_PASSWORD)).statusCode, 204);

    assert.equal(await browser.signedIn(), false, 'the browser session is dead');
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/me/sessions', headers: bearer })).statusCode, 401, 'the access token is dead');
    const refreshed = await t.app.inject({ method: 'POST', url: '/v1/auth/token/refresh', payload: { refreshToken: pair.refreshToken } });
    assert.equal(refreshed.statusCode, 401, 'the refresh token is dead');
    assert.equal((await tokenFor(person.email, NEW_PASSWORD)).statusCode, 200, 'the lock is lifted');
  });

  test('a reset from a signed-in browser signs that browser out too', async () => {
    const person = await newPerson(t);
    const browser = await Browser.open(t, person.userId, null);
    const token = await resetToken(person);
    const done = await browser.post(`/reset-password/${token}`, { password: NEW_PASSWORD });
    assert.equal(done.statusCode, 303, done.body);
    assert.match(String(done.headers['set-cookie']), /plinth_session=;/);
    assert.equal(await browser.signedIn(), false);
  });

  test('an expired link shows the "expired or used" page and sets nothing', async () => {
    const person = await newPerson(t);
    const { token } = await issueOneTimeToken(t.database.db, { userId: person.userId, purpose: 'password_reset' }, { now: new Date(Date.now() - 2 * 3600_000) });
    const page = await t.app.inject({ method: 'GET', url: `/reset-password/${token}` });
    assert.equal(page.statusCode, 404);
    assert.match(pageText(page.body), /expired or was already used/);
    assert.ok(hasTag(page.body, 'a', { href: '/forgot-password' }));
    assert.equal((await confirm(token, NEW_PASSWORD)).statusCode, 404);
    assert.equal((await tokenFor(person.email, person.password)).statusCode, 200);
    // A token that never existed looks the same.
    assert.equal((await t.app.inject({ method: 'GET', url: '/reset-password/not-a-token' })).statusCode, 404);
  });

  test('a weak password is refused with the sign-up policy, and the link stays usable', async () => {
    const person = await newPerson(t);
    const token = await resetToken(person);
    const page = await postForm(`/reset-password/${token}`, { password: 'password123' });
    assert.equal(page.statusCode, 400);
    assert.match(pageText(page.body), /Use at least 12 characters/);
    const api = await confirm(token, 'password1234');
    assert.equal(api.statusCode, 400);
    const body = api.json() as { error: { code: string; details: { field: string; problems: string[] } } };
    assert.equal(body.error.code, 'VALIDATION');
    assert.equal(body.error.details.field, 'password');
    assert.match(body.error.details.problems.join(' '), /too common/);
    assert.equal((await t.app.inject({ method: 'GET', url: `/reset-password/${token}` })).statusCode, 200, 'still usable');
    assert.equal((await tokenFor(person.email, person.password)).statusCode, 200, 'the old password still works');
    assert.equal((await confirm(token, NEW_PASSWORD)).statusCode, 204);
  });

  test('an invalid address is a validation error on both the API and the form', async () => {
    const api = await requestReset('not an address');
    assert.equal(api.statusCode, 400);
    assert.equal((api.json() as { error: { code: string } }).error.code, 'VALIDATION');
    const form = await postForm('/forgot-password', { email: 'not an address' });
    assert.equal(form.statusCode, 400);
    assert.match(pageText(form.body), /Enter a valid email address/);
    // Text the edge refuses (a NUL) never reaches the form's own checks; the error page names the field.
    const nul = await postForm('/forgot-password', { email: 'nul\u0000@example.test' });
    assert.equal(nul.statusCode, 400);
    assert.match(pageText(nul.body), /email must not contain the NUL character/);
  });

  test('mail per address is limited: the 4th request within the hour is RATE_LIMIT, for unknown addresses alike', async () => {
    const person = await newPerson(t);
    const unknown = `nobody-${randomBytes(4).toString('hex')}@example.test`;
    for (const email of [person.email, unknown]) {
      for (let attempt = 1; attempt <= 3; attempt++) assert.equal((await requestReset(email)).statusCode, 202, `attempt ${attempt}`);
      const refused = await requestReset(email);
      assert.equal(refused.statusCode, 429);
      const body = refused.json() as { error: { code: string; details: { reason: string; retryAfterSeconds: number } } };
      assert.equal(body.error.code, 'RATE_LIMIT');
      assert.equal(body.error.details.reason, 'MAIL_RATE_LIMITED');
      assert.ok(body.error.details.retryAfterSeconds > 0);
    }
    assert.equal((await mailsTo(t, person.email, 'auth.password_reset')).length, 3);
    const form = await postForm('/forgot-password', { email: person.email });
    assert.equal(form.statusCode, 429);
    assert.match(pageText(form.body), /Too many emails/);
  });

  test('the sign-in page links to "Forgot your password?"', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
    assert.ok(hasTag(page.body, 'a', { href: '/forgot-password' }));
    const forgot = await t.app.inject({ method: 'GET', url: '/forgot-password' });
    assert.equal(forgot.statusCode, 200);
    assert.ok(hasTag(forgot.body, 'form', { method: 'post', action: '/forgot-password' }));
    assert.ok(cookieFrom(forgot, 'plinth_csrf'), 'the form comes with its CSRF cookie');
  });
});

describe('password reset requests are limited per client IP', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ RATE_LIMIT_AUTH_PER_MIN: '2' });
  });
  after(() => t.close());

  test('past the auth rate class, different addresses from one IP get RATE_LIMIT', async () => {
    const answers = [];
    for (let index = 0; index < 3; index++)
      answers.push(await t.app.inject({ method: 'POST', url: '/v1/auth/password-reset', payload: { email: `ip-${index}-${randomBytes(3).toString('hex')}@example.test` } }));
    assert.deepEqual(answers.map((answer) => answer.statusCode), [202, 202, 429]);
    assert.equal((answers[2]?.json() as { error: { code: string } }).error.code, 'RATE_LIMIT');
  });
});
