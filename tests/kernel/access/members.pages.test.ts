import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createCustomRole } from '../../../src/kernel/access/index.ts';
import { declaredPermissions } from '../../../src/kernel/module/index.ts';
import { createLogger } from '../../../src/kernel/observability/logger.ts';
import { planEditions } from '../../../src/editions/compose.ts';
import { startTestApp, type TestApp, type TestBrowser, type TestUser } from '../../support/app.ts';
import { ownerQuery } from '../../support/catalog.ts';
import { findTag, findTags, hasTag, pageText } from '../../support/html.ts';
import { addMember, assertHtml, assertSeeOther, browserOf, pageOf, roleKeysOf, sessionWorks, submitForm, tokensOf, tokenVersionOf } from './support.ts';

/** The table row of one member, as text. */
function rowText(html: string, userId: string): string {
  const start = html.indexOf(`<tr id="member-${userId}"`);
  assert.ok(start >= 0, `a row for ${userId}`);
  return pageText(html.slice(start, html.indexOf('</tr>', start)));
}

async function statusOf(t: TestApp, tenantId: string, userId: string): Promise<string | undefined> {
  const { rows } = await ownerQuery<{ status: string }>(t, 'SELECT status FROM tenant_member WHERE tenant_id = $1 AND user_id = $2', [tenantId, userId]);
  return rows[0]?.status;
}

