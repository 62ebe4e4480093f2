import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { expandPermissions, isPlatformPermission, permissionsFor, PLATFORM_ROLE_TEMPLATES, RoleTemplateError } from '../../../src/kernel/access/index.ts';
import { PLATFORM_TENANT_ID } from '../../../src/kernel/tenancy/index.ts';
import { declaredPermissions } from '../../../src/kernel/module/index.ts';
import { planEditions } from '../../../src/editions/compose.ts';
import { STORE_ROLE_TEMPLATES } from '../../../src/editions/roles.ts';

const declared: ReadonlySet<string> = new Set([
  'catalog.product.read',
  'access.role.read',
  'catalog.product.manage',
  'audit.log.read',
  'catalog.category.read',
]);

describe('expandPermissions', () => {
  test("'*' grants every declared permission, sorted", () => {
    assert.deepEqual(expandPermissions(['*'], declared), [
      'access.role.read',
      'audit.log.read',
      'catalog.category.read',
      'catalog.product.manage',
      'catalog.product.read',
    ]);
  });

  test("'catalog.*' grants only the catalog permissions", () => {
    assert.deepEqual(expandPermissions(['catalog.*'], declared), ['catalog.category.read', 'catalog.product.manage', 'catalog.product.read']);
  });

  test("'module.resource.*' narrows to that resource and does not match a mere name prefix", () => {
    assert.deepEqual(expandPermissions(['catalog.product.*'], declared), ['catalog.product.manage', 'catalog.product.read']);
    assert.deepEqual(expandPermissions(['cat.*'], declared), [], "'cat.*' must not match 'catalog.…'");
  });

  test('a wildcard that matches nothing grants nothing and does not throw', () => {
    assert.deepEqual(expandPermissions(['kitchen.*'], declared), []);
    assert.deepEqual(expandPermissions(['kitchen.*', 'audit.log.read'], declared), ['audit.log.read']);
  });

  test('exact permissions and overlapping wildcards are deduplicated', () => {
    assert.deepEqual(expandPermissions(['catalog.product.read', 'catalog.*', 'catalog.product.read'], declared), [
      'catalog.category.read',
      'catalog.product.manage',
      'catalog.product.read',
    ]);
  });

  test('an unknown exact permission throws a RoleTemplateError naming it and the owner', () => {
    assert.throws(
      () => expandPermissions(['catalog.product.read', 'catalog.product.delete'], declared, 'role template cashier'),
      (error: unknown) => {
        assert.ok(error instanceof RoleTemplateError);
        assert.equal(error.name, 'RoleTemplateError');
        assert.match(error.message, /catalog\.product\.delete/);
        assert.match(error.message, /role template cashier/);
        return true;
      },
    );
  });

  test('an empty list grants nothing', () => {
    assert.deepEqual(expandPermissions([], declared), []);
  });
});

describe('shipped role templates', () => {
  const all = declaredPermissions(planEditions({ editions: undefined }).modules);

  test('the mounted modules declare the permissions the templates name', () => {
    assert.ok(all.size > 0);
    for (const permission of ['access.role.read', 'access.member.read', 'catalog.product.read', 'audit.log.read']) assert.ok(all.has(permission), permission);
  });

  test('every store template expands without error', () => {
    for (const template of STORE_ROLE_TEMPLATES) {
      const permissions = expandPermissions(template.permissions, all, `role template ${template.key}`);
      assert.ok(permissions.length > 0, `${template.key} grants something`);
      assert.ok(
        permissions.every((permission) => all.has(permission)),
        template.key,
      );
    }
  });

  test('every platform template expands without error; super_admin and owner get everything', () => {
    for (const template of PLATFORM_ROLE_TEMPLATES) expandPermissions(template.permissions, all, `role template ${template.key}`);
    const everything = [...all].sort();
    for (const key of ['super_admin', 'owner']) {
      const template = PLATFORM_ROLE_TEMPLATES.find((candidate) => candidate.key === key);
      assert.ok(template, key);
      assert.deepEqual(expandPermissions(template.permissions, all), everything);
    }
  });

  test("each edition's template set has an 'owner' holding every permission, and unique keys", () => {
    const { editions } = planEditions({ editions: undefined });
    assert.ok(editions.length > 0);
    const sets = [STORE_ROLE_TEMPLATES, PLATFORM_ROLE_TEMPLATES, ...editions.map((edition) => edition.roleTemplates)];
    for (const templates of sets) {
      const keys = templates.map((template) => template.key);
      assert.ok(keys.includes('owner'), keys.join(','));
      assert.equal(new Set(keys).size, keys.length, `duplicate key in ${keys.join(',')}`);
      for (const key of keys) assert.match(key, /^[a-z][a-z0-9_]{1,47}$/, 'fits access_role_key_format');
    }
    const owner = STORE_ROLE_TEMPLATES.find((template) => template.key === 'owner');
    assert.deepEqual(owner && expandPermissions(owner.permissions, all), [...all].sort());
  });

  test('the cashier only reads the catalog', () => {
    const cashier = STORE_ROLE_TEMPLATES.find((template) => template.key === 'cashier');
    assert.deepEqual(cashier && expandPermissions(cashier.permissions, all), ['catalog.product.read']);
  });
});

describe('platform permissions', () => {
  const withPlatform: ReadonlySet<string> = new Set([...declared, 'platform.tenant.approve', 'platform.plan.write']);

  test('only the platform tenant may hold them; other tenants get the rest', () => {
    assert.deepEqual([...permissionsFor(PLATFORM_TENANT_ID, withPlatform)].sort(), [...withPlatform].sort());
    assert.deepEqual([...permissionsFor(randomUUID(), withPlatform)].sort(), [...declared].sort());
  });

  test("a tenant's '*' and 'platform.*' reach none of them, while the platform's do", () => {
    const tenantScope = permissionsFor(randomUUID(), withPlatform);
    assert.equal(expandPermissions(['*'], withPlatform, 'role', tenantScope).some(isPlatformPermission), false);
    assert.deepEqual(expandPermissions(['platform.*'], withPlatform, 'role', tenantScope), []);
    assert.deepEqual(expandPermissions(['platform.*'], withPlatform, 'role', permissionsFor(PLATFORM_TENANT_ID, withPlatform)), ['platform.plan.write', 'platform.tenant.approve']);
  });

  test('named exactly, one stays in the expansion, for the grant check to refuse out loud', () => {
    assert.deepEqual(expandPermissions(['platform.plan.write'], withPlatform, 'role', permissionsFor(randomUUID(), withPlatform)), ['platform.plan.write']);
  });
});
