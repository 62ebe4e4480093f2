import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createUser } from '../../../src/kernel/identity/index.ts';
import { cookieFrom, startTestApp, type TestApp, type TestBrowser } from '../../support/app.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const FORM = 'application/x-www-form-urlencoded';
const PASSWORD = 'copper-meadow-lantern-42';

const sessionCookie = (response: LightMyRequestResponse) => cookieFrom(response, 'plinth_session');

describe('invitations', () => {
  let t: TestApp;
  let owner: Record<string, string>;
  const invite = async (body: Json, headers = owner) => {
    const response = await t.app.inject({ method: 'POST', url: '/v1/access/invitations', headers, payload: body });
    assert.equal(response.statusCode, 201, response.body);
    const { invitation, link } = (response.json() as Json).data;
    return { invitation, token: new URL(link).pathname.replace('/invite/', '') };
  };
  const anonymousBrowser = () => t.browserAs(undefined);
  const post = (browser: TestBrowser, token: string, fields: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `/invite/${token}`,
      headers: { 'content-type': FORM, cookie: browser.cookie },
      payload: new URLSearchParams({ _csrf: browser.csrfToken, ...fields }).toString(),
    });
  const members = async (tenantId: string) => Number((await t.database.pool.query('SELECT count(*) FROM tenant_member WHERE tenant_id = $1', [tenantId])).rows[0].count);

  before(async () => {
    t = await startTestApp();
    owner = await t.headersFor('tenant-a');
  });
  after(() => t.close());

  test('a new person signs up through a single-use link: account, membership, roles, session; the link is then spent', async () => {
    const { invitation, token } = await invite({ roles: ['cashier'] });
    assert.equal(invitation.maxUses, 1);
    const page = await t.app.inject({ url: `/invite/${token}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Join Tenant A/);
    assert.match(page.body, /cashier/);

    const response = await post(await anonymousBrowser(), token, { displayName: 'Robin', email: 'robin@example.test', password: PASSWORD });
    assert.equal(response.statusCode, 303, response.body);
    const cookie = sessionCookie(response);
    assert.ok(cookie);
    const permissions = (await t.app.inject({ url: '/v1/me/permissions', headers: { cookie } })).json() as Json;
    assert.equal(permissions.data.tenantId, t.tenantA.id);
    assert.deepEqual(permissions.data.permissions, ['catalog.product.read']);
    const audit = await t.database.pool.query("SELECT count(*) FROM audit_event WHERE tenant_id = $1 AND action = 'access.invitation.accepted'", [t.tenantA.id]);
    assert.equal(Number(audit.rows[0].count), 1);

    const again = await post(await anonymousBrowser(), token, { displayName: 'Sam', email: 'sam@example.test', password: PASSWORD });
    assert.equal(again.statusCode, 404);
    assert.match(again.body, /not valid/);
    assert.equal(Number((await t.database.pool.query("SELECT count(*) FROM app_user WHERE email = 'sam@example.test'")).rows[0].count), 0);
  });

  test('a weak password or a taken email leaves nothing behind and keeps the link usable', async () => {
    const { token } = await invite({ roles: ['cashier'] });
    const before_ = await members(t.tenantA.id);
    const weak = await post(await anonymousBrowser(), token, { displayName: 'Kim', email: 'kim@example.test', password: 'short' });
    assert.equal(weak.statusCode, 400);
    assert.match(weak.body, /at least 12 characters/);
    assert.equal(Number((await t.database.pool.query("SELECT count(*) FROM app_user WHERE email = 'kim@example.test'")).rows[0].count), 0);
    const taken = await post(await anonymousBrowser(), token, { displayName: 'Kim', email: (await t.ownerOf('tenant-b')).email, password: PASSWORD });
    assert.equal(taken.statusCode, 409);
    assert.match(taken.body, /sign in first/);
    assert.equal(await members(t.tenantA.id), before_);
    const ok = await post(await anonymousBrowser(), token, { displayName: 'Kim', email: 'kim@example.test', password: PASSWORD });
    assert.equal(ok.statusCode, 303, ok.body);
  });

  test('a signed-in person joins: the session switches to the new business and is rotated', async () => {
    const { token } = await invite({ roles: ['manager'] });
    const ownerB = await t.ownerOf('tenant-b');
    const browser = await t.browserAs({ userId: ownerB.userId, tenantId: t.tenantB.id });
    const page = await t.app.inject({ url: `/invite/${token}`, headers: { cookie: browser.cookie } });
    assert.match(page.body, new RegExp(`signed in as ${ownerB.email}`));
    const response = await post(browser, token, {});
    assert.equal(response.statusCode, 303, response.body);
    const rotated = sessionCookie(response);
    assert.ok(rotated);
    const oldSession = browser.cookie.split('; ').find((part) => part.startsWith('plinth_session='));
    assert.notEqual(rotated, oldSession);
    assert.equal((await t.app.inject({ url: '/v1/me/permissions', headers: { cookie: oldSession } })).statusCode, 401, 'the old session id is dead');
    const permissions = (await t.app.inject({ url: '/v1/me/permissions', headers: { cookie: rotated } })).json() as Json;
    assert.equal(permissions.data.tenantId, t.tenantA.id);
    assert.ok(permissions.data.permissions.includes('catalog.product.write'));
  });

  test('an email-bound invitation only admits that address; a limited link admits that many and no more, even in parallel', async () => {
    const bound = await invite({ roles: ['cashier'], email: 'Only.Me@Example.test' });
    const wrong = await post(await anonymousBrowser(), bound.token, { displayName: 'X', email: 'other@example.test', password: PASSWORD });
    assert.equal(wrong.statusCode, 403);
    const right = await post(await anonymousBrowser(), bound.token, { displayName: 'Me', email: 'only.me@example.test', password: PASSWORD });
    assert.equal(right.statusCode, 303, right.body);

    const shared = await invite({ roles: ['cashier'], maxUses: 2 });
    const people = await Promise.all(
      [1, 2, 3, 4].map((index) => createUser(t.app.db, { email: `parallel${index}@example.test`, displayName: `P${index}` })),
    );
    const results = await Promise.all(
      people.map(async (person) =>
        t.app.inject({ method: 'POST', url: '/v1/invitations/accept', headers: await t.headersAs(person.id, null), payload: { token: shared.token } }),
      ),
    );
    assert.deepEqual(results.map((result) => result.statusCode).sort(), [200, 200, 404, 404], results.map((result) => result.body).join('\n'));
    const uses = await t.database.pool.query('SELECT uses FROM access_invitation WHERE id = $1', [shared.invitation.id]);
    assert.equal(uses.rows[0].uses, 2);
  });

  test('revoked and expired links are refused alike; another business cannot revoke or see them', async () => {
    const { invitation, token } = await invite({ roles: ['cashier'] });
    const ownerB = await t.headersFor('tenant-b');
    const foreign = await t.app.inject({ method: 'POST', url: `/v1/access/invitations/${invitation.id}/revoke`, headers: ownerB });
    assert.equal(foreign.statusCode, 404);
    const listB = (await t.app.inject({ url: '/v1/access/invitations', headers: ownerB })).json() as Json;
    assert.ok(!listB.data.some((item: Json) => item.id === invitation.id));
    assert.equal((await t.app.inject({ method: 'POST', url: `/v1/access/invitations/${invitation.id}/revoke`, headers: owner })).statusCode, 204);
    const revoked = await t.app.inject({ url: `/invite/${token}` });
    assert.equal(revoked.statusCode, 404);

    const expiring = await invite({ roles: ['cashier'] });
    await t.database.pool.query("UPDATE access_invitation SET expires_at = now() - interval '1 second' WHERE id = $1", [expiring.invitation.id]);
    const expired = await t.app.inject({ url: `/invite/${expiring.token}` });
    assert.equal(expired.statusCode, 404);
    assert.equal(expired.body.replace(expiring.token, '').replace(/value="[^"]+"/g, ''), revoked.body.replace(token, '').replace(/value="[^"]+"/g, ''));
    assert.equal((await t.app.inject({ url: '/invite/not-a-token' })).statusCode, 404);
  });

  test('an invitation naming an unknown role is refused; the API lists invitations without their links', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/v1/access/invitations', headers: owner, payload: { roles: ['wizard'] } });
    assert.equal(bad.statusCode, 400);
    const list = (await t.app.inject({ url: '/v1/access/invitations', headers: owner })).json() as Json;
    assert.ok(list.data.length > 0);
    assert.ok(list.data.every((item: Json) => !('link' in item) && !('tokenHash' in item)));
  });
});

describe('invitations page', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const submit = async (fields: Record<string, string | string[]>) => {
    const browser = await t.browserFor('tenant-a');
    const body = new URLSearchParams({ _csrf: browser.csrfToken });
    for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(key, item);
    return t.app.inject({ method: 'POST', url: '/access/invitations', headers: { 'content-type': FORM, cookie: browser.cookie }, payload: body.toString() });
  };

  test('creating shows the link once; the list then shows the invitation without it; withdrawing closes it', async () => {
    const created = await submit({ email: '', roles: ['cashier', 'accountant'], maxUses: '3', validDays: '2' });
    assert.equal(created.statusCode, 201, created.body);
    const link = /<code>(http[^<]+\/invite\/[^<]+)<\/code>/.exec(created.body)?.[1];
    assert.ok(link, 'the page shows the new link');
    const token = link.split('/invite/')[1] as string;
    const browser = await t.browserFor('tenant-a');
    const list = await t.app.inject({ url: '/access/invitations', headers: { cookie: browser.cookie } });
    assert.match(list.body, /accountant, cashier/);
    assert.match(list.body, /0 of 3/);
    assert.ok(!list.body.includes(token), 'the link is not shown again');
    const id = (await t.database.pool.query('SELECT id FROM access_invitation ORDER BY created_at DESC LIMIT 1')).rows[0].id as string;
    const withdrawn = await t.app.inject({
      method: 'POST',
      url: `/access/invitations/${id}/revoke`,
      headers: { 'content-type': FORM, cookie: browser.cookie },
      payload: `_csrf=${encodeURIComponent(browser.csrfToken)}`,
    });
    assert.equal(withdrawn.statusCode, 303);
    assert.equal((await t.app.inject({ url: `/invite/${token}` })).statusCode, 404);
  });

  test('a form without roles or with a bad number is shown again with the problems, and nothing is created', async () => {
    const before_ = Number((await t.database.pool.query('SELECT count(*) FROM access_invitation')).rows[0].count);
    const response = await submit({ email: 'not-an-email', maxUses: 'many', validDays: '90' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /choose at least one role/);
    assert.match(response.body, /must be 1 to 30 days/);
    assert.match(response.body, /must be an email address/);
    assert.equal(Number((await t.database.pool.query('SELECT count(*) FROM access_invitation')).rows[0].count), before_);
  });
});
