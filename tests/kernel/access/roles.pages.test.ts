import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp, type TestBrowser } from '../../support/app.ts';
import { ownerQuery } from '../../support/catalog.ts';
import { findTag, hasTag, pageText, textById } from '../../support/html.ts';
import { addMember, assertHtml, assertSeeOther, browserOf, pageOf, submitForm, tokensOf, tokenVersionOf } from './support.ts';

interface RoleRow {
  id: string;
  name: string;
  permissions: string[];
  template_key: string | null;
}

async function roleRow(t: TestApp, tenantId: string, key: string): Promise<RoleRow | undefined> {
  const { rows } = await ownerQuery<RoleRow>(t, 'SELECT id, name, permissions, template_key FROM access_role WHERE tenant_id = $1 AND key = $2', [tenantId, key]);
  return rows[0];
}

/** The grid's column headers (role names with their badge), in order. */
function roleColumns(html: string): string[] {
  return [...html.matchAll(/<th scope="col" id="role-([a-z_]+)"[^>]*>([\s\S]*?)<\/th>/g)].map((match) => `${match[1]}: ${pageText(match[2] as string)}`);
}

/** Whether the grid ticks `permission` for the role with `key`, and the permission's row header (its description). */
function grant(html: string, key: string, permission: string): { granted: boolean; label: string } {
  const column = roleColumns(html).findIndex((header) => header.startsWith(`${key}:`));
  assert.ok(column >= 0, `a column for ${key}`);
  const row = new RegExp(`<tr data-permission="${permission.replace(/\./g, '\\.')}">([\\s\\S]*?)</tr>`).exec(html);
  assert.ok(row?.[1], `a row for ${permission}`);
  const cells = [...row[1].matchAll(/<td class="([a-z-]+)"/g)].map((match) => match[1]);
  return { granted: cells[column] === 'granted', label: pageText(/<th scope="row"[^>]*>([\s\S]*?)<\/th>/.exec(row[1])?.[1] ?? '') };
}

const checked = (html: string, permission: string, module: string) =>
  findTag(html, 'input', { id: `permission-${module}-${permission}` }).attributes.checked !== undefined;

