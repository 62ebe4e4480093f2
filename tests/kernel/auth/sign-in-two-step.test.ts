import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generate } from 'otplib';
import { provisionTenant } from '../../../src/kernel/access/index.ts';
import { createUser, DEFAULT_PASSWORD_POLICY, setPassword } from '../../../src/kernel/identity/index.ts';
import { declaredPermissions } from '../../../src/kernel/module/index.ts';
import { planEditions } from '../../../src/editions/compose.ts';
import { ONPREM_ROLE_TEMPLATES } from '../../../src/editions/roles.ts';
import { cookieFrom, startTestApp, type TestApp } from '../../support/app.ts';

const FORM = 'application/x-www-form-urlencoded';
const PASSWORD = 'harbour-lantern-quietly-42';

describe('browser sign-in when a role demands two-step sign-in', () => {
  let t: TestApp;
  const email = 'super-admin@onprem-shop.example';
  before(async () => {
    t = await startTestApp();
    const user = await createUser(t.app.db, { email, displayName: 'Super admin of the shop' });
    await setPassword(t.app.db, user.id, PASSWORD, DEFAULT_PASSWORD_POLICY);
    const declared = declaredPermissions(planEditions({ editions: undefined }).modules);
    await provisionTenant(t.app.db, { slug: 'onprem-shop', name: 'Onprem Shop', edition: 'onprem', templates: ONPREM_ROLE_TEMPLATES, declared, ownerUserId: user.id });
  });
  after(() => t.close());

  /** A browser's cookie jar, reduced to what these pages set. */
  const jar = new Map<string, string>();
  const cookies = () => [...jar.entries()].map(([name, value]) => `${name}=${value}`).join('; ');
  const keep = (response: { headers: Record<string, unknown> }) => {
    for (const name of ['plinth_csrf', 'plinth_session', 'plinth_sign_in_pending']) {
      const pair = cookieFrom(response as never, name);
      if (pair) jar.set(name, pair.slice(name.length + 1));
    }
  };
  const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
  async function get(url: string) {
    const response = await t.app.inject({ method: 'GET', url, headers: { cookie: cookies(), accept: 'text/html' } });
    keep(response);
    return response;
  }
  async function post(url: string, page: string, fields: Record<string, string>) {
    const response = await t.app.inject({ method: 'POST', url, headers: { 'content-type': FORM, cookie: cookies() }, payload: new URLSearchParams({ _csrf: csrfOf(page), ...fields }).toString() });
    keep(response);
    return response;
  }

  test('the owner enrols on the way in, sees the recovery codes once and lands signed in', async () => {
    const form = await get('/sign-in?next=%2Fcatalog%2Fproducts');
    const refused = await post('/sign-in', form.body, { email, password: PASSWORD, next: '/catalog/products' });
    assert.equal(refused.statusCode, 303, refused.body);
    assert.equal(refused.headers.location, '/sign-in/two-step');
    assert.equal(jar.has('plinth_session'), false, 'no session before enrolment');
    assert.doesNotMatch(String(refused.headers['set-cookie']), new RegExp(PASSWORD), 'the password stays on the server');

    const enrol = await get('/sign-in/two-step');
    assert.equal(enrol.statusCode, 200);
    assert.doesNotMatch(enrol.body, new RegExp(PASSWORD), 'the password is not on the page');
    assert.match(enrol.body, /<svg/, 'a QR code');
    const secret = /id="totp-secret">([^<]+)</.exec(enrol.body)?.[1]?.replaceAll(' ', '');
    assert.ok(secret, 'the key as text');

    const wrong = await post('/sign-in/two-step', enrol.body, { code: '000000' });
    assert.equal(wrong.statusCode, 422, 'a wrong first code enrols nothing');
    assert.equal(jar.has('plinth_session'), false);

    const done = await post('/sign-in/two-step', wrong.body, { code: await generate({ secret }) });
    assert.equal(done.statusCode, 200, done.body);
    const codes = [...done.body.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((match) => match[1]);
    assert.ok(codes.length > 0, 'the recovery codes are shown');
    assert.match(done.body, /href="\/catalog\/products"/, 'then on to where the person was going');
    assert.ok(jar.has('plinth_session'), 'signed in');
    const products = await get('/catalog/products');
    assert.equal(products.statusCode, 200);
    assert.match(products.body, /Onprem Shop/);

    const again = await get('/sign-in/two-step');
    assert.equal(again.statusCode, 303, 'the waiting sign-in is spent');
  });

  test('once enrolled, the sign-in asks for the code from the app', async () => {
    jar.clear();
    const form = await get('/sign-in');
    const asked = await post('/sign-in', form.body, { email, password: PASSWORD, next: '/' });
    assert.equal(asked.statusCode, 401, asked.body);
    assert.match(asked.body, /name="totpCode"/);
  });
});
