import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp, type TestBrowser } from '../../support/app.ts';
import { pageText } from '../../support/html.ts';
import { pairingOf } from '../../../src/modules/pos/register/pairing.ts';
import { call, newStaff, ok, type Headers } from './support.ts';

const unique = () => randomBytes(4).toString('hex');

describe('the registers back office /pos/registers', () => {
  let t: TestApp;
  let owner: Headers;
  let browser: TestBrowser;
  let locationId: string;

  before(async () => {
    t = await startTestApp();
    owner = await t.headersFor('tenant-a');
    browser = await t.browserFor('tenant-a');
    locationId = (await ok<{ id: string }>(call(t, owner, 'POST', '/v1/locations', { name: 'Quay shop', code: `Q${unique()}`, timeZone: 'Europe/Berlin' }))).id;
  });
  after(() => t.close());

  const get = (url: string, as: TestBrowser = browser) => t.app.inject({ method: 'GET', url, headers: { cookie: as.cookie, accept: 'text/html' } });
  const post = (url: string, fields: Record<string, string> = {}, as: TestBrowser = browser) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: as.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: as.csrfToken, ...fields }).toString(),
    });
  const form = (overrides: Record<string, string> = {}) => ({
    locationId,
    name: `Front counter ${unique()}`,
    code: `F${unique()}`,
    currency: 'eur',
    pricesIncludeTax: 'true',
    taxCode: 'std',
    taxLabel: 'VAT 19%',
    taxRate: '19',
    maxDiscount: '12.5',
    ...overrides,
  });
  const registers = async () => ok<{ id: string; name: string; code: string; locationId: string; deviceId: string | null; currency: string; taxRates: unknown; defaultTaxCode: string; maxDiscountBp: number; archivedAt: string | null }[]>(call(t, owner, 'GET', '/v1/pos/registers'));
  const created = async (name: string) => {
    const found = (await registers()).find((register) => register.name === name);
    assert.ok(found, `${name} exists`);
    return found;
  };

  test('creates a register from the form and lists it under its location', async () => {
    const fields = form();
    const response = await post('/pos/registers', fields);
    assert.equal(response.statusCode, 303, response.body.slice(0, 500));
    assert.match(String(response.headers.location), /^\/pos\/registers\?notice=Created/);
    const register = await created(fields.name);
    assert.deepEqual(
      { locationId: register.locationId, code: register.code, currency: register.currency, taxRates: register.taxRates, defaultTaxCode: register.defaultTaxCode, maxDiscountBp: register.maxDiscountBp, deviceId: register.deviceId },
      { locationId, code: fields.code, currency: 'EUR', taxRates: [{ code: 'STD', label: 'VAT 19%', rateBp: 1900 }], defaultTaxCode: 'STD', maxDiscountBp: 1250, deviceId: null },
    );

    const page = await get('/pos/registers');
    assert.equal(page.statusCode, 200);
    const text = pageText(page.body);
    assert.match(text, /Quay shop/);
    assert.match(text, new RegExp(`${fields.name}\\s+${fields.code}\\s+No terminal\\s+Closed\\s+Active`));
    assert.match(page.body, /<label for="field-name">Name<\/label>/, 'the new-register form is labelled');
    assert.match(page.body, /<h2 id="new-register">New register<\/h2>/);
  });

  test('a rejected form comes back with its fields and errors (422), nothing created', async () => {
    const before = (await registers()).length;
    const response = await post('/pos/registers', form({ code: 'no spaces allowed', taxRate: 'nineteen' }));
    assert.equal(response.statusCode, 422);
    assert.match(response.body, /id="field-code-error"/);
    assert.match(response.body, /id="field-taxRate-error"[^>]*>must be a percentage/);
    assert.match(response.body, /value="no spaces allowed"/, 'what was typed comes back');
    assert.equal((await registers()).length, before);

    const existing = form();
    await post('/pos/registers', existing);
    const taken = await post('/pos/registers', form({ code: existing.code }));
    assert.equal(taken.statusCode, 409);
    assert.match(taken.body, /id="field-code-error"[^>]*>A register with code/);

    const tooHigh = await post('/pos/registers', form({ taxRate: '150' }));
    assert.equal(tooHigh.statusCode, 422);
    assert.match(tooHigh.body, /id="field-taxRate-error"[^>]*>must be between 0 and 100 %/, 'said in per cent, not as the schema\'s basis points');
  });

  test('renames, deactivates and restores a register', async () => {
    const fields = form();
    await post('/pos/registers', fields);
    const register = await created(fields.name);
    const edit = await get(`/pos/registers/${register.id}/edit`);
    assert.equal(edit.statusCode, 200);
    assert.match(edit.body, /value="12.5"/);
    const saved = await post(`/pos/registers/${register.id}`, { name: `${fields.name} renamed`, maxDiscount: '5' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));
    const renamed = await created(`${fields.name} renamed`);
    assert.equal(renamed.maxDiscountBp, 500);

    assert.equal((await post(`/pos/registers/${register.id}/archive`)).statusCode, 303);
    assert.ok((await created(`${fields.name} renamed`)).archivedAt);
    assert.match(pageText((await get('/pos/registers')).body), new RegExp(`${fields.name} renamed\\s+${fields.code}\\s+No terminal\\s+Closed\\s+Deactivated`));
    assert.equal((await post(`/pos/registers/${register.id}/restore`)).statusCode, 303);
    assert.equal((await created(`${fields.name} renamed`)).archivedAt, null);
  });

  test('pairs this browser as the terminal (the secret only in the redirect fragment), then revokes it', async () => {
    const fields = form();
    await post('/pos/registers', fields);
    const register = await created(fields.name);
    const paired = await post(`/pos/registers/${register.id}/terminal`);
    assert.equal(paired.statusCode, 303, paired.body.slice(0, 300));
    const location = String(paired.headers.location);
    assert.match(location, /^\/pos\/register#/);
    const pairing = pairingOf(new URL(location, 'http://till.example').hash);
    assert.ok(pairing);
    assert.equal(pairing.registerId, register.id);
    assert.equal((await created(fields.name)).deviceId, pairing.deviceId);

    // The pairing works: a PIN sign-in at that terminal.
    const ownerUser = await t.ownerOf('tenant-a');
    assert.equal((await call(t, owner, 'PUT', '/v1/me/pin', { pin: '583920' })).statusCode, 204);
    const signIn = { tenant: 'tenant-a', deviceId: pairing.deviceId, deviceSecret: pairing.deviceSecret, userId: ownerUser.userId, pin: '583920' };
    assert.equal((await call(t, {}, 'POST', '/v1/auth/terminal/pin', signIn)).statusCode, 200);

    assert.match(pageText((await get('/pos/registers')).body), new RegExp(`${fields.name}\\s+${fields.code}\\s+Paired`));
    assert.equal((await post(`/pos/registers/${register.id}/terminal`)).statusCode, 409, 'a live terminal is revoked first, never replaced silently');

    const revoked = await post(`/pos/registers/${register.id}/terminal/revoke`);
    assert.equal(revoked.statusCode, 303);
    assert.equal((await created(fields.name)).deviceId, null);
    assert.equal((await call(t, {}, 'POST', '/v1/auth/terminal/pin', signIn)).statusCode, 401, 'the revoked terminal signs nobody in');

    const audits = await t.database.pool.query<{ action: string; target_id: string }>(
      "SELECT action, target_id FROM audit_event WHERE tenant_id = $1 AND target_id IN ($2, $3) AND action <> 'pos.register.created' ORDER BY seq",
      [t.tenantA.id, register.id, pairing.deviceId],
    );
    assert.deepEqual(
      audits.rows.map((row) => [row.action, row.target_id === register.id ? 'register' : 'terminal']),
      [
        ['auth.terminal.registered', 'terminal'],
        ['pos.register.updated', 'register'],
        ['auth.terminal.revoked', 'terminal'],
        ['pos.register.updated', 'register'],
      ],
    );
  });

  test('permissions: readers see the list without forms; managers without auth.terminal.manage cannot pair', async () => {
    const fields = form();
    await post('/pos/registers', fields);
    const register = await created(fields.name);

    const reader = await t.browserAs({ userId: await newStaff(t, t.tenantA, ['pos.register.read']), tenantId: t.tenantA.id });
    const list = await get('/pos/registers', reader);
    assert.equal(list.statusCode, 200);
    assert.match(pageText(list.body), new RegExp(fields.name));
    assert.doesNotMatch(list.body, /New register|action="\/pos\/registers/);
    assert.equal((await post('/pos/registers', form(), reader)).statusCode, 403);
    assert.equal((await post(`/pos/registers/${register.id}/archive`, {}, reader)).statusCode, 403);

    const manager = await t.browserAs({ userId: await newStaff(t, t.tenantA, ['pos.register.read', 'pos.register.manage']), tenantId: t.tenantA.id });
    const managed = await get('/pos/registers', manager);
    assert.match(managed.body, /New register/);
    assert.doesNotMatch(managed.body, /Pair this browser/, 'no pairing offered without auth.terminal.manage');
    assert.equal((await post(`/pos/registers/${register.id}/terminal`, {}, manager)).statusCode, 403);
    assert.equal((await created(fields.name)).deviceId, null);

    const cashier = await t.browserAs({ userId: await newStaff(t, t.tenantA, ['pos.sale.create']), tenantId: t.tenantA.id });
    assert.equal((await get('/pos/registers', cashier)).statusCode, 403);
    // The till is full-screen, so the navigation is read off a back-office page.
    assert.doesNotMatch((await get('/account', cashier)).body, /href="\/pos\/registers"/, 'no nav entry without pos.register.read');
    assert.match((await get('/account')).body, /href="\/pos\/registers"/, 'the owner finds it in the navigation');
  });

  test("another business's register is not found, exactly like a missing one", async () => {
    const fields = form();
    await post('/pos/registers', fields);
    const register = await created(fields.name);
    const other = await t.browserFor('tenant-b');
    for (const [method, url] of [
      ['GET', `/pos/registers/${register.id}/edit`],
      ['POST', `/pos/registers/${register.id}`],
      ['POST', `/pos/registers/${register.id}/archive`],
      ['POST', `/pos/registers/${register.id}/terminal`],
      ['POST', `/pos/registers/${register.id}/terminal/revoke`],
    ] as const) {
      const foreign = method === 'GET' ? await get(url, other) : await post(url, { name: 'Stolen', maxDiscount: '1' }, other);
      assert.equal(foreign.statusCode, 404, `${method} ${url}`);
    }
    assert.doesNotMatch(pageText((await get('/pos/registers', other)).body), new RegExp(fields.name));
    const unchanged = await created(fields.name);
    assert.deepEqual([unchanged.name, unchanged.archivedAt, unchanged.deviceId], [fields.name, null, null]);
  });
});