describe('roles pages /access/roles (no JavaScript)', () => {
  let t: TestApp;
  let browser: TestBrowser;
  before(async () => {
    t = await startTestApp();
    browser = await t.browserFor('tenant-a');
  });
  after(() => t.close());

  test('one grid of every role against every permission in words, grouped by area; template roles are read-only', async () => {
    const html = assertHtml(await pageOf(t, browser, '/access/roles'), 200);
    assert.ok(roleColumns(html).includes('cashier: Cashier Template'), roleColumns(html).join(' | '));
    assert.deepEqual(grant(html, 'cashier', 'catalog.product.read'), { granted: true, label: 'See products and their prices' });
    assert.equal(grant(html, 'cashier', 'catalog.product.write').granted, false);
    assert.equal(grant(html, 'manager', 'access.role.read').granted, true);
    assert.equal(grant(html, 'manager', 'access.member.manage').granted, false);
    for (const area of ['Team and roles', 'Audit', 'Catalog']) assert.ok(html.includes(`class="group">${area}</th>`), area);
    assert.ok(!pageText(html).includes('catalog.product.read'), 'no internal keys on the page');
    const cashierRow = await roleRow(t, t.tenantA.id, 'cashier');
    assert.ok(cashierRow);
    assert.ok(!hasTag(html, 'a', { href: `/access/roles/${cashierRow.id}/edit` }), 'no edit link for a template role');
    assert.ok(hasTag(html, 'a', { href: '/access/roles/new' }));
  });

  test('the new-role form offers every declared permission, grouped by module, with a CSRF field', async () => {
    const html = assertHtml(await pageOf(t, browser, '/access/roles/new'), 200);
    const form = findTag(html, 'form', { action: '/access/roles' });
    assert.equal(form.attributes.method, 'post');
    assert.ok(hasTag(html, 'input', { type: 'hidden', name: '_csrf' }));
    assert.ok(hasTag(html, 'input', { id: 'field-key', name: 'key' }));
    assert.ok(hasTag(html, 'input', { id: 'field-name', name: 'name' }));
    const box = findTag(html, 'input', { id: 'permission-catalog-catalog.product.read' });
    assert.deepEqual([box.attributes.type, box.attributes.name, box.attributes.value], ['checkbox', 'permissions', 'catalog.product.read']);
    assert.equal(textById(html, 'permission-catalog-catalog.product.read-hint'), 'catalog.product.read');
    assert.ok(pageText(html).includes('See products and their prices'));
    for (const legend of ['Team and roles', 'Audit', 'Catalog']) assert.ok(html.includes(`<legend>${legend}</legend>`), legend);
  });

  test('creating a custom role by form: 303, the list shows it editable with its permissions', async () => {
    const location = assertSeeOther(
      await submitForm(t, browser, '/access/roles', { key: 'stock_keeper', name: 'Stock keeper', permissions: ['catalog.product.read', 'catalog.product.write'] }),
    );
    const row = await roleRow(t, t.tenantA.id, 'stock_keeper');
    assert.ok(row);
    assert.deepEqual(row, { id: row.id, name: 'Stock keeper', permissions: ['catalog.product.read', 'catalog.product.write'], template_key: null });
    assert.equal(location, `/access/roles?done=created&role=${row.id}`);
    const html = assertHtml(await pageOf(t, browser, location), 200);
    assert.ok(pageText(html).includes('Created the role Stock keeper.'));
    assert.ok(roleColumns(html).includes('stock_keeper: Stock keeper Custom'));
    assert.equal(grant(html, 'stock_keeper', 'catalog.product.write').granted, true);
    assert.ok(hasTag(html, 'a', { href: `/access/roles/${row.id}/edit` }));
  });

  test('a bad key, an empty name or an unknown permission come back as field errors with 422 and create nothing', async () => {
    const response = await submitForm(t, browser, '/access/roles', { key: 'Bad Key', name: '  ', permissions: ['catalog.product.read'] });
    const html = assertHtml(response, 422);
    assert.match(textById(html, 'field-key-error') ?? '', /lower-case letters/);
    assert.equal(textById(html, 'field-name-error'), 'is required');
    assert.equal(findTag(html, 'input', { id: 'field-key' }).attributes.value, 'Bad Key', 'the form comes back as sent');
    assert.ok(checked(html, 'catalog.product.read', 'catalog'), 'ticked boxes stay ticked');

    const unknown = assertHtml(await submitForm(t, browser, '/access/roles', { key: 'odd', name: 'Odd', permissions: ['catalog.product.fly'] }), 422);
    assert.match(textById(unknown, 'field-permissions-error') ?? '', /Unknown permission: catalog\.product\.fly/);
    assert.equal(await roleRow(t, t.tenantA.id, 'odd'), undefined);
  });

  test('a key that is taken (even a template key) is a 409 shown next to the key field', async () => {
    const html = assertHtml(await submitForm(t, browser, '/access/roles', { key: 'owner', name: 'Me' }), 409);
    assert.match(textById(html, 'field-key-error') ?? '', /already exists/);
    assert.equal((await roleRow(t, t.tenantA.id, 'owner'))?.name, 'Owner');
  });

  test("editing a custom role: the form shows its state; a permission change kills holders' tokens, a rename alone does not", async () => {
    assertSeeOther(await submitForm(t, browser, '/access/roles', { key: 'shift_lead', name: 'Shift lead', permissions: ['catalog.product.read'] }));
    const role = await roleRow(t, t.tenantA.id, 'shift_lead');
    assert.ok(role);
    const holder = await addMember(t, t.tenantA, ['shift_lead'], 'Lead');

    const form = assertHtml(await pageOf(t, browser, `/access/roles/${role.id}/edit`), 200);
    assert.ok(hasTag(form, 'form', { method: 'post', action: `/access/roles/${role.id}` }));
    assert.equal(findTag(form, 'input', { id: 'field-name' }).attributes.value, 'Shift lead');
    assert.ok(!hasTag(form, 'input', { name: 'key' }), 'the key cannot be changed');
    assert.ok(checked(form, 'catalog.product.read', 'catalog'));
    assert.ok(!checked(form, 'catalog.product.write', 'catalog'));

    const before = await tokenVersionOf(t, holder.id);
    assertSeeOther(await submitForm(t, browser, `/access/roles/${role.id}`, { name: 'Shift leader', permissions: ['catalog.product.read'] }));
    assert.equal((await roleRow(t, t.tenantA.id, 'shift_lead'))?.name, 'Shift leader');
    assert.equal(await tokenVersionOf(t, holder.id), before, 'same permissions: tokens live on');

    const { headers } = await tokensOf(t, holder.id, t.tenantA);
    const location = assertSeeOther(await submitForm(t, browser, `/access/roles/${role.id}`, { name: 'Shift leader', permissions: ['catalog.product.read', 'access.member.read'] }));
    assert.equal(location, `/access/roles?done=saved&role=${role.id}`);
    assert.deepEqual((await roleRow(t, t.tenantA.id, 'shift_lead'))?.permissions, ['access.member.read', 'catalog.product.read']);
    assert.equal(await tokenVersionOf(t, holder.id), before + 1);
    assert.equal((await t.app.inject({ method: 'GET', url: '/v1/catalog/products', headers })).statusCode, 401, "the holder's old token is dead");
    assert.ok(pageText(assertHtml(await pageOf(t, browser, location), 200)).includes('Saved the role Shift leader.'));

    const invalid = assertHtml(await submitForm(t, browser, `/access/roles/${role.id}`, { name: '', permissions: [] }), 422);
    assert.equal(textById(invalid, 'field-name-error'), 'is required');
    assert.equal((await roleRow(t, t.tenantA.id, 'shift_lead'))?.name, 'Shift leader');
  });

  test('a template role cannot be edited: its form and its POST answer 409 and nothing changes', async () => {
    const cashier = await roleRow(t, t.tenantA.id, 'cashier');
    assert.ok(cashier);
    const form = assertHtml(await pageOf(t, browser, `/access/roles/${cashier.id}/edit`), 409);
    assert.match(pageText(form), /cannot be changed/);
    assertHtml(await submitForm(t, browser, `/access/roles/${cashier.id}`, { name: 'Till', permissions: ['audit.log.read'] }), 409);
    assert.deepEqual(await roleRow(t, t.tenantA.id, 'cashier'), cashier);
  });

  test("tenant B's role is 404 from tenant A, and stays as it was", async () => {
    const theirs = await roleRow(t, t.tenantB.id, 'cashier');
    assert.ok(theirs);
    assertHtml(await pageOf(t, browser, `/access/roles/${theirs.id}/edit`), 404);
    assertHtml(await submitForm(t, browser, `/access/roles/${theirs.id}`, { name: 'Hijacked', permissions: [] }), 404);
    assert.deepEqual(await roleRow(t, t.tenantB.id, 'cashier'), theirs);
  });

  test('forms posted without the CSRF token are 403 and change nothing', async () => {
    const response = await submitForm(t, browser, '/access/roles', { key: 'sneaky', name: 'Sneaky', permissions: ['catalog.product.read'] }, false);
    assert.equal(response.statusCode, 403);
    assert.equal(await roleRow(t, t.tenantA.id, 'sneaky'), undefined);
    assertSeeOther(await submitForm(t, browser, '/access/roles', { key: 'quiet', name: 'Quiet' }));
    const quiet = await roleRow(t, t.tenantA.id, 'quiet');
    assert.ok(quiet);
    assert.equal((await submitForm(t, browser, `/access/roles/${quiet.id}`, { name: 'Loud', permissions: ['audit.log.read'] }, false)).statusCode, 403);
    assert.deepEqual(await roleRow(t, t.tenantA.id, 'quiet'), quiet);
  });

  describe('people without access.role.manage', () => {
    test('a manager reads the roles without New or Edit, and cannot reach the forms', async () => {
      assertSeeOther(await submitForm(t, browser, '/access/roles', { key: 'helper', name: 'Helper' }));
      const helper = await roleRow(t, t.tenantA.id, 'helper');
      assert.ok(helper);
      const manager = await addMember(t, t.tenantA, ['manager'], 'Manager');
      const managerBrowser = await browserOf(t, manager.id, t.tenantA);
      const html = assertHtml(await pageOf(t, managerBrowser, '/access/roles'), 200);
      assert.ok(roleColumns(html).includes('helper: Helper Custom'));
      assert.ok(!hasTag(html, 'a', { href: '/access/roles/new' }));
      assert.ok(!hasTag(html, 'a', { href: `/access/roles/${helper.id}/edit` }));
      assert.ok(hasTag(html, 'a', { href: '/access/roles' }), 'Roles is in the navigation');
      assertHtml(await pageOf(t, managerBrowser, '/access/roles/new'), 403);
      assertHtml(await pageOf(t, managerBrowser, `/access/roles/${helper.id}/edit`), 403);
      assert.equal((await submitForm(t, managerBrowser, `/access/roles/${helper.id}`, { name: 'Mine', permissions: ['access.role.manage'] })).statusCode, 403);
      assert.equal((await submitForm(t, managerBrowser, '/access/roles', { key: 'mine', name: 'Mine' })).statusCode, 403);
      assert.deepEqual(await roleRow(t, t.tenantA.id, 'helper'), helper);
      assert.equal(await roleRow(t, t.tenantA.id, 'mine'), undefined);
    });

    test('a cashier is denied the roles page and has no Roles link', async () => {
      const cashier = await addMember(t, t.tenantA, ['cashier'], 'Cashier');
      const cashierBrowser = await browserOf(t, cashier.id, t.tenantA);
      assertHtml(await pageOf(t, cashierBrowser, '/access/roles'), 403);
      assert.ok(!hasTag(assertHtml(await pageOf(t, cashierBrowser, '/catalog/products'), 200), 'a', { href: '/access/roles' }));
    });
  });
});
