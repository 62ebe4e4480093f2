import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import decodeQR from 'qr/decode.js';
import { startTestApp, type TestApp, type TestUser } from '../../support/app.ts';
import { ownerQuery } from '../../support/catalog.ts';
import { findTag, findTags, hasTag, pageText, textById } from '../../support/html.ts';
import { Browser, cookieFrom, newPerson, sessionWorks, totpCode } from './account-support.ts';

/** Rasterises the page's QR SVG (one path of `M x y h w v1 h-w z` runs) and reads it as a phone would. */
function readQr(html: string): string {
  const svg = findTag(html, 'svg', { role: 'img' });
  const modules = Number(svg.attributes.viewbox?.split(' ')[2]);
  const path = findTags(html, 'path')[0]?.attributes.d ?? '';
  const scale = 4;
  const width = modules * scale;
  const data = new Uint8Array(width * width * 4).fill(255);
  for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let row = Number(y) * scale; row < (Number(y) + 1) * scale; row++)
      for (let col = Number(x) * scale; col < (Number(x) + Number(w)) * scale; col++) data.fill(0, (row * width + col) * 4, (row * width + col) * 4 + 3);
  }
  return decodeQR({ width, height: width, data });
}

const secretOn = (html: string) => (textById(html, 'totp-secret') ?? '').replace(/\s/g, '');
const recoveryCodesOn = (html: string) => [...(textById(html, 'recovery-codes') ?? '').matchAll(/[a-z0-9]{4}(?:-[a-z0-9]{4}){3}/g)].map((match) => match[0]);

async function count(t: TestApp, sql: string, values: unknown[]): Promise<number> {
  const { rows } = await ownerQuery<{ n: number }>(t, sql, values);
  return rows[0]?.n ?? 0;
}

