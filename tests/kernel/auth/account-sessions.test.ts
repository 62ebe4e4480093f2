import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { summariseUserAgent } from '../../../src/kernel/auth/user-agent.ts';
import { startTestApp, type TestApp, type TestUser } from '../../support/app.ts';
import { findTags, hasTag, pageText, textById } from '../../support/html.ts';
import { Browser, FIREFOX_LINUX, SAFARI_IPHONE, sessionWorks } from './account-support.ts';

interface SessionBody {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  device: string;
  current: boolean;
}

describe('my sessions', () => {
  let t: TestApp;
  let owner: TestUser;
  let other: TestUser;
  before(async () => {
    t = await startTestApp();
    owner = await t.ownerOf('tenant-a');
    other = await t.ownerOf('tenant-b');
  });
  after(() => t.close());

  test('the page lists the live sessions, marks this browser, and every button is a CSRF-protected form', async () => {
    const laptop = await Browser.open(t, owner.userId, t.tenantA.id, FIREFOX_LINUX);
    const phone = await Browser.open(t, owner.userId, t.tenantA.id, SAFARI_IPHONE);
    const page = await laptop.get('/account/sessions');
    assert.equal(page.statusCode, 200, page.body);
    assert.match(String(page.headers['content-type']), /text\/html/);

    const laptopRow = textById(page.body, `session-${laptop.sessionId}`) ?? '';
    assert.match(laptopRow, /Firefox on Linux/);
    assert.match(laptopRow, /This browser/);
    assert.match(laptopRow, /203\.0\.113\.7/);
    // On the business's clocks, as people write it: "7 Dec 2026, 14:05" (the test business keeps UTC).
    assert.match(laptopRow, /\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}/);
    const phoneRow = textById(page.body, `session-${phone.sessionId}`) ?? '';
    assert.match(phoneRow, /Safari on iPhone/);
    assert.doesNotMatch(phoneRow, /This browser/);

    // Plain HTML forms: no script needed, each with the CSRF field.
    assert.equal(findTags(page.body, 'script').length, 0);
    const forms = findTags(page.body, 'form').map((form) => form.attributes.action);
    assert.ok(forms.includes(`/account/sessions/${phone.sessionId}/revoke`));
    assert.ok(forms.includes(`/account/sessions/${laptop.sessionId}/revoke`));
    assert.ok(forms.includes('/account/sessions/revoke-others'));
    for (const form of findTags(page.body, 'form')) assert.equal(form.attributes.method, 'post');
    assert.equal(findTags(page.body, 'input').filter((input) => input.attributes.name === '_csrf').length, forms.length);
    assert.ok(hasTag(page.body, 'a', { href: '/account' }), 'the header links to the account');
  });

  test('the API lists the same sessions, with the current one marked', async () => {
    const browser = await Browser.open(t, owner.userId, t.tenantA.id, FIREFOX_LINUX);
    const response = await browser.api('GET', '/v1/me/sessions');
    assert.equal(response.statusCode, 200, response.body);
    const { data } = response.json() as { data: SessionBody[] };
    const mine = data.find((session) => session.id === browser.sessionId);
    assert.ok(mine?.current);
    assert.equal(mine.device, 'Firefox on Linux');
    assert.equal(data.filter((session) => session.current).length, 1);
    assert.ok(data.every((session) => !('tokenHash' in session)));

    const viaToken = await t.app.inject({ method: 'GET', url: '/v1/me/sessions', headers: await t.headersFor('tenant-a') });
    assert.equal(viaToken.statusCode, 200);
    const listed = (viaToken.json() as { data: SessionBody[] }).data;
    assert.ok(listed.some((session) => session.id === browser.sessionId));
    assert.ok(listed.every((session) => !session.current), 'a bearer request has no current browser session');
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/me/sessions' })).statusCode, 401);
  });

  test('revoking my other session ends it: its cookie no longer works', async () => {
    const laptop = await Browser.open(t, owner.userId, t.tenantA.id);
    const phone = await Browser.open(t, owner.userId, t.tenantA.id);
    const response = await laptop.post(`/account/sessions/${phone.sessionId}/revoke`);
    assert.equal(response.statusCode, 303, response.body);
    assert.equal(response.headers.location, '/account/sessions?done=revoked');
    assert.equal(await phone.signedIn(), false);
    assert.equal(await laptop.signedIn(), true);
    const page = await laptop.get('/account/sessions?done=revoked');
    assert.match(pageText(page.body), /That browser is signed out\./);
    assert.equal(textById(page.body, `session-${phone.sessionId}`), undefined);
  });

  test("revoking someone else's session is 404, like a missing one, and it stays alive", async () => {
    const mine = await Browser.open(t, owner.userId, t.tenantA.id);
    const theirs = await Browser.open(t, other.userId, t.tenantB.id);
    const page = await mine.post(`/account/sessions/${theirs.sessionId}/revoke`);
    assert.equal(page.statusCode, 404);
    const missing = await mine.post('/account/sessions/00000000-0000-4000-8000-000000000000/revoke');
    assert.equal(missing.statusCode, 404);
    assert.equal(pageText(page.body), pageText(missing.body), 'the same page for both');

    const api = await mine.api('DELETE', `/v1/me/sessions/${theirs.sessionId}`);
    assert.equal(api.statusCode, 404, api.body);
    assert.equal((api.json() as { error: { code: string } }).error.code, 'NOT_FOUND');
    const viaToken = await t.app.inject({ method: 'DELETE', url: `/v1/me/sessions/${theirs.sessionId}`, headers: await t.headersFor('tenant-a') });
    assert.equal(viaToken.statusCode, 404);
    assert.equal(await theirs.signedIn(), true);
  });

  test('the API ends my own session with 204; a second try is 404', async () => {
    const laptop = await Browser.open(t, owner.userId, t.tenantA.id);
    const phone = await Browser.open(t, owner.userId, t.tenantA.id);
    const first = await laptop.api('DELETE', `/v1/me/sessions/${phone.sessionId}`);
    assert.equal(first.statusCode, 204, first.body);
    assert.equal(await phone.signedIn(), false);
    assert.equal((await laptop.api('DELETE', `/v1/me/sessions/${phone.sessionId}`)).statusCode, 404);
    const notUuid = await laptop.api('DELETE', '/v1/me/sessions/not-a-uuid');
    assert.equal(notUuid.statusCode, 400);
  });

  test('signing out everywhere else keeps this browser and ends all the others', async () => {
    const here = await Browser.open(t, owner.userId, t.tenantA.id);
    const elsewhere = [await Browser.open(t, owner.userId, t.tenantA.id), await Browser.open(t, owner.userId, null)];
    const theirs = await Browser.open(t, other.userId, t.tenantB.id);
    const response = await here.post('/account/sessions/revoke-others');
    assert.equal(response.statusCode, 303, response.body);
    assert.equal(response.headers.location, '/account/sessions?done=others');
    assert.equal(await here.signedIn(), true);
    for (const browser of elsewhere) assert.equal(await browser.signedIn(), false);
    assert.equal(await theirs.signedIn(), true, "another user's sessions are untouched");
    const { data } = (await here.api('GET', '/v1/me/sessions')).json() as { data: SessionBody[] };
    assert.deepEqual(
      data.map((session) => session.id),
      [here.sessionId],
    );
    const page = await here.get('/account/sessions');
    assert.equal(hasTag(page.body, 'form', { action: '/account/sessions/revoke-others' }), false, 'nothing else to sign out of');
  });

  test('revoking this browser from the list signs it out', async () => {
    const browser = await Browser.open(t, owner.userId, t.tenantA.id);
    const response = await browser.post(`/account/sessions/${browser.sessionId}/revoke`);
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/sign-in');
    assert.equal(await browser.signedIn(), false);
  });

  test('forms posted without the CSRF token are refused with 403 and change nothing', async () => {
    const laptop = await Browser.open(t, owner.userId, t.tenantA.id);
    const phone = await Browser.open(t, owner.userId, t.tenantA.id);
    const one = await laptop.post(`/account/sessions/${phone.sessionId}/revoke`, {}, { csrf: false });
    assert.equal(one.statusCode, 403);
    const all = await laptop.post('/account/sessions/revoke-others', {}, { csrf: false });
    assert.equal(all.statusCode, 403);
    const api = await t.app.inject({ method: 'DELETE', url: `/v1/me/sessions/${phone.sessionId}`, headers: { cookie: laptop.cookie } });
    assert.equal(api.statusCode, 403);
    assert.equal(await phone.signedIn(), true);
  });

  test('the sessions page and API need a signed-in person', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/account/sessions', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/sign-in?next=%2Faccount%2Fsessions');
    const old = await Browser.open(t, owner.userId, t.tenantA.id);
    const dead = old.session;
    await old.post(`/account/sessions/${old.sessionId}/revoke`);
    assert.equal(await sessionWorks(t, dead), false);
  });
});

describe('user agent summary', () => {
  test('names browser and system for common agents, and never returns an empty string', () => {
    assert.equal(summariseUserAgent(FIREFOX_LINUX), 'Firefox on Linux');
    assert.equal(summariseUserAgent(SAFARI_IPHONE), 'Safari on iPhone');
    assert.equal(
      summariseUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0'),
      'Edge on Windows',
    );
    assert.equal(
      summariseUserAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36'),
      'Chrome on Android',
    );
    assert.equal(summariseUserAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'), 'Safari on macOS');
    assert.equal(summariseUserAgent('curl/8.5.0'), 'curl');
    assert.equal(summariseUserAgent(null), 'Unknown browser');
    assert.equal(summariseUserAgent('x'.repeat(100)), `${'x'.repeat(40)}…`);
  });
});
