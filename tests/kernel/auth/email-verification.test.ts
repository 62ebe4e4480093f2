import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { getUser, issueOneTimeToken } from '../../../src/kernel/identity/index.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { hasTag, pageText, textById } from '../../support/html.ts';
import { Browser, FORM, newPerson } from './account-support.ts';
import { auditActions, linkIn, mailsTo } from './mail-support.ts';

describe('email verification', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const verifiedAt = async (userId: string) => (await getUser(t.database.db, userId))?.emailVerifiedAt ?? null;

  test('account page → email → link page → confirm: the address is verified, audited, and the link is spent', async () => {
    const person = await newPerson(t);
    const browser = await Browser.open(t, person.userId, null);
    const account = await browser.get('/account');
    assert.equal(textById(account.body, 'email-status'), 'not confirmed yet');
    assert.ok(hasTag(account.body, 'form', { method: 'post', action: '/account/verify-email' }));

    const sent = await browser.post('/account/verify-email');
    assert.equal(sent.statusCode, 303, sent.body);
    assert.equal(sent.headers.location, '/account?done=verification-sent');
    const link = await linkIn(t, person.email, 'auth.verify_email');
    assert.equal(link.origin, `http://${t.config.host}:${t.config.port}`);
    assert.match(link.pathname, /^\/verify-email\/[A-Za-z0-9_-]{43}$/);

    // Opening the link (as a mail scanner would) spends nothing: it asks.
    const page = await t.app.inject({ method: 'GET', url: link.pathname });
    assert.equal(page.statusCode, 200, page.body);
    assert.match(pageText(page.body), new RegExp(`Confirm that ${person.email.replace('.', '\\.')} is your address`));
    assert.equal(await verifiedAt(person.userId), null);

    const confirmed = await browser.post(link.pathname);
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.match(pageText(confirmed.body), /your email address is confirmed/);
    assert.ok(await verifiedAt(person.userId));
    assert.deepEqual(await auditActions(t, person.userId), ['auth.email_verification.sent', 'auth.email.verified']);

    const after = await browser.get('/account');
    assert.equal(textById(after.body, 'email-status'), 'confirmed');
    assert.ok(!hasTag(after.body, 'form', { method: 'post', action: '/account/verify-email' }), 'no button once confirmed');
    assert.equal((await t.app.inject({ method: 'GET', url: link.pathname })).statusCode, 404, 'the link is spent');
    assert.equal((await browser.post(link.pathname)).statusCode, 404);

    // Asking again once verified sends nothing.
    const again = await browser.post('/account/verify-email');
    assert.equal(again.headers.location, '/account?done=verified');
    assert.equal((await mailsTo(t, person.email, 'auth.verify_email')).length, 1);
  });

  test('an expired link is refused and verifies nothing', async () => {
    const person = await newPerson(t);
    const { token } = await issueOneTimeToken(t.database.db, { userId: person.userId, purpose: 'email_verification' }, { now: new Date(Date.now() - 3 * 86_400_000) });
    const page = await t.app.inject({ method: 'GET', url: `/verify-email/${token}` });
    assert.equal(page.statusCode, 404);
    assert.match(pageText(page.body), /expired or was already used/);
    const browser = await t.browserAs(undefined);
    const posted = await t.app.inject({
      method: 'POST',
      url: `/verify-email/${token}`,
      headers: { cookie: browser.cookie, 'content-type': FORM },
      payload: new URLSearchParams({ _csrf: browser.csrfToken }).toString(),
    });
    assert.equal(posted.statusCode, 404);
    assert.equal(await verifiedAt(person.userId), null);
  });

  test('sending is limited per user: the 4th within the hour is refused with 429 on the account page', async () => {
    const person = await newPerson(t);
    const browser = await Browser.open(t, person.userId, null);
    for (let attempt = 1; attempt <= 3; attempt++) assert.equal((await browser.post('/account/verify-email')).statusCode, 303, `attempt ${attempt}`);
    const refused = await browser.post('/account/verify-email');
    assert.equal(refused.statusCode, 429);
    assert.match(pageText(refused.body), /Too many emails/);
    assert.equal((await mailsTo(t, person.email, 'auth.verify_email')).length, 3);
    // Each email cancels the one before: only the newest link works.
    const mails = await mailsTo(t, person.email, 'auth.verify_email');
    const oldest = new URL(String(mails[0]?.data.link)).pathname;
    assert.equal((await t.app.inject({ method: 'GET', url: oldest })).statusCode, 404);
  });

  describe('sign-up through an invitation', () => {
    async function signUp(invitation: { email?: string }, email: string): Promise<string> {
      const created = await t.app.inject({ method: 'POST', url: '/v1/access/invitations', headers: await t.headersFor('tenant-a'), payload: { roles: ['cashier'], ...invitation } });
      assert.equal(created.statusCode, 201, created.body);
      const path = new URL((created.json() as { data: { link: string } }).data.link).pathname;
      const browser = await t.browserAs(undefined);
      const response = await t.app.inject({
        method: 'POST',
        url: path,
        headers: { cookie: browser.cookie, 'content-type': FORM },
        payload: new URLSearchParams({ _csrf: browser.csrfToken, displayName: 'New Person', email, password: 'amber-willow-harbour-7' }).toString(),
      });
      assert.equal(response.statusCode, 303, response.body);
      const { rows } = await t.database.pool.query<{ id: string }>('SELECT id FROM app_user WHERE email = $1', [email]);
      return (rows[0] as { id: string }).id;
    }

    test('an invitation made out to the address proves it (audited)', async () => {
      const email = `invited-${randomBytes(4).toString('hex')}@example.test`;
      const userId = await signUp({ email }, email);
      assert.ok(await verifiedAt(userId));
      assert.deepEqual(await auditActions(t, userId), ['auth.email.verified']);
    });

    test('an open invitation leaves the address unconfirmed', async () => {
      const email = `open-${randomBytes(4).toString('hex')}@example.test`;
      const userId = await signUp({}, email);
      assert.equal(await verifiedAt(userId), null);
    });
  });
});