describe('two-step sign-in (TOTP) from the account pages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const tokenSignIn = (user: TestUser, totpCode?: string) =>
    t.app.inject({ method: 'POST', url: '/v1/auth/token', payload: { email: user.email, password: user.password, ...(totpCode ? { totpCode } : {}) } });

  test('set-up end to end: QR and key, wrong code refused, recovery codes once, session rotated, audited, sign-in needs a code', async () => {
    const owner = await t.ownerOf('totp-shop');
    const tenantId = (await ownerQuery<{ id: string }>(t, "SELECT id FROM tenant WHERE slug = 'totp-shop'")).rows[0]?.id;
    const browser = await Browser.open(t, owner.userId, tenantId ?? null);

    const off = await browser.get('/account/security');
    assert.equal(off.statusCode, 200);
    assert.match(textById(off.body, 'two-step-status') ?? '', /is off/);
    assert.ok(hasTag(off.body, 'form', { method: 'post', action: '/account/security/totp' }));
    assert.equal(findTags(off.body, 'script').length, 0);

    const start = await browser.post('/account/security/totp');
    assert.equal(start.statusCode, 200, start.body);
    const secret = secretOn(start.body);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const otpauth = new URL(readQr(start.body));
    assert.equal(otpauth.protocol, 'otpauth:');
    assert.equal(otpauth.searchParams.get('secret'), secret, 'the QR code carries the key shown as text');
    assert.equal(otpauth.searchParams.get('issuer'), 'Plinth');
    assert.ok(decodeURIComponent(otpauth.pathname).includes(owner.email));
    assert.ok(hasTag(start.body, 'form', { method: 'post', action: '/account/security/totp/confirm' }));
    assert.ok(hasTag(start.body, 'input', { name: 'code' }));

    const right = await totpCode(secret);
    const wrong = await browser.post('/account/security/totp/confirm', { code: right === '000000' ? '111111' : '000000' });
    assert.equal(wrong.statusCode, 422);
    assert.match(pageText(wrong.body), /That code is not valid/);
    assert.equal(cookieFrom(wrong, 'plinth_session'), undefined, 'a refused code rotates nothing');
    assert.equal(recoveryCodesOn(wrong.body).length, 0);
    assert.match(textById((await browser.get('/account/security')).body, 'two-step-status') ?? '', /is off/);

    const before = browser.session;
    const done = await browser.post('/account/security/totp/confirm', { code: right });
    assert.equal(done.statusCode, 200, done.body);
    const codes = recoveryCodesOn(done.body);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    assert.match(String(done.headers['cache-control']), /no-store/);
    const rotated = cookieFrom(done, 'plinth_session');
    assert.ok(rotated && rotated !== before, 'a new session cookie');
    assert.equal(await sessionWorks(t, before), false, 'the old session is dead');
    assert.equal(await sessionWorks(t, rotated), true, 'the new one works');

    const recoveryPageCsrf = findTag(done.body, 'input', { name: '_csrf' }).attributes.value ?? '';
    await browser.refreshCsrf();

    const on = await browser.get('/account/security');
    assert.match(textById(on.body, 'two-step-status') ?? '', /is on/);
    for (const code of codes) assert.ok(!on.body.includes(code), 'recovery codes are not shown again');
    const again = await browser.post('/account/security/totp/confirm', { code: await totpCode(secret, 30) });
    assert.equal(again.statusCode, 409, 'replaying the confirmation does not show new codes');
    assert.equal(recoveryCodesOn(again.body).length, 0);

    assert.equal(
      await count(t, "SELECT count(*)::int AS n FROM audit_event WHERE tenant_id = $1 AND action = 'auth.totp.enabled' AND target_id = $2", [tenantId, owner.userId]),
      1,
    );
    const account = await browser.get('/account');
    assert.equal(textById(account.body, 'two-step-status'), 'on');

    const passwordOnly = await tokenSignIn(owner);
    assert.equal(passwordOnly.statusCode, 401);
    assert.equal((passwordOnly.json() as { error: { details: { reason: string } } }).error.details.reason, 'TOTP_REQUIRED');
    const withCode = await tokenSignIn(owner, await totpCode(secret, 30));
    assert.equal(withCode.statusCode, 200, withCode.body);
    const recovery = codes[0] as string;
    assert.equal((await tokenSignIn(owner, recovery)).statusCode, 200, 'a recovery code works in place of an app code');
    assert.equal((await tokenSignIn(owner, recovery)).statusCode, 401, 'once');

    // The recovery page's own form (sign-out in the header) carries a token that fits the new session.
    browser.csrfToken = recoveryPageCsrf;
    const signOut = await browser.post('/sign-out');
    assert.equal(signOut.statusCode, 303, signOut.body);
  });

  test('turning it off needs a current code; without a business the changes are security events', async () => {
    const person = await newPerson(t);
    const browser = await Browser.open(t, person.userId, null);
    const secret = secretOn((await browser.post('/account/security/totp')).body);
    const enabled = await browser.post('/account/security/totp/confirm', { code: await totpCode(secret) });
    assert.equal(enabled.statusCode, 200, enabled.body);
    assert.equal(await count(t, "SELECT count(*)::int AS n FROM security_event WHERE kind = 'totp_enabled' AND details->>'userId' = $1", [person.userId]), 1);
    await browser.refreshCsrf();

    const on = await browser.get('/account/security');
    assert.ok(hasTag(on.body, 'form', { method: 'post', action: '/account/security/totp/disable' }));
    assert.ok(hasTag(on.body, 'input', { name: 'code' }));

    for (const code of ['', '123', 'abcdef']) {
      const refused = await browser.post('/account/security/totp/disable', { code });
      assert.equal(refused.statusCode, 422, `code "${code}"`);
      assert.match(pageText(refused.body), /That code is not valid/);
    }
    assert.equal((await tokenSignIn(person)).statusCode, 401, 'still on');
    assert.equal(
      await count(t, 'SELECT failures AS n FROM identity_lockout WHERE key = $1', [`totp:${person.userId}`]),
      3,
      'refused codes count towards the lock (their record is not rolled back)',
    );

    const before = browser.session;
    const off = await browser.post('/account/security/totp/disable', { code: await totpCode(secret, 30) });
    assert.equal(off.statusCode, 303, off.body);
    assert.equal(off.headers.location, '/account/security?done=off');
    assert.equal(await sessionWorks(t, before), false, 'the session rotated');
    assert.equal(await browser.signedIn(), true);
    const page = await browser.get('/account/security?done=off');
    assert.match(pageText(page.body), /Two-step sign-in is off\./);
    assert.equal(await count(t, "SELECT count(*)::int AS n FROM security_event WHERE kind = 'totp_disabled' AND details->>'userId' = $1", [person.userId]), 1);
    assert.equal((await tokenSignIn(person)).statusCode, 200, 'the password alone signs in again');
  });

  test('forms without the CSRF token are refused; confirming with nothing started is a conflict', async () => {
    const person = await newPerson(t);
    const browser = await Browser.open(t, person.userId, null);
    assert.equal((await browser.post('/account/security/totp', {}, { csrf: false })).statusCode, 403);
    assert.equal((await browser.post('/account/security/totp/confirm', { code: '123456' }, { csrf: false })).statusCode, 403);
    assert.equal((await browser.post('/account/security/totp/disable', { code: '123456' }, { csrf: false })).statusCode, 403);
    const nothing = await browser.post('/account/security/totp/confirm', { code: '123456' });
    assert.equal(nothing.statusCode, 409);
    assert.match(pageText(nothing.body), /No set-up is in progress/);
    const notOn = await browser.post('/account/security/totp/disable', { code: '123456' });
    assert.equal(notOn.statusCode, 409);
  });

  test('the till PIN is set from the security page: a weak one is shown on the form, a good one works at the till check, audited', async () => {
    const owner = await t.ownerOf('pin-shop');
    const tenantId = (await ownerQuery<{ id: string }>(t, "SELECT id FROM tenant WHERE slug = 'pin-shop'")).rows[0]?.id ?? null;
    const browser = await Browser.open(t, owner.userId, tenantId);
    const page = await browser.get('/account/security');
    assert.ok(hasTag(page.body, 'form', { method: 'post', action: '/account/security/pin' }), 'the PIN form is offered in a business');
    const weak = await browser.post('/account/security/pin', { pin: '1234' });
    assert.equal(weak.statusCode, 422);
    assert.match(pageText(weak.body), /too easy to guess/);
    assert.equal(await count(t, "SELECT count(*)::int AS n FROM audit_event WHERE tenant_id = $1 AND action = 'auth.pin.changed'", [tenantId]), 0);
    const set = await browser.post('/account/security/pin', { pin: '582017' });
    assert.equal(set.statusCode, 303, set.body);
    assert.equal(set.headers.location, '/account/security?done=pin');
    assert.equal(await count(t, "SELECT count(*)::int AS n FROM audit_event WHERE tenant_id = $1 AND action = 'auth.pin.changed'", [tenantId]), 1);
    assert.equal(await count(t, 'SELECT count(*)::int AS n FROM identity_staff_pin WHERE tenant_id = $1 AND user_id = $2', [tenantId, owner.userId]), 1);
    const noBusiness = await Browser.open(t, (await newPerson(t)).userId, null);
    assert.ok(!hasTag((await noBusiness.get('/account/security')).body, 'form', { method: 'post', action: '/account/security/pin' }), 'no PIN without a business');
  });

  test('an API token cannot change two-step sign-in', async () => {
    const headers = { ...(await t.headersFor('tenant-a')), 'content-type': 'application/x-www-form-urlencoded' };
    const response = await t.app.inject({ method: 'POST', url: '/account/security/totp', headers, payload: '' });
    assert.equal(response.statusCode, 403);
    assert.equal((response.json() as { error: { details: { reason: string } } }).error.details.reason, 'AUTH_SESSION_REQUIRED');
  });
});
