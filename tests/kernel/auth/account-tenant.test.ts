import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp, type TestUser } from '../../support/app.ts';
import { findTag, findTags, hasTag, pageText, textById } from '../../support/html.ts';
import { addMember, Browser, cookieFrom, newPerson, sessionWorks } from './account-support.ts';

describe('account overview and tenant switch', () => {
  let t: TestApp;
  let person: TestUser;
  before(async () => {
    t = await startTestApp();
    person = await newPerson(t);
    await addMember(t, t.tenantA.id, person.userId);
    await addMember(t, t.tenantB.id, person.userId);
    await t.ownerOf('other-shop');
  });
  after(() => t.close());

  const activeTenant = async (browser: Browser) => {
    const response = await browser.api('GET', '/v1/me/permissions');
    return (response.json() as { data: { tenantId: string | null } }).data.tenantId;
  };

  test('the overview shows who I am, a plain form to switch business, and links to sessions and security', async () => {
    const browser = await Browser.open(t, person.userId, t.tenantA.id);
    const page = await browser.get('/account');
    assert.equal(page.statusCode, 200);
    assert.equal(textById(page.body, 'account-name'), 'Pat Person');
    assert.equal(textById(page.body, 'account-email'), person.email);
    assert.equal(textById(page.body, 'two-step-status'), 'off');
    assert.equal(findTags(page.body, 'script').length, 0);

    // The page's own form (the top bar carries the shell's business switcher too).
    const main = page.body.slice(page.body.indexOf('<main'));
    const form = findTag(main, 'form', { action: '/account/tenant' });
    assert.equal(form.attributes.method, 'post');
    const formHtml = main.slice(form.index, main.indexOf('</form>', form.index));
    assert.ok(hasTag(formHtml, 'input', { type: 'hidden', name: '_csrf' }), 'the form carries its CSRF field');
    const options = findTags(main, 'option');
    assert.deepEqual(
      options.map((option) => option.attributes.value),
      ['tenant-a', 'tenant-b'],
      'only my businesses, by name',
    );
    assert.ok('selected' in (options[0]?.attributes ?? {}), 'the current one is selected');
    assert.ok(!page.body.includes('other-shop'));
    assert.ok(hasTag(page.body, 'a', { href: '/account/sessions' }));
    assert.ok(hasTag(page.body, 'a', { href: '/account/security' }));
    assert.ok(hasTag(page.body, 'a', { href: '/account' }), 'the header links here');
  });

  test('switching business sets the new tenant and rotates the session: the old cookie dies, the new one works', async () => {
    const browser = await Browser.open(t, person.userId, t.tenantA.id);
    const old = browser.session;
    const response = await browser.post('/account/tenant', { tenant: 'tenant-b' });
    assert.equal(response.statusCode, 303, response.body);
    assert.equal(response.headers.location, '/account?done=tenant');
    const rotated = cookieFrom(response, 'plinth_session');
    assert.ok(rotated && rotated !== old);
    assert.match(String(response.headers['set-cookie']), /HttpOnly/i);
    assert.equal(await sessionWorks(t, old), false);
    assert.equal(await sessionWorks(t, rotated), true);

    const page = await browser.get('/account?done=tenant');
    assert.match(pageText(page.body), /You now work in Tenant B\./);
    assert.ok('selected' in (findTag(page.body, 'option', { value: 'tenant-b' }).attributes));
    assert.equal(await activeTenant(browser), t.tenantB.id);
  });

  test('a business I am not in, or that does not exist, is refused with the same 403 and nothing changes', async () => {
    const browser = await Browser.open(t, person.userId, t.tenantA.id);
    const session = browser.session;
    const notMine = await browser.post('/account/tenant', { tenant: 'other-shop' });
    assert.equal(notMine.statusCode, 403);
    assert.equal(cookieFrom(notMine, 'plinth_session'), undefined);
    assert.match(pageText(notMine.body), /You are not a member of that business\./);
    const missing = await browser.post('/account/tenant', { tenant: 'no-such-shop' });
    assert.equal(missing.statusCode, 403);
    assert.equal(textById(missing.body, 'account-name'), textById(notMine.body, 'account-name'));
    assert.equal(pageText(missing.body).replace(/\s+/g, ' '), pageText(notMine.body).replace(/\s+/g, ' '), 'the same page for both');
    assert.equal(await sessionWorks(t, session), true);
    assert.equal(await activeTenant(browser), t.tenantA.id);
  });

  test('a switch without the CSRF token is refused with 403 and nothing changes', async () => {
    const browser = await Browser.open(t, person.userId, t.tenantA.id);
    const session = browser.session;
    const response = await browser.post('/account/tenant', { tenant: 'tenant-b' }, { csrf: false });
    assert.equal(response.statusCode, 403);
    assert.equal(cookieFrom(response, 'plinth_session'), undefined);
    assert.equal(await sessionWorks(t, session), true);
    assert.equal(await activeTenant(browser), t.tenantA.id);
  });

  test('choosing the business I already work in changes nothing', async () => {
    const browser = await Browser.open(t, person.userId, t.tenantA.id);
    const response = await browser.post('/account/tenant', { tenant: 'tenant-a' });
    assert.equal(response.statusCode, 303);
    assert.equal(cookieFrom(response, 'plinth_session'), undefined);
    assert.equal(await browser.signedIn(), true);
  });

  test('an API token cannot switch: its tenant is fixed when it is issued', async () => {
    const headers = { ...(await t.headersFor('tenant-a')), 'content-type': 'application/x-www-form-urlencoded' };
    const response = await t.app.inject({ method: 'POST', url: '/account/tenant', headers, payload: 'tenant=tenant-b' });
    assert.equal(response.statusCode, 403);
    assert.equal((response.json() as { error: { details: { reason: string } } }).error.details.reason, 'AUTH_SESSION_REQUIRED');
  });

  test('someone in no business sees their account without a switch form', async () => {
    const loner = await newPerson(t);
    const browser = await Browser.open(t, loner.userId, null);
    const page = await browser.get('/account');
    assert.equal(page.statusCode, 200);
    assert.match(pageText(page.body), /You are not a member of any business yet\./);
    assert.equal(hasTag(page.body, 'form', { action: '/account/tenant' }), false);
    assert.equal((await browser.post('/account/tenant', { tenant: 'tenant-a' })).statusCode, 403);
  });

  test('the account page needs a signed-in person', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/account', headers: { accept: 'text/html' } });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/sign-in?next=%2Faccount');
  });
});