describe('team page /access/members (no JavaScript)', () => {
  let t: TestApp;
  let owner: TestUser;
  let browser: TestBrowser;
  before(async () => {
    t = await startTestApp();
    owner = await t.ownerOf('tenant-a');
    browser = await t.browserFor('tenant-a');
  });
  after(() => t.close());

  const members = () => pageOf(t, browser, '/access/members');

  test('lists the members with name, email, roles and status, with a form per member for the owner', async () => {
    const clerk = await addMember(t, t.tenantA, ['cashier', 'accountant'], 'Clerk');
    const html = assertHtml(await members(), 200);
    assert.ok(hasTag(html, 'a', { href: '/access/members' }) && hasTag(html, 'a', { href: '/access/roles' }), 'Team and Roles are in the navigation');
    const row = rowText(html, clerk.id);
    for (const part of [clerk.displayName, clerk.email, 'Accountant, Cashier', 'Active']) assert.ok(row.includes(part), `${part} in ${row}`);
    assert.ok(rowText(html, owner.userId).includes('Owner'));

    const form = findTag(html, 'form', { action: `/access/members/${clerk.id}/roles` });
    assert.equal(form.attributes.method, 'post');
    const cashierBox = findTag(html, 'input', { id: `member-${clerk.id}-role-cashier` });
    assert.deepEqual([cashierBox.attributes.type, cashierBox.attributes.name, cashierBox.attributes.value], ['checkbox', 'roles', 'cashier']);
    assert.equal(cashierBox.attributes.checked, '', 'a held role is ticked');
    assert.equal(findTag(html, 'input', { id: `member-${clerk.id}-role-manager` }).attributes.checked, undefined);
    assert.ok(hasTag(html, 'label', { for: `member-${clerk.id}-role-cashier` }), 'each box has a label');
    assert.ok(hasTag(html, 'form', { action: `/access/members/${clerk.id}/status` }));
    assert.ok(hasTag(html, 'form', { action: `/access/members/${clerk.id}/sign-out` }));
    // Every state-changing form carries the CSRF field.
    for (const post of findTags(html, 'form').filter((tag) => tag.attributes.method === 'post')) {
      const body = html.slice(post.index, html.indexOf('</form>', post.index));
      assert.match(body, /<input type="hidden" name="_csrf" value="[^"]+"/, `${post.attributes.action} carries _csrf`);
    }
  });

  test("changing a member's roles by form redirects 303, shows the new roles and kills the member's old bearer token", async () => {
    const clerk = await addMember(t, t.tenantA, ['cashier'], 'Clerk');
    const { headers } = await tokensOf(t, clerk.id, t.tenantA);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/catalog/products', headers })).statusCode, 200, 'the cashier token works');
    const before = await tokenVersionOf(t, clerk.id);

    const location = assertSeeOther(await submitForm(t, browser, `/access/members/${clerk.id}/roles`, { roles: ['manager', 'auditor'] }));
    assert.equal(location, `/access/members?done=roles&member=${clerk.id}`);
    assert.deepEqual(await roleKeysOf(t, t.tenantA, clerk.id), ['auditor', 'manager']);
    assert.equal(await tokenVersionOf(t, clerk.id), before + 1);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/catalog/products', headers })).statusCode, 401, 'the old token is dead');

    const html = assertHtml(await pageOf(t, browser, location), 200);
    assert.ok(pageText(html).includes(`Saved the roles of ${clerk.displayName}.`));
    assert.ok(rowText(html, clerk.id).includes('Auditor, Manager'));
  });

  test('unticking every box sends no roles: the member keeps no role', async () => {
    const clerk = await addMember(t, t.tenantA, ['cashier'], 'Clerk');
    assertSeeOther(await submitForm(t, browser, `/access/members/${clerk.id}/roles`, {}));
    assert.deepEqual(await roleKeysOf(t, t.tenantA, clerk.id), []);
    assert.ok(rowText(assertHtml(await members(), 200), clerk.id).includes('No roles'));
  });

  test('taking the owner role from the last owner shows the CONFLICT on the page with 409 and changes nothing', async () => {
    const before = await tokenVersionOf(t, owner.userId);
    const response = await submitForm(t, browser, `/access/members/${owner.userId}/roles`, { roles: ['manager'] });
    const html = assertHtml(response, 409);
    const alert = findTag(html, 'div', { class: 'alert error', role: 'alert' });
    assert.match(pageText(html.slice(alert.index, html.indexOf('</div>', alert.index))), /at least one active owner/);
    assert.deepEqual(await roleKeysOf(t, t.tenantA, owner.userId), ['owner']);
    assert.equal(await tokenVersionOf(t, owner.userId), before);
    assert.ok(rowText(html, owner.userId).includes('Owner'), 'the list still shows the owner as owner');
  });

  test('suspending the last owner is refused the same way', async () => {
    assertHtml(await submitForm(t, browser, `/access/members/${owner.userId}/status`, { status: 'suspended' }), 409);
    assert.equal(await statusOf(t, t.tenantA.id, owner.userId), 'active');
  });

  test('suspend and re-activate: the member loses and regains access to the business', async () => {
    const clerk = await addMember(t, t.tenantA, ['manager'], 'Clerk');
    const clerkBrowser = await browserOf(t, clerk.id, t.tenantA);
    assertHtml(await pageOf(t, clerkBrowser, '/access/members'), 200);

    const location = assertSeeOther(await submitForm(t, browser, `/access/members/${clerk.id}/status`, { status: 'suspended' }));
    assert.equal(await statusOf(t, t.tenantA.id, clerk.id), 'suspended');
    let html = assertHtml(await pageOf(t, browser, location), 200);
    assert.ok(pageText(html).includes(`Suspended ${clerk.displayName}.`));
    assert.ok(rowText(html, clerk.id).includes('Suspended'));
    assert.ok(hasTag(html, 'input', { type: 'hidden', name: 'status', value: 'active' }), 'the button now re-activates');
    assertHtml(await pageOf(t, clerkBrowser, '/access/members'), 403);

    assertSeeOther(await submitForm(t, browser, `/access/members/${clerk.id}/status`, { status: 'active' }));
    assert.equal(await statusOf(t, t.tenantA.id, clerk.id), 'active');
    html = assertHtml(await members(), 200);
    assert.ok(rowText(html, clerk.id).includes('Active'));
    assertHtml(await pageOf(t, clerkBrowser, '/access/members'), 200);
  });

  test("'Sign out everywhere' ends the member's browser session and refresh token, and is audited", async () => {
    const clerk = await addMember(t, t.tenantA, ['cashier'], 'Clerk');
    const clerkBrowser = await browserOf(t, clerk.id, t.tenantA);
    const { headers, refreshToken } = await tokensOf(t, clerk.id, t.tenantA);
    assert.ok(await sessionWorks(t, clerkBrowser.session));

    const location = assertSeeOther(await submitForm(t, browser, `/access/members/${clerk.id}/sign-out`));
    assert.ok(pageText(assertHtml(await pageOf(t, browser, location), 200)).includes(`Signed ${clerk.displayName} out everywhere.`));
    assert.equal(await sessionWorks(t, clerkBrowser.session), false, 'the session cookie is dead');
    const products = await pageOf(t, clerkBrowser, '/catalog/products');
    assert.equal(products.statusCode, 303);
    assert.match(String(products.headers.location), /^\/sign-in/);
    assert.equal((await t.app.inject({ method: 'POST', url: '/v1/auth/token/refresh', payload: { refreshToken } })).statusCode, 401, 'the refresh token is dead');
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/catalog/products', headers })).statusCode, 401, 'the access token is dead');
    const { rows } = await ownerQuery(t, "SELECT actor FROM audit_event WHERE tenant_id = $1 AND action = 'access.member.signed_out' AND target_id = $2", [t.tenantA.id, clerk.id]);
    assert.deepEqual(rows, [{ actor: `user:${owner.userId}` }]);
    assert.ok(await sessionWorks(t, browser.cookie), "the owner's own session is untouched");
  });

  test('a form posted without its CSRF token is refused with 403 and changes nothing', async () => {
    const clerk = await addMember(t, t.tenantA, ['cashier'], 'Clerk');
    const clerkBrowser = await browserOf(t, clerk.id, t.tenantA);
    for (const [url, fields] of [
      [`/access/members/${clerk.id}/roles`, { roles: 'owner' }],
      [`/access/members/${clerk.id}/status`, { status: 'suspended' }],
      [`/access/members/${clerk.id}/sign-out`, {}],
    ] as const) {
      const response = await submitForm(t, browser, url, fields, false);
      assert.equal(response.statusCode, 403, url);
    }
    assert.deepEqual(await roleKeysOf(t, t.tenantA, clerk.id), ['cashier']);
    assert.equal(await statusOf(t, t.tenantA.id, clerk.id), 'active');
    assert.ok(await sessionWorks(t, clerkBrowser.session));
  });

  test("a member of tenant B, or an unknown id, is 404 from tenant A's forms and B's member is untouched", async () => {
    const outsider = await addMember(t, t.tenantB, ['cashier'], 'Outsider');
    const outsiderBrowser = await browserOf(t, outsider.id, t.tenantB);
    for (const userId of [outsider.id, randomUUID()]) {
      for (const [action, fields] of [
        ['roles', { roles: 'manager' }],
        ['status', { status: 'suspended' }],
        ['sign-out', {}],
      ] as const) {
        const html = assertHtml(await submitForm(t, browser, `/access/members/${userId}/${action}`, fields), 404);
        assert.match(pageText(html), /Member was not found/);
      }
    }
    assert.deepEqual(await roleKeysOf(t, t.tenantB, outsider.id), ['cashier']);
    assert.equal(await statusOf(t, t.tenantB.id, outsider.id), 'active');
    assert.ok(await sessionWorks(t, outsiderBrowser.session));
    assert.ok(!pageText(assertHtml(await members(), 200)).includes(outsider.email), "B's member is not listed in A");
  });

  test('a tampered role key is 400 and changes nothing', async () => {
    const clerk = await addMember(t, t.tenantA, ['cashier'], 'Clerk');
    assertHtml(await submitForm(t, browser, `/access/members/${clerk.id}/roles`, { roles: ['wizard'] }), 400);
    assertHtml(await submitForm(t, browser, `/access/members/${clerk.id}/roles`, { roles: ['Not A Key'] }), 400);
    assertHtml(await submitForm(t, browser, `/access/members/${clerk.id}/status`, { status: 'deleted' }), 400);
    assert.deepEqual(await roleKeysOf(t, t.tenantA, clerk.id), ['cashier']);
  });

  describe('people without access.member.manage', () => {
    test('a manager (template role, read only) sees the list without any form, and a posted form is 403', async () => {
      const manager = await addMember(t, t.tenantA, ['manager'], 'Manager');
      const managerBrowser = await browserOf(t, manager.id, t.tenantA);
      const html = assertHtml(await pageOf(t, managerBrowser, '/access/members'), 200);
      assert.ok(rowText(html, owner.userId).includes(owner.email));
      assert.equal(findTags(html, 'form').filter((form) => form.attributes.action?.startsWith('/access/members')).length, 0, 'no change forms');
      assert.ok(!pageText(html).includes('Sign out everywhere'));
      const denied = await submitForm(t, managerBrowser, `/access/members/${owner.userId}/roles`, { roles: 'manager' });
      assert.equal(denied.statusCode, 403);
      assert.deepEqual(await roleKeysOf(t, t.tenantA, owner.userId), ['owner']);
    });

    test('a custom front-desk role with only access.member.read also reads without forms', async () => {
      const declared = declaredPermissions(planEditions({ editions: undefined }).modules);
      const ctx = { db: t.app.db, tenantId: t.tenantA.id, actor: { kind: 'system', process: 'test' } as const, requestId: 'test', log: createLogger('silent') };
      await createCustomRole(ctx, { key: 'front_desk', name: 'Front desk', permissions: ['access.member.read', 'catalog.product.read'] }, declared);
      const desk = await addMember(t, t.tenantA, ['front_desk'], 'Desk');
      const html = assertHtml(await pageOf(t, await browserOf(t, desk.id, t.tenantA), '/access/members'), 200);
      assert.ok(rowText(html, desk.id).includes('Front desk'));
      assert.ok(!hasTag(html, 'form', { action: `/access/members/${desk.id}/roles` }));
      assert.ok(!hasTag(html, 'a', { href: '/access/roles' }), 'no Roles link without access.role.read');
    });

    test('a cashier is denied the page (403) and has no Team link', async () => {
      const cashier = await addMember(t, t.tenantA, ['cashier'], 'Cashier');
      const cashierBrowser = await browserOf(t, cashier.id, t.tenantA);
      assertHtml(await pageOf(t, cashierBrowser, '/access/members'), 403);
      const home = assertHtml(await pageOf(t, cashierBrowser, '/catalog/products'), 200);
      assert.ok(!hasTag(home, 'a', { href: '/access/members' }));
    });
  });

  test('a stale or hand-edited notice query shows the plain list', async () => {
    const html = assertHtml(await pageOf(t, browser, `/access/members?done=bogus&member=not-a-uuid`), 200);
    assert.equal(findTags(html, 'p').filter((tag) => tag.attributes.role === 'status').length, 0);
  });
});
